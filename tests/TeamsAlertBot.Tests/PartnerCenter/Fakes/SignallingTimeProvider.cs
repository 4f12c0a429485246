using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace TeamsAlertBot.Tests.PartnerCenter.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that lets a test wait until code asks to wait for a given
/// time (a retry honouring Retry-After creates one timer due after that delay), then advance.
/// </summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<(TimeSpan DueTime, TaskCompletionSource Signal)> _waiters = new();
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public SignallingTimeProvider()
        : base(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    /// <summary>Completes when a timer due after exactly <paramref name="dueTime"/> has been created.</summary>
    public Task TimerCreatedAsync(TimeSpan dueTime)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((dueTime, signal));
        if (_dueTimes.Contains(dueTime))
        {
            signal.TrySetResult();
        }

        return signal.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        foreach ((TimeSpan wanted, TaskCompletionSource signal) in _waiters)
        {
            if (wanted == dueTime)
            {
                signal.TrySetResult();
            }
        }

        return timer;
    }
}
