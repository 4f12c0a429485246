using StackExchange.Redis;

namespace TeamsAlertBot.Digest;

/// <summary>What <see cref="SendOnceLedger.TryClaimAsync"/> found.</summary>
public enum SendClaim
{
    /// <summary>This instance may send now; confirm or release afterwards.</summary>
    Claimed,

    /// <summary>Already sent.</summary>
    Sent,

    /// <summary>Another instance is sending (its claim lapses if it dies).</summary>
    Busy,
}

/// <summary>
/// Claim-then-confirm in Redis for messages that must go out once across instances and restarts
/// (the daily summary per day and conversation, an SLA reminder per alert, stage and conversation).
/// The claim is one <c>SET NX PX</c>; it becomes <c>sent</c> only after the connector accepted the
/// message, and is dropped when the send failed, so a failure or a crash is retried rather than lost.
/// </summary>
public sealed class SendOnceLedger(IConnectionMultiplexer redis)
{
    private const string SentValue = "sent";

    // KEYS[1] the key; ARGV[1] this instance's claim value.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Claims <paramref name="key"/> for <paramref name="owner"/> for <paramref name="duration"/>.</summary>
    public async Task<SendClaim> TryClaimAsync(RedisKey key, string owner, TimeSpan duration)
    {
        if (await Db.StringSetAsync(key, Claim(owner), duration, When.NotExists))
        {
            return SendClaim.Claimed;
        }

        // A claim that lapsed between the two calls is simply tried again at the next check.
        return await Db.StringGetAsync(key) == SentValue ? SendClaim.Sent : SendClaim.Busy;
    }

    /// <summary>Records the send as done, for <paramref name="retention"/>.</summary>
    public Task ConfirmAsync(RedisKey key, TimeSpan retention) =>
        Db.StringSetAsync(key, SentValue, retention);

    /// <summary>Gives a claim up after a failed send, so the next check retries it.</summary>
    public Task ReleaseAsync(RedisKey key, string owner) =>
        Db.ScriptEvaluateAsync(ReleaseScript, [key], [Claim(owner)]);

    /// <summary>True when the send is recorded as done.</summary>
    public async Task<bool> IsSentAsync(RedisKey key) => await Db.StringGetAsync(key) == SentValue;

    private static string Claim(string owner) => "claim:" + owner;
}
