using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace TeamsAlertBot.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the due time of every timer created on it,
/// so a test can see how long code asked to wait (<c>Task.Delay(d, provider, ct)</c> creates one
/// timer due after <c>d</c>) before it advances the clock.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public RecordingTimeProvider()
        : base(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Due times of the timers created so far, oldest first.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
