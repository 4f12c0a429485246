using System.Globalization;
using StackExchange.Redis;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IStormOverviewLedger"/> in Redis: every key under one hash tag (<c>{storm-overview}</c>),
/// so each step is one script on Redis Cluster too, with Redis 6.0 commands only.
/// </summary>
public sealed class RedisStormOverviewLedger(IConnectionMultiplexer redis, RedisKeys keys) : IStormOverviewLedger
{
    // KEYS: 1 root, 2 act, 3 gen, 4 urgent, 5 tries, 6 run, 7 last (hashes by storm); 8 due, 9 busy, 10 seen (sorted sets);
    // 11 gone (hash: the root activity of a dropped storm card, kept until the storm's life ends).
    private const string Functions = """
        local function mark(m, due, urgent)
          redis.call('HINCRBY', KEYS[3], m, 1)
          if redis.call('ZSCORE', KEYS[9], m) then
            if urgent then redis.call('HSET', KEYS[4], m, '1') end
            return
          end
          local current = redis.call('ZSCORE', KEYS[8], m)
          if not current or (urgent and tonumber(current) > tonumber(due)) then
            redis.call('ZADD', KEYS[8], due, m)
          end
        end
        local function forget(m)
          for i = 1, 7 do redis.call('HDEL', KEYS[i], m) end
          for i = 8, 10 do redis.call('ZREM', KEYS[i], m) end
          redis.call('HDEL', KEYS[11], m)
        end

        """;

    // ARGV: member, root JSON, activity id, due ms, registered ms.
    private const string RegisterScript = Functions + """
        local m = ARGV[1]
        if redis.call('HGET', KEYS[11], m) == ARGV[3] then return 0 end
        if redis.call('HGET', KEYS[2], m) ~= ARGV[3] then
          forget(m)
          redis.call('HSET', KEYS[1], m, ARGV[2])
          redis.call('HSET', KEYS[2], m, ARGV[3])
          redis.call('ZADD', KEYS[10], ARGV[5], m)
        end
        mark(m, ARGV[4], false)
        return 1
        """;

    // ARGV: customer prefix, due ms.
    private const string MarkScript = Functions + """
        local n = 0
        for _, m in ipairs(redis.call('HKEYS', KEYS[2])) do
          if string.sub(m, 1, #ARGV[1]) == ARGV[1] then
            mark(m, ARGV[2], false)
            n = n + 1
          end
        end
        return n
        """;

    // ARGV: member, activity id, run id, due ms, urgent (1/0).
    private const string ShowRunScript = Functions + """
        local m = ARGV[1]
        if redis.call('HGET', KEYS[2], m) ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[6], m, ARGV[3])
        mark(m, ARGV[4], ARGV[5] == '1')
        return 1
        """;

    // ARGV: now ms, lease end ms, max, forget before ms.
    private const string ClaimScript = Functions + """
        for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[10], '-inf', '(' .. ARGV[4])) do forget(m) end
        for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', ARGV[1])) do
          redis.call('ZREM', KEYS[9], m)
          redis.call('ZADD', KEYS[8], ARGV[1], m)
        end
        local out = {}
        for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))) do
          redis.call('ZREM', KEYS[8], m)
          redis.call('ZADD', KEYS[9], ARGV[2], m)
          redis.call('HDEL', KEYS[4], m)
          table.insert(out, m)
          table.insert(out, redis.call('HGET', KEYS[1], m) or '')
          table.insert(out, redis.call('HGET', KEYS[3], m) or '0')
          table.insert(out, redis.call('HGET', KEYS[5], m) or '0')
          table.insert(out, redis.call('HGET', KEYS[6], m) or '')
        end
        return out
        """;

    // ARGV: member, generation, overview JSON, now ms, next due ms.
    private const string CompleteScript = Functions + """
        local m = ARGV[1]
        redis.call('ZREM', KEYS[9], m)
        if redis.call('HEXISTS', KEYS[2], m) == 0 then return 1 end
        redis.call('HSET', KEYS[7], m, ARGV[3])
        redis.call('HDEL', KEYS[5], m)
        local urgent = redis.call('HGET', KEYS[4], m)
        redis.call('HDEL', KEYS[4], m)
        if (redis.call('HGET', KEYS[3], m) or '0') == ARGV[2] then return 1 end
        if urgent then redis.call('ZADD', KEYS[8], ARGV[4], m) else redis.call('ZADD', KEYS[8], ARGV[5], m) end
        return 0
        """;

    // ARGV: member, due ms, failed (1/0).
    private const string RetryScript = Functions + """
        local m = ARGV[1]
        redis.call('ZREM', KEYS[9], m)
        if redis.call('HEXISTS', KEYS[2], m) == 0 then return 0 end
        if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[5], m, 1) end
        redis.call('ZADD', KEYS[8], ARGV[2], m)
        return 1
        """;

    // ARGV: member. The card is remembered as gone (until the storm's life ends), so a later alert of
    // the same storm does not register it again; a new storm root (another activity) does.
    private const string DropScript = Functions + """
        local m = ARGV[1]
        local act = redis.call('HGET', KEYS[2], m)
        local seen = redis.call('ZSCORE', KEYS[10], m)
        forget(m)
        if act and seen then
          redis.call('HSET', KEYS[11], m, act)
          redis.call('ZADD', KEYS[10], seen, m)
        end
        return 1
        """;

    private RedisKey[] Keys =>
    [
        keys.StormOverview("root"), keys.StormOverview("act"), keys.StormOverview("gen"), keys.StormOverview("urgent"), keys.StormOverview("tries"),
        keys.StormOverview("run"), keys.StormOverview("last"), keys.StormOverview("due"), keys.StormOverview("busy"), keys.StormOverview("seen"),
        keys.StormOverview("gone"),
    ];

    private IDatabase Db => redis.GetDatabase();

    /// <inheritdoc />
    public Task RegisterAsync(StormRoot root, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Db.ScriptEvaluateAsync(RegisterScript, Keys, [root.Member, StormOverviewJsonContext.Serialize(root), root.RootActivityId, Ms(due), Ms(root.StartedAt)]);
    }

    /// <inheritdoc />
    public Task MarkAsync(string customerTenantId, DateTimeOffset due) =>
        Db.ScriptEvaluateAsync(MarkScript, Keys, [StormOverviewMembers.CustomerPrefix(customerTenantId), Ms(due)]);

    /// <inheritdoc />
    public async Task<bool> ShowRunAsync(string customerTenantId, string conversationId, string rootActivityId, string runId, DateTimeOffset due, bool urgent) =>
        (long)await Db.ScriptEvaluateAsync(
            ShowRunScript, Keys, [StormOverviewMembers.Of(customerTenantId, conversationId), rootActivityId, runId, Ms(due), urgent ? "1" : "0"]) == 1;

    /// <inheritdoc />
    public async Task<IReadOnlyList<StormRenderClaim>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, DateTimeOffset forgetBefore)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(ClaimScript, Keys, [Ms(now), Ms(now + lease), max, Ms(forgetBefore)]))!;
        List<StormRenderClaim> claims = [];
        for (int i = 0; i + 4 < result.Length; i += 5)
        {
            string run = (string)result[i + 4]!;
            claims.Add(new StormRenderClaim(
                (string)result[i]!,
                StormOverviewJsonContext.ParseRoot((string?)result[i + 1]),
                long.Parse((string)result[i + 2]!, CultureInfo.InvariantCulture),
                int.Parse((string)result[i + 3]!, CultureInfo.InvariantCulture),
                run.Length == 0 ? null : run));
        }

        return claims;
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(StormRenderClaim claim, StormOverview overview, DateTimeOffset now, DateTimeOffset nextDue)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(overview);
        return (long)await Db.ScriptEvaluateAsync(
            CompleteScript, Keys, [claim.Member, claim.Generation, StormOverviewJsonContext.Serialize(overview), Ms(now), Ms(nextDue)]) == 1;
    }

    /// <inheritdoc />
    public Task RetryAsync(StormRenderClaim claim, DateTimeOffset due, bool failed)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Db.ScriptEvaluateAsync(RetryScript, Keys, [claim.Member, Ms(due), failed ? "1" : "0"]);
    }

    /// <inheritdoc />
    public Task DropAsync(string member) => Db.ScriptEvaluateAsync(DropScript, Keys, [member]);

    /// <inheritdoc />
    public async Task<StormRoot?> GetRootAsync(string customerTenantId, string conversationId) =>
        StormOverviewJsonContext.ParseRoot(await Db.HashGetAsync(keys.StormOverview("root"), StormOverviewMembers.Of(customerTenantId, conversationId)));

    /// <inheritdoc />
    public async Task<StormOverview?> GetOverviewAsync(string customerTenantId, string conversationId) =>
        StormOverviewJsonContext.ParseOverview(await Db.HashGetAsync(keys.StormOverview("last"), StormOverviewMembers.Of(customerTenantId, conversationId)));

    /// <inheritdoc />
    public async Task<bool> IsPendingAsync(string customerTenantId, string conversationId)
    {
        string member = StormOverviewMembers.Of(customerTenantId, conversationId);
        return await Db.SortedSetScoreAsync(keys.StormOverview("due"), member) is not null
            || await Db.SortedSetScoreAsync(keys.StormOverview("busy"), member) is not null;
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
