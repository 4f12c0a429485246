using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Digest;

/// <summary>
/// <see cref="ISendOnceLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only): a claim
/// lapses after its duration, a confirmation lasts its retention, exactly as in <see cref="RedisSendOnceLedger"/>.
/// </summary>
public sealed class InMemorySendOnceLedger(InMemoryKeyspace space) : ISendOnceLedger
{
    /// <inheritdoc />
    public Task<SendClaim> TryClaimAsync(RedisKey key, string owner, TimeSpan duration) => Task.FromResult(space.Atomic(step =>
        step.SetIfAbsent(key, SendOnceValues.Claim(owner), duration) ? SendClaim.Claimed
        : step.Get(key) == SendOnceValues.Sent ? SendClaim.Sent
        : SendClaim.Busy));

    /// <inheritdoc />
    public Task ConfirmAsync(RedisKey key, TimeSpan retention)
    {
        space.Atomic(step => step.Set(key, SendOnceValues.Sent, retention));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(RedisKey key, string owner)
    {
        space.Atomic(step =>
        {
            if (step.Get(key) == SendOnceValues.Claim(owner))
            {
                step.Delete(key);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> IsSentAsync(RedisKey key) => Task.FromResult(space.Atomic(step => step.Get(key) == SendOnceValues.Sent));
}
