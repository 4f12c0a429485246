using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;

namespace TeamsAlertBot.Alerts;

/// <summary>Where one message goes once: a hash of delivered messages and a hash of sends in progress, by conversation.</summary>
/// <param name="Delivered">Hash: conversation id → JSON of the delivered message (an <see cref="AlertCardPost"/> or a <see cref="StormThread"/>).</param>
/// <param name="Sends">Hash: conversation id → JSON <see cref="SendRecord"/>; same hash slot as <paramref name="Delivered"/>.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Extra">Keys read along with the start (e.g. the alert's triage and mitigation records); same hash slot.</param>
/// <param name="ReadBack">A key read along with the delivery record (the alert's snapshot); same hash slot.</param>
public sealed record DeliverySlot(RedisKey Delivered, RedisKey Sends, string ConversationId, RedisKey[]? Extra = null, RedisKey? ReadBack = null);

/// <summary>A send in progress or whose outcome is unknown, as recorded before the connector was called.</summary>
public sealed record SendRecord
{
    /// <summary>The instance that holds the send.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when (Unix ms) the owner holds it; a heartbeat extends it. After it, another instance may take over.</summary>
    public long LeaseUntil { get; init; }

    /// <summary>How many sends may have delivered the message (each started and not refused).</summary>
    public int Copies { get; init; }

    /// <summary>When the last send started (Unix ms).</summary>
    public long StartedAt { get; init; }

    /// <summary>The conversation (or thread) the last send went to.</summary>
    public string? Target { get; init; }
}

/// <summary>How <see cref="IDeliveryLedger.BeginAsync"/> found the slot.</summary>
public enum DeliveryStart
{
    /// <summary>Nothing was sent yet: this caller holds the send, counted as started (<see cref="SendRecord.Copies"/> = 1).</summary>
    Send,

    /// <summary>Already delivered.</summary>
    Delivered,

    /// <summary>Another instance holds the send.</summary>
    Busy,

    /// <summary>
    /// A send started before and its outcome is unknown (timeout, dropped connection, 5xx, a crash): the
    /// message may be there. This caller holds the slot; check the conversation before sending again.
    /// </summary>
    Unsettled,
}

/// <summary>What <see cref="IDeliveryLedger.BeginAsync"/> found.</summary>
/// <param name="Start">How the slot was found.</param>
/// <param name="Delivered">The delivered message's JSON, when <see cref="DeliveryStart.Delivered"/>.</param>
/// <param name="Send">The send record now.</param>
/// <param name="Extra">The values of <see cref="DeliverySlot.Extra"/>, in order.</param>
public sealed record DeliveryBegin(DeliveryStart Start, string? Delivered, SendRecord? Send, IReadOnlyList<string?> Extra);

/// <summary>
/// At most one delivery of a message per conversation, across instances and crashes, for messages the
/// connector cannot de-duplicate (a card, a storm root). Before the connector is called a send record
/// says "a copy may be on its way"; a 2xx moves it to the delivered hash; a refusal takes the copy back;
/// an unknown outcome (or a crash) leaves it, so the next attempt knows it must check the conversation
/// first. <see cref="RedisDeliveryLedger"/> keeps it in Redis (shared by every instance);
/// <see cref="InMemoryDeliveryLedger"/> in this process (one instance only).
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Starts a delivery for <paramref name="owner"/>: a fresh send (counted), the message already
    /// delivered, another owner busy, or a previous send unsettled (this owner now holds the slot).
    /// </summary>
    Task<DeliveryBegin> BeginAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease, TimeSpan retention, string target);

    /// <summary>After a check of the conversation: one more send starts (its copy counts). False when the slot was taken over.</summary>
    Task<bool> SendAgainAsync(DeliverySlot slot, string owner, DateTimeOffset now, string target);

    /// <summary>
    /// The message is in the conversation (a 2xx, or a check found it): recorded, never sent again.
    /// Returns the slot's <see cref="DeliverySlot.ReadBack"/> value as it is now (null when none).
    /// </summary>
    Task<string?> DeliveredAsync(DeliverySlot slot, string owner, string deliveredJson, TimeSpan retention);

    /// <summary>
    /// The send failed. Refused (<see cref="DeliveryOutcome.NotDelivered"/>): its copy is taken back and the
    /// slot released, so a retry sends without a check. Unknown: the copy stands and the lease is kept
    /// until it runs out, so the next attempt checks first.
    /// </summary>
    Task FailedAsync(DeliverySlot slot, string owner, DeliveryOutcome outcome);

    /// <summary>A check of the conversation found no copy: every copy counted so far is taken back; the owner keeps its hold to send.</summary>
    Task AbsentAsync(DeliverySlot slot, string owner, int copies);

    /// <summary>Extends the owner's hold while its send is still running.</summary>
    Task<bool> RenewAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease);

    /// <summary>Gives the hold up without changing what may have been sent (the next taker checks if a copy may exist).</summary>
    Task ReleaseAsync(DeliverySlot slot, string owner);
}
