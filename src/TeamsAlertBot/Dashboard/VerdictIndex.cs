using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Dashboard;

/// <summary>An alert's first verdict: what the team's time-to-verdict is measured from.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Type">Its <c>alertType</c>.</param>
/// <param name="CustomerTenantId">Its customer.</param>
/// <param name="DetectedAt">Graph's <c>detectedDateTime</c>.</param>
/// <param name="DecidedAt">When the first verdict was claimed (the click, or the bulk run's turn).</param>
/// <param name="Verdict">The verdict (Legitimate, Fraud, Ignore, Investigating).</param>
public sealed record VerdictEntry(string AlertId, string? Type, string? CustomerTenantId, DateTimeOffset DetectedAt, DateTimeOffset DecidedAt, string Verdict)
{
    /// <summary>Hours from detection to the first verdict (never negative).</summary>
    public double Hours => Math.Max(0, (DecidedAt - DetectedAt).TotalHours);
}

/// <summary>
/// The first verdict of each alert, for the team's time-to-verdict: the first recorded one wins, later
/// ones (after a reopen) are ignored; entries older than <see cref="DashboardOptions.VerdictRetention"/> and
/// beyond <see cref="DashboardOptions.VerdictIndexCap"/> (the oldest first) are dropped.
/// <see cref="RedisVerdictIndex"/> keeps it in Redis (one hash slot); <see cref="InMemoryVerdictIndex"/> in this process.
/// </summary>
public interface IVerdictIndex
{
    /// <summary>Records the alert's first verdict; false when it already has one.</summary>
    Task<bool> RecordAsync(VerdictEntry entry);

    /// <summary>Every kept first verdict decided at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<VerdictEntry>> ReadAsync(DateTimeOffset since);
}

/// <summary>The index in Redis: a sorted set (alert id by decision time) and a hash of entries, both tagged <c>{verdicts}</c>.</summary>
public sealed class RedisVerdictIndex(IConnectionMultiplexer redis, RedisKeys keys, IOptions<DashboardOptions> options, TimeProvider time) : IVerdictIndex
{
    // KEYS: index, entries; ARGV: alert id, decided ms, entry json, drop-before ms, cap, retention ms.
    private const string RecordScript = """
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
        for _, id in ipairs(old) do
          redis.call('ZREM', KEYS[1], id)
          redis.call('HDEL', KEYS[2], id)
        end
        local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
        if extra > 0 then
          for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, extra - 1)) do
            redis.call('ZREM', KEYS[1], id)
            redis.call('HDEL', KEYS[2], id)
          end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        return 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RedisKey Index => $"{keys.Prefix}{{verdicts}}:index";

    private RedisKey Entries => $"{keys.Prefix}{{verdicts}}:entries";

    public async Task<bool> RecordAsync(VerdictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        DashboardOptions settings = options.Value;
        long dropBefore = (time.GetUtcNow() - settings.VerdictRetention).ToUnixTimeMilliseconds();
        RedisResult result = await redis.GetDatabase().ScriptEvaluateAsync(
            RecordScript,
            [Index, Entries],
            [entry.AlertId, entry.DecidedAt.ToUnixTimeMilliseconds(), JsonSerializer.Serialize(entry, Json), dropBefore, settings.VerdictIndexCap, (long)settings.VerdictRetention.TotalMilliseconds]);
        return (int)result == 1;
    }

    public async Task<IReadOnlyList<VerdictEntry>> ReadAsync(DateTimeOffset since)
    {
        IDatabase db = redis.GetDatabase();
        RedisValue[] ids = await db.SortedSetRangeByScoreAsync(Index, since.ToUnixTimeMilliseconds(), double.PositiveInfinity);
        if (ids.Length == 0)
        {
            return [];
        }

        RedisValue[] values = await db.HashGetAsync(Entries, ids);
        return [.. values.Where(v => !v.IsNullOrEmpty).Select(v => JsonSerializer.Deserialize<VerdictEntry>((string)v!, Json)!)];
    }
}

/// <summary>The index in this process (one instance only, forgotten on restart).</summary>
public sealed class InMemoryVerdictIndex(IOptions<DashboardOptions> options, TimeProvider time) : IVerdictIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VerdictEntry> _entries = new(StringComparer.Ordinal);

    public Task<bool> RecordAsync(VerdictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        DashboardOptions settings = options.Value;
        lock (_gate)
        {
            if (!_entries.TryAdd(entry.AlertId, entry))
            {
                return Task.FromResult(false);
            }

            DateTimeOffset dropBefore = time.GetUtcNow() - settings.VerdictRetention;
            foreach (string old in _entries.Values.Where(e => e.DecidedAt < dropBefore).Select(e => e.AlertId).ToList())
            {
                _entries.Remove(old);
            }

            int extra = _entries.Count - settings.VerdictIndexCap;
            foreach (string oldest in _entries.Values.OrderBy(e => e.DecidedAt).ThenBy(e => e.AlertId, StringComparer.Ordinal).Take(Math.Max(0, extra)).Select(e => e.AlertId).ToList())
            {
                _entries.Remove(oldest);
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<VerdictEntry>> ReadAsync(DateTimeOffset since)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<VerdictEntry>>(
                [.. _entries.Values.Where(e => e.DecidedAt >= since).OrderBy(e => e.DecidedAt).ThenBy(e => e.AlertId, StringComparer.Ordinal)]);
        }
    }
}
