using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Bench;

/// <summary>What a batch of new alerts costs in Redis: commands per posted card, and bytes kept per alert.</summary>
/// <param name="Alerts">Alerts in the batch (one card each, one subscribed channel).</param>
/// <param name="Commands">Every Redis command the bot sent from the alerts' appearance until the pipeline was idle.</param>
/// <param name="CommandsByName">The same, by command.</param>
/// <param name="AlertBytes">Bytes of the batch's own keys (first sight, snapshot, card, triage, mitigation), audit excluded.</param>
/// <param name="AuditBytes">Bytes of the batch's audit trails (none are written by posting alone).</param>
/// <param name="WatchedBytes">Bytes of the watched-alerts sorted set (shared by all open posted alerts).</param>
/// <param name="WatchedCount">Members of that set.</param>
internal sealed record FootprintResult(
    int Alerts, long Commands, IReadOnlyDictionary<string, long> CommandsByName, long AlertBytes, long AuditBytes, long WatchedBytes, long WatchedCount)
{
    public double CommandsPerCard => (double)Commands / Alerts;

    /// <summary>Per alert: its own keys plus its share of the watched set.</summary>
    public double BytesPerAlert => (AlertBytes + (WatchedCount == 0 ? 0 : (double)WatchedBytes / WatchedCount * Alerts)) / Alerts;
}

/// <summary>
/// Measures <see cref="FootprintResult"/>: the bot's multiplexer is profiled (every command it sends
/// is counted) while a batch of alerts is polled and posted, then every key of the batch is sized
/// with <c>MEMORY USAGE</c>. Background loops (the dispatcher's idle reads, heartbeats) are counted
/// too, so the commands per card are an upper bound of the posting path's.
/// </summary>
internal static class RedisFootprint
{
    private static ProfilingSession? _session;

    /// <summary>Hooks the profiler into the bot's multiplexer (once).</summary>
    public static void Attach(IConnectionMultiplexer redis) => redis.RegisterProfiler(() => _session);

    public static async Task<FootprintResult> MeasureAsync(PipelineHarness harness, BenchSettings settings)
    {
        int count = settings.FootprintAlerts;
        await harness.WaitUntilIdleAsync([]);
        string[] alertIds = [.. Enumerable.Range(0, count).Select(BenchAlerts.Footprint)];
        DateTimeOffset detected = TimeProvider.System.GetUtcNow();
        Task<long>[] cards = [.. alertIds.Select(id => harness.Watch.Expect("POST", id))];

        _session = new ProfilingSession();
        foreach (string alertId in alertIds)
        {
            harness.Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, detected: detected);
        }

        harness.Poller.RequestPoll();
        await Task.WhenAll(cards.Select((card, k) => harness.ArrivalAsync(card, "POST", alertIds[k])));
        await harness.WaitUntilIdleAsync([]);
        IProfiledCommand[] commands = [.. _session.FinishProfiling()];
        _session = null;

        RedisKeys keys = harness.Service<RedisKeys>();
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"{harness.RedisEndpoint},allowAdmin=true");
        IDatabase db = admin.GetDatabase();
        long alertBytes = 0;
        long auditBytes = 0;
        foreach (string alertId in alertIds)
        {
            foreach (RedisKey key in (RedisKey[])[keys.AlertSeen(alertId), .. keys.AlertState(alertId)])
            {
                long size = await SizeAsync(db, key);
                if (key == keys.Audit(alertId))
                {
                    auditBytes += size;
                }
                else
                {
                    alertBytes += size;
                }
            }
        }

        long watchedBytes = await SizeAsync(db, keys.WatchedAlerts);
        long watchedCount = await db.SortedSetLengthAsync(keys.WatchedAlerts);
        await harness.RetireAsync([.. alertIds.Select(id => (id, detected))]);
        return new FootprintResult(
            count,
            commands.Length,
            commands.GroupBy(c => c.Command).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
            alertBytes,
            auditBytes,
            watchedBytes,
            watchedCount);
    }

    private static async Task<long> SizeAsync(IDatabase db, RedisKey key)
    {
        RedisResult size = await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
        return size.IsNull ? 0 : (long)size;
    }
}
