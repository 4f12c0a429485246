using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Triage.Bulk;

/// <summary>Who asks for a bulk action (the caller has checked the triage role).</summary>
/// <param name="Name">Shown on the cards and in the audit trail.</param>
/// <param name="ObjectId">The Entra object id, when known; it is what tells two people apart.</param>
public sealed record BulkActor(string Name, string? ObjectId);

/// <summary>
/// Where a bulk action comes from, and so where its progress shows: the card whose button started it
/// (edited as the run goes on), in the conversation its buttons are signed for. Empty ids = no card
/// (a caller without one, e.g. a web API, reads the progress with <see cref="BulkTriageService.GetRunAsync"/>).
/// </summary>
public sealed record BulkOrigin
{
    /// <summary>The conversation (without thread suffix) the card's buttons are signed for.</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>The conversation of the card message (a thread in a channel).</summary>
    public string CardConversationId { get; init; } = string.Empty;

    /// <summary>The card message that shows the progress.</summary>
    public string CardActivityId { get; init; } = string.Empty;

    public string ServiceUrl { get; init; } = string.Empty;

    /// <summary>The language of the cards (en or ja).</summary>
    public string Language { get; init; } = "en";

    /// <summary>When the storm began, for a storm card's progress (it shows it).</summary>
    public DateTimeOffset? StormStartedAt { get; init; }

    /// <summary>No card: the progress is only read.</summary>
    public static BulkOrigin None(string language = "en") => new() { Language = language };
}

/// <summary>A bulk action waiting for its confirmation: the alerts it would decide now.</summary>
/// <param name="Id">What <see cref="BulkTriageService.ConfirmAsync"/> takes.</param>
/// <param name="Verdict">The verdict it would give.</param>
/// <param name="Selection">How its alerts were chosen.</param>
/// <param name="AlertIds">The open alerts it covers (those whose single triage is in flight are left out).</param>
/// <param name="ExpiresAt">After this, confirming it says it expired.</param>
public sealed record BulkProposal(string Id, TriageVerdict Verdict, BulkSelection Selection, IReadOnlyList<string> AlertIds, DateTimeOffset ExpiresAt)
{
    /// <summary>How many alerts the confirmation states.</summary>
    public int Count => AlertIds.Count;
}

/// <summary>How a confirmation ended.</summary>
public enum BulkConfirmOutcome
{
    /// <summary>The run holds the bulk claim and starts.</summary>
    Started,

    /// <summary>Another run holds the bulk claim (<see cref="BulkConfirmation.Active"/> says whose and how far).</summary>
    Busy,

    /// <summary>The proposal is gone (expired, cancelled, confirmed already) or is for another conversation.</summary>
    Expired,

    /// <summary>Someone other than who proposed it tries to confirm it.</summary>
    NotProposer,

    /// <summary>A retry found nothing that failed.</summary>
    NothingToDo,
}

/// <summary>The answer to a confirmation (or a retry).</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Run">The run that started (<see cref="BulkConfirmOutcome.Started"/>), or whose proposal was refused to someone else.</param>
/// <param name="Active">The run that holds the claim when busy.</param>
public sealed record BulkConfirmation(BulkConfirmOutcome Outcome, BulkRun? Run = null, BulkRunStatus? Active = null);

/// <summary>A run and where it stands.</summary>
public sealed record BulkRunStatus(BulkRun Run, BulkProgress Progress)
{
    public string RunId => Run.Id;
}

/// <summary>
/// Bulk triage as one service for every entry point (the storm card, an <c>alerts</c> list, the
/// backfill card, the daily summary, and a web API): <see cref="ProposeAsync"/> evaluates a
/// <see cref="BulkSelection"/> against Graph now and stores the alerts it covers as a proposal;
/// <see cref="ConfirmAsync"/> turns the proposal into a run holding the one bulk claim (of two
/// concurrent confirmations exactly one runs) and wakes the <see cref="BulkTriageRunner"/>;
/// <see cref="GetRunAsync"/> reads a run's progress. The caller checks the triage role first.
/// </summary>
public sealed partial class BulkTriageService(
    BulkTriageLedger ledger,
    BulkTriageRunner runner,
    ITriageLedger triage,
    PartnerSecurityAlertClient graph,
    TimeProvider time,
    ILogger<BulkTriageService> logger)
{
    /// <summary>
    /// Lists the open alerts of the selection from Graph now (all of them, not only those with a card
    /// somewhere), leaves out those whose single-triage claim is in flight, and stores them with the
    /// triage version each has now as a proposal (<see cref="BulkTriageLedger.ProposalLifetime"/>).
    /// A proposal of no alerts is not stored (its id confirms nothing).
    /// </summary>
    /// <exception cref="ArgumentException">The selection does not pass <see cref="BulkSelection.Check"/>.</exception>
    /// <exception cref="GraphException">Graph could not list the alerts.</exception>
    public async Task<BulkProposal> ProposeAsync(BulkActor actor, BulkSelection selection, TriageVerdict verdict, BulkOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(origin);
        if (selection.Check() is not BulkSelectionError.None and var error)
        {
            throw new ArgumentException($"The bulk selection cannot be used: {error}.", nameof(selection));
        }

        DateTimeOffset now = time.GetUtcNow();
        List<BulkItem> items = [];
        HashSet<string> seen = new(StringComparer.Ordinal);
        // Only open alerts are ever decided: the open list is what every selection narrows.
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(AlertQuery.Open, cancellationToken))
        {
            if (selection.Matches(alert, now) && seen.Add(alert.Id))
            {
                TriageRecord record = (await triage.GetAsync(alert.Id)).AsSeenAt(now);
                if (record.State != TriageState.Pending)
                {
                    items.Add(new BulkItem(alert.Id, record.Version));
                }
            }
        }

        var run = new BulkRun
        {
            Id = Guid.NewGuid().ToString("N"),
            Verdict = verdict,
            Selection = selection,
            Customer = selection.Kind == BulkSelectionKind.Storm ? selection.Customer : null,
            CustomerName = selection.Kind == BulkSelectionKind.Storm ? selection.CustomerName : null,
            Subscription = selection.Kind == BulkSelectionKind.Storm ? selection.Subscription : null,
            ConversationId = origin.ConversationId,
            CardConversationId = origin.CardConversationId,
            CardActivityId = origin.CardActivityId,
            ServiceUrl = origin.ServiceUrl,
            Language = origin.Language,
            ActorName = actor.Name,
            ActorObjectId = actor.ObjectId,
            CreatedAt = now,
            StormStartedAt = selection.Kind == BulkSelectionKind.Storm ? origin.StormStartedAt ?? now : null,
            Items = [.. items.OrderBy(i => i.AlertId, StringComparer.Ordinal)],
        };
        if (run.Items.Count > 0)
        {
            await ledger.ProposeAsync(run);
            LogProposed(logger, run.Id, selection.Kind, verdict, run.Items.Count, actor.ObjectId);
        }

        return new BulkProposal(run.Id, verdict, selection, [.. run.Items.Select(i => i.AlertId)], now + BulkTriageLedger.ProposalLifetime);
    }

    /// <summary>The stored proposal as a run not yet started, or null when it is gone.</summary>
    public Task<BulkRun?> GetProposalAsync(string proposalId) => ledger.GetProposalAsync(proposalId);

    /// <summary>
    /// Confirms a proposal: only who proposed it may (compared by object id when both are known, by
    /// name otherwise), and only from the conversation it was proposed in when
    /// <paramref name="conversationId"/> is given. Takes the one bulk claim atomically and wakes the runner.
    /// </summary>
    public async Task<BulkConfirmation> ConfirmAsync(string proposalId, BulkActor actor, string? conversationId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await ledger.GetProposalAsync(proposalId) is not { } proposal || (conversationId is not null && proposal.ConversationId != conversationId))
        {
            return new BulkConfirmation(BulkConfirmOutcome.Expired);
        }

        if (!SameActor(proposal, actor))
        {
            return new BulkConfirmation(BulkConfirmOutcome.NotProposer, proposal);
        }

        return await StartAsync(proposal);
    }

    /// <summary>
    /// A new run over the alerts whose update failed in <paramref name="runId"/>, at their triage
    /// versions now, confirmed at once (the button that asks for it shows the count).
    /// </summary>
    public async Task<BulkConfirmation> RetryAsync(string runId, BulkActor actor, string? conversationId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await ledger.GetRunAsync(runId) is not { } previous || (conversationId is not null && previous.ConversationId != conversationId))
        {
            return new BulkConfirmation(BulkConfirmOutcome.Expired);
        }

        List<BulkItem> failed = [];
        foreach ((string alertId, string state) in await ledger.GetItemsAsync(previous.Id))
        {
            if (BulkItemState.IsFailed(state))
            {
                failed.Add(new BulkItem(alertId, (await triage.GetAsync(alertId)).Version));
            }
        }

        if (failed.Count == 0)
        {
            return new BulkConfirmation(BulkConfirmOutcome.NothingToDo);
        }

        BulkRun run = previous with
        {
            Id = Guid.NewGuid().ToString("N"),
            CreatedAt = time.GetUtcNow(),
            ActorName = actor.Name,
            ActorObjectId = actor.ObjectId,
            Items = [.. failed.OrderBy(i => i.AlertId, StringComparer.Ordinal)],
        };
        await ledger.ProposeAsync(run);
        return await StartAsync(run);
    }

    /// <summary>Drops a proposal (cancelled).</summary>
    public Task CancelAsync(string proposalId) => ledger.DropProposalAsync(proposalId);

    /// <summary>A run and its progress, or null when unknown (or past its retention).</summary>
    public async Task<BulkRunStatus?> GetRunAsync(string runId) =>
        await ledger.GetRunAsync(runId) is { } run ? new BulkRunStatus(run, BulkItemState.Progress(await ledger.GetItemsAsync(run.Id))) : null;

    /// <summary>The run that holds the bulk claim now, if any.</summary>
    public async Task<BulkRunStatus?> GetActiveAsync() =>
        await ledger.GetActiveAsync() is { } id ? await GetRunAsync(id) : null;

    private async Task<BulkConfirmation> StartAsync(BulkRun proposal)
    {
        (BulkClaimOutcome outcome, string? active) = await ledger.ClaimAsync(proposal);
        switch (outcome)
        {
            case BulkClaimOutcome.Started:
                LogStarted(logger, proposal.Id, proposal.Verdict, proposal.Items.Count);
                runner.Wake();
                return new BulkConfirmation(BulkConfirmOutcome.Started, proposal);
            case BulkClaimOutcome.Busy when active is not null:
                LogBusy(logger, proposal.Id, active);
                // The active run may finish between the claim and this read: then it is simply busy with no details.
                return new BulkConfirmation(BulkConfirmOutcome.Busy, proposal, await GetRunAsync(active));
            default:
                return new BulkConfirmation(BulkConfirmOutcome.Expired);
        }
    }

    private static bool SameActor(BulkRun proposal, BulkActor actor) =>
        proposal.ActorObjectId is { Length: > 0 } proposer && actor.ObjectId is { Length: > 0 } confirmer
            ? string.Equals(proposer, confirmer, StringComparison.OrdinalIgnoreCase)
            : proposal.ActorObjectId is not { Length: > 0 } && actor.ObjectId is not { Length: > 0 } && proposal.ActorName == actor.Name;

    [LoggerMessage(6100, LogLevel.Information, "Bulk {Verdict} of {Count} alerts ({Selection}) proposed as {RunId} by {ObjectId}")]
    private static partial void LogProposed(ILogger logger, string runId, BulkSelectionKind selection, TriageVerdict verdict, int count, string? objectId);

    [LoggerMessage(6101, LogLevel.Information, "Bulk run {RunId} ({Verdict} of {Count} alerts) holds the bulk claim")]
    private static partial void LogStarted(ILogger logger, string runId, TriageVerdict verdict, int count);

    [LoggerMessage(6102, LogLevel.Information, "Bulk run {RunId} not started: run {ActiveRunId} holds the bulk claim")]
    private static partial void LogBusy(ILogger logger, string runId, string activeRunId);
}
