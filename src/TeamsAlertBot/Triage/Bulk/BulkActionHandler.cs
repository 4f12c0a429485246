using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage.Bulk;

/// <summary>
/// The bulk buttons of a storm card: a verdict for every open alert of the customer. The click is
/// checked as a single triage click is (signature for the conversation, the triage role); the first
/// click counts the alerts and asks for a confirmation that states the count; the confirmation
/// takes the one bulk claim (<see cref="BulkTriageLedger.ClaimAsync"/>) and hands the run to the
/// <see cref="BulkTriageRunner"/>, answering with the card's progress section at once.
/// </summary>
public sealed partial class BulkActionHandler(
    BulkTriageLedger ledger,
    BulkTriageRunner runner,
    ITriageLedger triage,
    IAlertLedger alerts,
    PartnerSecurityAlertClient graph,
    AlertCardRenderer renderer,
    IStormOverviewLedger overviews,
    ITriageAccessCheck access,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<BulkActionHandler> logger) : ICardActionHandler
{
    public string Verb => BulkActionData.BulkVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        BulkActionData? data = CardActionInput.Read(request.Data, BulkJsonContext.Default.BulkActionData) is { Signature.Length: > 0 } parsed ? parsed : null;
        string? thread = request.Turn.Activity.Conversation?.Id;
        if (data is null || thread is null)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        string language = request.Texts.Language;
        TriageTexts triageTexts = TriageTexts.For(language);
        BulkTexts texts = BulkTexts.For(language);
        string conversationId = ConversationReference.BaseConversationId(thread);
        string? clicker = request.Turn.Activity.From?.AadObjectId;
        if (!renderer.Verify(data, conversationId))
        {
            LogTampered(logger, data.Action, clicker);
            return AdaptiveCardInvokeResponse.Message(triageTexts.Tampered);
        }

        TriageAccess allowed = await access.CheckAsync(request.Turn, Authorization.TriageRole.Triage, cancellationToken);
        if (!allowed.Allowed)
        {
            LogRefused(logger, data.Action, clicker, allowed.Reason);
            return AdaptiveCardInvokeResponse.Message(allowed.Explain(
                triageTexts, allowed.Reason == TriageAccessReason.NotConfigured ? triageTexts.NotConfigured : triageTexts.NotAllowed));
        }

        return data.Step switch
        {
            BulkStep.Propose => await ProposeAsync(request, data, thread, conversationId, allowed, cancellationToken),
            BulkStep.Confirm => await ConfirmAsync(texts, data, conversationId),
            BulkStep.Retry => await RetryAsync(texts, data, conversationId),
            _ => await CancelAsync(data, language, conversationId),
        };
    }

    private async Task<AdaptiveCardInvokeResponse> ProposeAsync(
        CardActionRequest request, BulkActionData data, string thread, string conversationId, TriageAccess allowed, CancellationToken cancellationToken)
    {
        string language = request.Texts.Language;
        BulkTexts texts = BulkTexts.For(language);
        if (data.Customer is not { Length: > 0 } customer)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        // Every open alert of the scope, read from Graph now (not only those with a card here).
        List<BulkItem> items = [];
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(AlertQuery.Open, cancellationToken))
        {
            if (alert.CustomerTenantId == customer && (data.Subscription is null || alert.SubscriptionId == data.Subscription))
            {
                TriageRecord record = (await triage.GetAsync(alert.Id)).AsSeenAt(time.GetUtcNow());
                if (record.State != TriageState.Pending)
                {
                    items.Add(new BulkItem(alert.Id, record.Version));
                }
            }
        }

        if (items.Count == 0)
        {
            return AdaptiveCardInvokeResponse.Card(BulkCards.Note(texts, texts.NothingOpen));
        }

        DateTimeOffset now = time.GetUtcNow();
        StormThread? storm = await alerts.GetStormAsync(customer, conversationId, now, options.Value.StormWindow);
        // A subscription's buttons carry no name (to fit the card): the storm card's own record has it.
        string customerName = data.CustomerName ?? (await overviews.GetRootAsync(customer, conversationId))?.CustomerName ?? customer;
        var run = new BulkRun
        {
            Id = Guid.NewGuid().ToString("N"),
            Verdict = data.Verdict,
            Customer = customer,
            CustomerName = customerName,
            Subscription = data.Subscription,
            ConversationId = conversationId,
            CardConversationId = thread,
            CardActivityId = request.Turn.Activity.ReplyToId ?? string.Empty,
            ServiceUrl = request.Turn.Activity.ServiceUrl ?? string.Empty,
            Language = language,
            ActorName = request.Turn.Activity.From?.Name ?? request.Turn.Activity.From?.Id ?? "?",
            ActorObjectId = allowed.ObjectId,
            CreatedAt = now,
            StormStartedAt = storm?.StartedAt ?? now,
            Items = [.. items.OrderBy(i => i.AlertId, StringComparer.Ordinal)],
        };
        await ledger.ProposeAsync(run);
        string scope = data.Subscription is null ? texts.Format(texts.ScopeCustomer, customerName) : texts.Format(texts.ScopeSubscription, customerName, data.Subscription);
        BulkActionData Follow(BulkStep step) => renderer.SignBulk(
            new BulkActionData { Step = step, Verdict = data.Verdict, Customer = customer, CustomerName = customerName, Reference = run.Id, Signature = string.Empty },
            conversationId);
        LogProposed(logger, run.Id, data.Verdict, run.Items.Count, allowed.ObjectId);
        return AdaptiveCardInvokeResponse.Card(BulkCards.Confirm(texts, TriageTexts.For(language), run.Items.Count, scope, data.Verdict, Follow(BulkStep.Confirm), Follow(BulkStep.Cancel)));
    }

    private async Task<AdaptiveCardInvokeResponse> ConfirmAsync(BulkTexts texts, BulkActionData data, string conversationId)
    {
        if (data.Reference is null || await ledger.GetProposalAsync(data.Reference) is not { } proposal || proposal.ConversationId != conversationId)
        {
            return AdaptiveCardInvokeResponse.Message(texts.Expired);
        }

        return await StartAsync(texts, proposal);
    }

    /// <summary>A new run over the alerts whose update failed, at their versions now.</summary>
    private async Task<AdaptiveCardInvokeResponse> RetryAsync(BulkTexts texts, BulkActionData data, string conversationId)
    {
        if (data.Reference is null || await ledger.GetRunAsync(data.Reference) is not { } previous || previous.ConversationId != conversationId)
        {
            return AdaptiveCardInvokeResponse.Message(texts.Expired);
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
            return AdaptiveCardInvokeResponse.Message(texts.NothingOpen);
        }

        BulkRun run = previous with { Id = Guid.NewGuid().ToString("N"), CreatedAt = time.GetUtcNow(), Items = failed };
        await ledger.ProposeAsync(run);
        return await StartAsync(texts, run);
    }

    private async Task<AdaptiveCardInvokeResponse> StartAsync(BulkTexts texts, BulkRun proposal)
    {
        (BulkClaimOutcome outcome, string? active) = await ledger.ClaimAsync(proposal);
        switch (outcome)
        {
            case BulkClaimOutcome.Started:
                LogStarted(logger, proposal.Id, proposal.Verdict, proposal.Items.Count);
                runner.Wake();
                Dictionary<string, string> pending = proposal.Items.ToDictionary(i => i.AlertId, _ => BulkItemState.Pending, StringComparer.Ordinal);
                return AdaptiveCardInvokeResponse.Card(await runner.CardAsync(proposal, pending));
            case BulkClaimOutcome.Busy when active is not null && await ledger.GetRunAsync(active) is { } running:
                BulkProgress progress = BulkItemState.Progress(await ledger.GetItemsAsync(active));
                LogBusy(logger, proposal.Id, active);
                return AdaptiveCardInvokeResponse.Message(texts.Format(
                    texts.Busy, running.ActorName, TriageTexts.For(texts.Language).Verdict(running.Verdict), progress.Updated, progress.Total));
            default:
                return AdaptiveCardInvokeResponse.Message(texts.Expired);
        }
    }

    private async Task<AdaptiveCardInvokeResponse> CancelAsync(BulkActionData data, string language, string conversationId)
    {
        if (data.Reference is not null)
        {
            await ledger.DropProposalAsync(data.Reference);
        }

        string customer = data.Customer ?? string.Empty;
        StormThread? storm = await alerts.GetStormAsync(customer, conversationId, time.GetUtcNow(), options.Value.StormWindow);
        return AdaptiveCardInvokeResponse.Card(renderer.StormRoot(
            language, customer, data.CustomerName ?? customer, conversationId, storm?.StartedAt ?? time.GetUtcNow(), overview: await overviews.GetOverviewAsync(customer, conversationId)));
    }

    [LoggerMessage(5148, LogLevel.Warning, "Refused a bulk click ({Action}) by {ObjectId}: the button's signature does not verify")]
    private static partial void LogTampered(ILogger logger, string action, string? objectId);

    [LoggerMessage(5149, LogLevel.Information, "Refused a bulk click ({Action}) by {ObjectId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string action, string? objectId, TriageAccessReason reason);

    [LoggerMessage(5150, LogLevel.Information, "Bulk {Verdict} of {Count} alerts proposed as {RunId} by {ObjectId}")]
    private static partial void LogProposed(ILogger logger, string runId, TriageVerdict verdict, int count, string? objectId);

    [LoggerMessage(5151, LogLevel.Information, "Bulk run {RunId} ({Verdict} of {Count} alerts) holds the bulk claim")]
    private static partial void LogStarted(ILogger logger, string runId, TriageVerdict verdict, int count);

    [LoggerMessage(5152, LogLevel.Information, "Bulk run {RunId} not started: run {ActiveRunId} holds the bulk claim")]
    private static partial void LogBusy(ILogger logger, string runId, string activeRunId);
}
