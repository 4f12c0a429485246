using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage.Bulk;

/// <summary>One alert of a bulk run, with the triage version its run saw when it was proposed.</summary>
public sealed record BulkItem(string AlertId, int Version);

/// <summary>A bulk triage run: what it decides, for which alerts, who asked, and where its progress card is.</summary>
public sealed record BulkRun
{
    public required string Id { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TriageVerdict>))]
    public required TriageVerdict Verdict { get; init; }

    /// <summary>How its alerts were chosen; null in runs stored before selections existed (a storm's: <see cref="Customer"/>).</summary>
    public BulkSelection? Selection { get; init; }

    /// <summary>A storm's customer (kept so runs stored before <see cref="Selection"/> existed still read).</summary>
    public string? Customer { get; init; }

    public string? CustomerName { get; init; }

    /// <summary>Only this Azure subscription's alerts; null = all of the customer's.</summary>
    public string? Subscription { get; init; }

    /// <summary>The conversation (without thread suffix) the buttons were signed for; empty when the run was not started from a card.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The conversation of the card that shows the progress (a thread, for a storm root).</summary>
    public required string CardConversationId { get; init; }

    /// <summary>The card message that shows the progress; empty when unknown (no progress edits then).</summary>
    public required string CardActivityId { get; init; }

    public required string ServiceUrl { get; init; }

    public required string Language { get; init; }

    public required string ActorName { get; init; }

    public string? ActorObjectId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the storm began (its card shows it); only for a storm's run.</summary>
    public DateTimeOffset? StormStartedAt { get; init; }

    public required IReadOnlyList<BulkItem> Items { get; init; }

    /// <summary>How the alerts were chosen, for runs stored either way.</summary>
    [JsonIgnore]
    public BulkSelection Scope => Selection ?? BulkSelection.Storm(Customer ?? string.Empty, CustomerName, Subscription);
}

/// <summary>How a bulk claim ended.</summary>
public enum BulkClaimOutcome
{
    /// <summary>The run holds the claim and starts.</summary>
    Started,

    /// <summary>Another run holds the claim.</summary>
    Busy,

    /// <summary>The proposal is gone (expired, cancelled or confirmed already).</summary>
    Expired,
}

/// <summary>
/// Where each alert of a bulk run stands, as stored: pending, claimed at a triage version, applied or
/// failed (its cards still to edit), and the same once edited, or skipped (decided by someone else).
/// </summary>
public static class BulkItemState
{
    public const string Pending = "p";
    public const string ClaimedPrefix = "c:";
    public const string Applied = "a";
    public const string FailedPrefix = "f:";
    public const string AppliedEdited = "A";
    public const string FailedEditedPrefix = "F:";
    public const string Skipped = "s";

    public static bool IsApplied(string state) => state is Applied or AppliedEdited;

    public static bool IsFailed(string state) => state.StartsWith(FailedPrefix, StringComparison.Ordinal) || state.StartsWith(FailedEditedPrefix, StringComparison.Ordinal);

    /// <summary>Graph is through for it, its cards not yet edited.</summary>
    public static bool NeedsEdit(string state) => state == Applied || state.StartsWith(FailedPrefix, StringComparison.Ordinal);

    /// <summary>Graph is not through for it yet.</summary>
    public static bool NeedsGraph(string state) => state == Pending || state.StartsWith(ClaimedPrefix, StringComparison.Ordinal);

    public static string Reason(string state) => state[2..];

    /// <summary>The stored reason of a failed item: Graph's HTTP status (worded on the card in its language).</summary>
    public static string GraphStatusReason(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The stored reason of an item Graph did not answer for (timeout, transport error).</summary>
    public const string GraphUnavailableReason = "";

    /// <summary>The progress for a card.</summary>
    public static BulkProgress Progress(IReadOnlyDictionary<string, string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new BulkProgress(
            items.Count,
            items.Values.Count(IsApplied),
            items.Values.Count(s => s == Skipped),
            [.. items.Where(i => IsFailed(i.Value)).OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => (i.Key, Reason(i.Value)))],
            items.Values.All(s => s is AppliedEdited or Skipped || s.StartsWith(FailedEditedPrefix, StringComparison.Ordinal)));
    }
}

/// <summary>
/// Bulk triage in Redis, every key in one hash slot (<c>{bulk}</c>), so the claim is one script on
/// Redis Cluster too: a proposal waits for its confirmation; the confirmation turns it into the run
/// and takes the one bulk claim in the same step, so of two concurrent bulk actions exactly one runs.
/// The run and its items stay until it is finished by whichever instance holds the lease.
/// </summary>
public sealed class BulkTriageLedger(IConnectionMultiplexer redis, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions> options)
{
    /// <summary>How long a proposal waits for its confirmation.</summary>
    public static readonly TimeSpan ProposalLifetime = TimeSpan.FromMinutes(15);

    // KEYS: active, proposal, run, items; ARGV[1] run id, ARGV[2] retention ms, ARGV[3..] alert ids.
    private const string ClaimScript = """
        local active = redis.call('GET', KEYS[1])
        if active then return {1, active} end
        local proposal = redis.call('GET', KEYS[2])
        if not proposal then return {2, ''} end
        redis.call('SET', KEYS[3], proposal, 'PX', ARGV[2])
        for i = 3, #ARGV do
          redis.call('HSET', KEYS[4], ARGV[i], 'p')
        end
        redis.call('PEXPIRE', KEYS[4], ARGV[2])
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('DEL', KEYS[2])
        return {0, ARGV[1]}
        """;

    // KEYS: active; ARGV[1] run id.
    private const string FinishScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = BulkLedgerJsonContext.Default,
    };

    private IDatabase Db => redis.GetDatabase();

    private long RetentionMs => (long)options.Value.StateRetention.TotalMilliseconds;

    /// <summary>Stores a proposed run until it is confirmed (or expires).</summary>
    public Task ProposeAsync(BulkRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Db.StringSetAsync(keys.BulkProposal(run.Id), JsonSerializer.Serialize(run, Json), ProposalLifetime);
    }

    /// <summary>The proposal, or null when it is gone.</summary>
    public async Task<BulkRun?> GetProposalAsync(string id) => Parse(await Db.StringGetAsync(keys.BulkProposal(id)));

    /// <summary>Drops a proposal (cancelled).</summary>
    public Task DropProposalAsync(string id) => Db.KeyDeleteAsync(keys.BulkProposal(id));

    /// <summary>
    /// Confirms a proposal: it becomes the run and takes the bulk claim, atomically. Returns the
    /// outcome and the id of the run that holds the claim (this one when started).
    /// </summary>
    public async Task<(BulkClaimOutcome Outcome, string? ActiveRun)> ClaimAsync(BulkRun proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        RedisValue[] args = [proposal.Id, RetentionMs, .. proposal.Items.Select(i => (RedisValue)i.AlertId)];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            ClaimScript, [keys.BulkActive, keys.BulkProposal(proposal.Id), keys.BulkRun(proposal.Id), keys.BulkItems(proposal.Id)], args))!;
        string active = (string)result[1]!;
        return ((BulkClaimOutcome)(int)result[0], active.Length == 0 ? null : active);
    }

    /// <summary>The run that holds the bulk claim, if any.</summary>
    public async Task<string?> GetActiveAsync() => (string?)await Db.StringGetAsync(keys.BulkActive);

    public async Task<BulkRun?> GetRunAsync(string id) => Parse(await Db.StringGetAsync(keys.BulkRun(id)));

    /// <summary>Every alert of a run and where it stands.</summary>
    public async Task<Dictionary<string, string>> GetItemsAsync(string id) =>
        (await Db.HashGetAllAsync(keys.BulkItems(id))).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);

    public Task SetItemAsync(string id, string alertId, string state) => Db.HashSetAsync(keys.BulkItems(id), alertId, state);

    /// <summary>The run is through: the bulk claim is free again (the run and its items stay for their retention).</summary>
    public Task FinishAsync(string id) => Db.ScriptEvaluateAsync(FinishScript, [keys.BulkActive], [id]);

    /// <summary>Takes the lease on running the active run (one instance at a time).</summary>
    public Task<bool> TakeLeaseAsync(string owner, TimeSpan lease) => Db.LockTakeAsync(keys.BulkLease, owner, lease);

    /// <summary>Keeps the lease; false when it was lost (another instance took over).</summary>
    public Task<bool> RenewLeaseAsync(string owner, TimeSpan lease) => Db.LockExtendAsync(keys.BulkLease, owner, lease);

    public Task ReleaseLeaseAsync(string owner) => Db.LockReleaseAsync(keys.BulkLease, owner);

    private static BulkRun? Parse(RedisValue json) => json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<BulkRun>((string)json!, Json);
}

/// <summary>Serializer metadata of the bulk runs.</summary>
[JsonSerializable(typeof(BulkRun))]
internal sealed partial class BulkLedgerJsonContext : JsonSerializerContext;
