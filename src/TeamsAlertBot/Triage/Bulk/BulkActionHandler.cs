using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage.Bulk;

/// <summary>
/// The bulk buttons of every card that has them (a storm card, an <c>alerts</c> list, the backfill
/// card, the daily summary): a verdict for every open alert of the button's selection. The click is
/// checked as a single triage click is (signature for the conversation, the triage role); the first
/// click asks <see cref="BulkTriageService.ProposeAsync"/> and answers with a confirmation that states
/// the count; the confirmation asks <see cref="BulkTriageService.ConfirmAsync"/> and answers with the
/// card and the run's progress at once (the runner edits that card as the run goes on).
/// </summary>
public sealed partial class BulkActionHandler(
    BulkTriageService service,
    BulkTriageRunner runner,
    IAlertLedger alerts,
    AlertCardRenderer renderer,
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

        var actor = new BulkActor(request.Turn.Activity.From?.Name ?? request.Turn.Activity.From?.Id ?? "?", allowed.ObjectId);
        return data.Step switch
        {
            BulkStep.Propose => await ProposeAsync(request, data, thread, conversationId, actor, cancellationToken),
            BulkStep.Confirm => Answer(texts, data.Reference is null ? new BulkConfirmation(BulkConfirmOutcome.Expired) : await service.ConfirmAsync(data.Reference, actor, conversationId)),
            BulkStep.Retry => Answer(texts, data.Reference is null ? new BulkConfirmation(BulkConfirmOutcome.Expired) : await service.RetryAsync(data.Reference, actor, conversationId)),
            _ => await CancelAsync(data, language, conversationId),
        };
    }

    private async Task<AdaptiveCardInvokeResponse> ProposeAsync(
        CardActionRequest request, BulkActionData data, string thread, string conversationId, BulkActor actor, CancellationToken cancellationToken)
    {
        string language = request.Texts.Language;
        BulkTexts texts = BulkTexts.For(language);
        if (data.Selection() is not { } selection)
        {
            // A signed age button whose age was not chosen (or not one the card offers): say so.
            return data.Days is 0
                ? AdaptiveCardInvokeResponse.Message(BulkSelectionTexts.For(language).BadAge)
                : AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        if (selection.Check() != BulkSelectionError.None)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        DateTimeOffset? stormStartedAt = null;
        if (selection.Kind == BulkSelectionKind.Storm)
        {
            StormThread? storm = await alerts.GetStormAsync(selection.Customer!, conversationId, time.GetUtcNow(), options.Value.StormWindow);
            stormStartedAt = storm?.StartedAt;
        }

        var origin = new BulkOrigin
        {
            ConversationId = conversationId,
            CardConversationId = thread,
            CardActivityId = request.Turn.Activity.ReplyToId ?? string.Empty,
            ServiceUrl = request.Turn.Activity.ServiceUrl ?? string.Empty,
            Language = language,
            StormStartedAt = stormStartedAt,
        };
        BulkProposal proposal;
        try
        {
            proposal = await service.ProposeAsync(actor, selection, data.Verdict, origin, cancellationToken);
        }
        catch (Exception e) when (e is GraphException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogGraphFailed(logger, e, selection.Kind);
            return AdaptiveCardInvokeResponse.Message(BulkSelectionTexts.For(language).GraphUnavailable);
        }

        if (proposal.Count == 0)
        {
            return AdaptiveCardInvokeResponse.Card(BulkCards.Note(texts, texts.NothingOpen));
        }

        // The follow-up buttons carry the proposal and enough to restore a storm card on Cancel.
        BulkActionData Follow(BulkStep step) => renderer.SignBulk(
            new BulkActionData
            {
                Step = step,
                Verdict = data.Verdict,
                Customer = selection.Kind == BulkSelectionKind.Storm ? selection.Customer : null,
                CustomerName = selection.Kind == BulkSelectionKind.Storm ? selection.CustomerName ?? selection.Customer : null,
                Reference = proposal.Id,
                Signature = string.Empty,
            },
            conversationId);
        return AdaptiveCardInvokeResponse.Card(BulkCards.Confirm(language, proposal.Count, selection, data.Verdict, Follow(BulkStep.Confirm), Follow(BulkStep.Cancel)));
    }

    private AdaptiveCardInvokeResponse Answer(BulkTexts texts, BulkConfirmation confirmation)
    {
        switch (confirmation.Outcome)
        {
            case BulkConfirmOutcome.Started when confirmation.Run is { } run:
                Dictionary<string, string> pending = run.Items.ToDictionary(i => i.AlertId, _ => BulkItemState.Pending, StringComparer.Ordinal);
                return AdaptiveCardInvokeResponse.Card(runner.Card(run, pending));
            case BulkConfirmOutcome.Busy when confirmation.Active is { } active:
                return AdaptiveCardInvokeResponse.Message(texts.Format(
                    texts.Busy, active.Run.ActorName, TriageTexts.For(texts.Language).Verdict(active.Run.Verdict), active.Progress.Updated, active.Progress.Total));
            case BulkConfirmOutcome.NotProposer when confirmation.Run is { } proposal:
                BulkSelectionTexts other = BulkSelectionTexts.For(texts.Language);
                return AdaptiveCardInvokeResponse.Message(other.Format(other.NotProposer, proposal.ActorName));
            case BulkConfirmOutcome.NothingToDo:
                return AdaptiveCardInvokeResponse.Message(texts.NothingOpen);
            default:
                return AdaptiveCardInvokeResponse.Message(texts.Expired);
        }
    }

    private async Task<AdaptiveCardInvokeResponse> CancelAsync(BulkActionData data, string language, string conversationId)
    {
        if (data.Reference is not null)
        {
            await service.CancelAsync(data.Reference);
        }

        if (data.Customer is not { Length: > 0 } customer)
        {
            // From a list, the backfill card or the summary: the card is not rebuilt here; nothing was changed.
            BulkSelectionTexts other = BulkSelectionTexts.For(language);
            return AdaptiveCardInvokeResponse.Card(BulkCards.Note(BulkTexts.For(language), other.Cancelled));
        }

        StormThread? storm = await alerts.GetStormAsync(customer, conversationId, time.GetUtcNow(), options.Value.StormWindow);
        return AdaptiveCardInvokeResponse.Card(renderer.StormRoot(language, customer, data.CustomerName ?? customer, conversationId, storm?.StartedAt ?? time.GetUtcNow()));
    }

    [LoggerMessage(5148, LogLevel.Warning, "Refused a bulk click ({Action}) by {ObjectId}: the button's signature does not verify")]
    private static partial void LogTampered(ILogger logger, string action, string? objectId);

    [LoggerMessage(5149, LogLevel.Information, "Refused a bulk click ({Action}) by {ObjectId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string action, string? objectId, TriageAccessReason reason);

    [LoggerMessage(6103, LogLevel.Warning, "A bulk action ({Selection}) was not proposed: Graph could not list the alerts")]
    private static partial void LogGraphFailed(ILogger logger, Exception exception, BulkSelectionKind selection);
}
