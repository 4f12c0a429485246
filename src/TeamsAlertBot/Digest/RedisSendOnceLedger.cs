using StackExchange.Redis;

namespace TeamsAlertBot.Digest;

/// <summary>
/// <see cref="ISendOnceLedger"/> in Redis, shared by every instance: the claim is one <c>SET NX PX</c>.
/// </summary>
public sealed class RedisSendOnceLedger(IConnectionMultiplexer redis) : ISendOnceLedger
{
    // KEYS[1] the key; ARGV[1] this instance's claim value.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <inheritdoc />
    public async Task<SendClaim> TryClaimAsync(RedisKey key, string owner, TimeSpan duration)
    {
        if (await Db.StringSetAsync(key, SendOnceValues.Claim(owner), duration, When.NotExists))
        {
            return SendClaim.Claimed;
        }

        // A claim that lapsed between the two calls is simply tried again at the next check.
        return await Db.StringGetAsync(key) == SendOnceValues.Sent ? SendClaim.Sent : SendClaim.Busy;
    }

    /// <inheritdoc />
    public Task ConfirmAsync(RedisKey key, TimeSpan retention) =>
        Db.StringSetAsync(key, SendOnceValues.Sent, retention);

    /// <inheritdoc />
    public Task ReleaseAsync(RedisKey key, string owner) =>
        Db.ScriptEvaluateAsync(ReleaseScript, [key], [SendOnceValues.Claim(owner)]);

    /// <inheritdoc />
    public async Task<bool> IsSentAsync(RedisKey key) => await Db.StringGetAsync(key) == SendOnceValues.Sent;
}
