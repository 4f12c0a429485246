using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.Bench;

/// <summary>
/// Hooked into the fake Bot Connector (<see cref="LoopbackFakes.ConnectorOverride"/>): stamps the
/// moment a request naming an awaited alert has fully arrived, on the fake's request thread, so no
/// polling interval blurs the end of a measured interval. The fake still gives its default answer.
/// </summary>
internal sealed class ConnectorWatch
{
    private readonly ConcurrentDictionary<(string Method, string AlertId), TaskCompletionSource<long>> _awaited = new();
    private long _threadReplies;

    /// <summary>
    /// How many triage records the bot has posted in card threads ("… marked this alert as …"): they
    /// name no alert id, so they are counted rather than awaited.
    /// </summary>
    public long ThreadReplies => Interlocked.Read(ref _threadReplies);

    /// <summary>
    /// A task that completes with the <see cref="Stopwatch"/> timestamp at which a
    /// <paramref name="method"/> request carrying <paramref name="alertId"/> reached the connector.
    /// </summary>
    public Task<long> Expect(string method, string alertId)
    {
        var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_awaited.TryAdd((method, alertId), arrival))
        {
            throw new InvalidOperationException($"{method} of {alertId} is already awaited.");
        }

        return arrival.Task;
    }

    /// <summary>Stops waiting for a request (after a timeout).</summary>
    public void Forget(string method, string alertId) => _awaited.TryRemove((method, alertId), out _);

    /// <summary>The connector hook.</summary>
    public IResult? Observe(RecordedRequest request)
    {
        long arrived = Stopwatch.GetTimestamp();
        if (request.Method == "POST" && request.Body.Contains(" marked this alert as **", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _threadReplies);
        }

        // A card names its alert several times (facts, action data); one stamp per request.
        foreach (string alertId in BenchAlerts.IdPattern().Matches(request.Body).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            if (_awaited.TryRemove((request.Method, alertId), out TaskCompletionSource<long>? arrival))
            {
                arrival.TrySetResult(arrived);
            }
        }

        return null;
    }
}
