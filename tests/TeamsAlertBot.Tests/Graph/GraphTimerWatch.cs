using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace TeamsAlertBot.Tests.Graph;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that lets a test await the moment code starts waiting for a
/// given delay (a timer with that due time is created), then advance the clock past it: no real
/// waiting, no polling.
/// </summary>
internal sealed class GraphTimerWatch : FakeTimeProvider
{
    private readonly ConcurrentDictionary<TimeSpan, TaskCompletionSource> _waits = new();

    public GraphTimerWatch()
        : base(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Completes when a timer due after exactly <paramref name="dueTime"/> is created.</summary>
    public Task TimerCreated(TimeSpan dueTime) => Waiter(dueTime).Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        Waiter(dueTime).TrySetResult();
        return timer;
    }

    private TaskCompletionSource Waiter(TimeSpan dueTime) =>
        _waits.GetOrAdd(dueTime, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
