using StackExchange.Redis;

namespace TeamsAlertBot.Digest;

/// <summary>What <see cref="ISendOnceLedger.TryClaimAsync"/> found.</summary>
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
/// Claim-then-confirm for messages that must go out once across instances and restarts (the daily
/// summary per day and conversation, an SLA reminder per alert, stage and conversation, a notice). A claim
/// becomes sent only after the connector accepted the message, and is dropped when the send failed, so a
/// failure or a crash is retried rather than lost. <see cref="RedisSendOnceLedger"/> keeps it in Redis;
/// <see cref="InMemorySendOnceLedger"/> in this process (one instance only).
/// </summary>
public interface ISendOnceLedger
{
    /// <summary>Claims <paramref name="key"/> for <paramref name="owner"/> for <paramref name="duration"/>.</summary>
    Task<SendClaim> TryClaimAsync(RedisKey key, string owner, TimeSpan duration);

    /// <summary>Records the send as done, for <paramref name="retention"/>.</summary>
    Task ConfirmAsync(RedisKey key, TimeSpan retention);

    /// <summary>Gives a claim up after a failed send, so the next check retries it.</summary>
    Task ReleaseAsync(RedisKey key, string owner);

    /// <summary>True when the send is recorded as done.</summary>
    Task<bool> IsSentAsync(RedisKey key);
}

/// <summary>The values a send-once key holds, the same in Redis and in memory.</summary>
internal static class SendOnceValues
{
    /// <summary>The send is done.</summary>
    public const string Sent = "sent";

    /// <summary><paramref name="owner"/> is sending.</summary>
    public static string Claim(string owner) => "claim:" + owner;
}
