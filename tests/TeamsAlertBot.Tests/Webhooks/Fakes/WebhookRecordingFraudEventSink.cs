using System.Collections.Concurrent;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks.Fakes;

/// <summary>The alert pipeline's stand-in: records the events it gets, and can fail the next one.</summary>
internal sealed class WebhookRecordingFraudEventSink : IFraudEventSink
{
    private readonly ConcurrentQueue<FraudEvent> _events = new();
    private int _failuresLeft;

    public IReadOnlyList<FraudEvent> Events => [.. _events];

    public void FailNext(int count = 1) => _failuresLeft = count;

    public Task OnFraudEventAsync(FraudEvent fraudEvent, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return Task.FromException(new InvalidOperationException("The alert queue is unavailable."));
        }

        _events.Enqueue(fraudEvent);
        return Task.CompletedTask;
    }
}
