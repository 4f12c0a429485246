using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Alerts;

/// <summary>A storm card the overview keeps current: where it is and what it is about.</summary>
public sealed record StormRoot(
    string CustomerTenantId,
    string CustomerName,
    string ConversationId,
    string ThreadConversationId,
    string RootActivityId,
    string ServiceUrl,
    string Language,
    DateTimeOffset StartedAt)
{
    /// <summary>The storm's name in the ledger: one per customer and conversation.</summary>
    public string Member => StormOverviewMembers.Of(CustomerTenantId, ConversationId);
}

/// <summary>A storm one instance renders now: what it knew when it claimed it.</summary>
/// <param name="Member">The storm.</param>
/// <param name="Root">Its card (null when it was forgotten meanwhile).</param>
/// <param name="Generation">Marks so far; a render that ends with a higher one is due again.</param>
/// <param name="Attempts">Renders of it that failed in a row.</param>
/// <param name="RunId">The bulk run its card shows the progress of, if any.</param>
public sealed record StormRenderClaim(string Member, StormRoot? Root, long Generation, int Attempts, string? RunId);

/// <summary>Storm names: <c>customer|conversation</c> (a customer tenant id has no <c>|</c>).</summary>
public static class StormOverviewMembers
{
    public static string Of(string customerTenantId, string conversationId) => customerTenantId + "|" + conversationId;

    public static string CustomerPrefix(string customerTenantId) => customerTenantId + "|";
}

/// <summary>
/// Which storm cards need a re-render, durable across instances and restarts. A change to a customer's
/// alerts <em>marks</em> its storms: the first mark makes a render due one edit interval later, further
/// marks before it add nothing (debounced); one instance claims a due storm for a lease, and a mark that
/// arrives while it renders makes it due again once the render completes. A claim whose instance died
/// is due again when its lease ends. <see cref="RedisStormOverviewLedger"/> keeps it in Redis (all keys
/// in one hash slot); <see cref="InMemoryStormOverviewLedger"/> in this process (one instance only).
/// </summary>
public interface IStormOverviewLedger
{
    /// <summary>Starts keeping <paramref name="root"/> current (a new root of the same storm replaces the old one) and marks it.</summary>
    Task RegisterAsync(StormRoot root, DateTimeOffset due);

    /// <summary>Marks every storm of the customer: render at <paramref name="due"/>, or keep an earlier due time.</summary>
    Task MarkAsync(string customerTenantId, DateTimeOffset due);

    /// <summary>
    /// The storm whose card is <paramref name="rootActivityId"/> shows bulk run <paramref name="runId"/>
    /// from now on, and is marked (<paramref name="due"/>, or at once after a render in progress when
    /// <paramref name="urgent"/>). False when no such storm card is kept current (the caller edits it itself).
    /// </summary>
    Task<bool> ShowRunAsync(string customerTenantId, string conversationId, string rootActivityId, string runId, DateTimeOffset due, bool urgent);

    /// <summary>
    /// Claims up to <paramref name="max"/> storms due at <paramref name="now"/> for <paramref name="lease"/>;
    /// storms registered before <paramref name="forgetBefore"/> are forgotten first.
    /// </summary>
    Task<IReadOnlyList<StormRenderClaim>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, DateTimeOffset forgetBefore);

    /// <summary>
    /// The render is shown: records the overview it showed and frees the storm. True when nothing was
    /// marked meanwhile; otherwise it is due again at <paramref name="nextDue"/> (at once when a mark was urgent).
    /// </summary>
    Task<bool> CompleteAsync(StormRenderClaim claim, StormOverview overview, DateTimeOffset now, DateTimeOffset nextDue);

    /// <summary>The render did not happen: due again at <paramref name="due"/>, as one more failed attempt when <paramref name="failed"/>.</summary>
    Task RetryAsync(StormRenderClaim claim, DateTimeOffset due, bool failed);

    /// <summary>Forgets the storm (its card is gone, unknown or too old): no render is due for it again.</summary>
    Task DropAsync(string member);

    /// <summary>The storm card kept current for the customer in the conversation (null when none is).</summary>
    Task<StormRoot?> GetRootAsync(string customerTenantId, string conversationId);

    /// <summary>The overview the storm card last showed (null when none yet).</summary>
    Task<StormOverview?> GetOverviewAsync(string customerTenantId, string conversationId);

    /// <summary>Whether the storm has a render due or running (for tests and status).</summary>
    Task<bool> IsPendingAsync(string customerTenantId, string conversationId);
}

/// <summary>Serializer metadata of the storm overview ledger.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StormRoot))]
[JsonSerializable(typeof(StormOverview))]
internal sealed partial class StormOverviewJsonContext : JsonSerializerContext
{
    public static string Serialize(StormRoot root) => JsonSerializer.Serialize(root, Default.StormRoot);

    public static string Serialize(StormOverview overview) => JsonSerializer.Serialize(overview, Default.StormOverview);

    public static StormRoot? ParseRoot(string? json) => json is { Length: > 0 } ? JsonSerializer.Deserialize(json, Default.StormRoot) : null;

    public static StormOverview? ParseOverview(string? json) => json is { Length: > 0 } ? JsonSerializer.Deserialize(json, Default.StormOverview) : null;
}
