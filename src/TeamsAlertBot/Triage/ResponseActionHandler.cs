using System.Text.Json;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Triage;

/// <summary>
/// The guided response's buttons (<c>alert.respond</c>): show the checklist, tick or untick a step,
/// back to the alert, the customer notification draft and the support packet. Every click goes
/// through the gate (<see cref="AlertClickGate"/>: signature, the triage role, the alert now) — the
/// checklist records remediation done in the customer's tenant, and the draft and packet carry partner
/// and customer data, so the triage role that decides the verdict is the one that may. A tick is one
/// atomic step with its audit entry (<see cref="IResponseChecklistLedger"/>); then every card of the
/// alert is edited (through the work stream) so its progress shows for everyone.
/// </summary>
public sealed partial class ResponseActionHandler(
    IResponseChecklistLedger checklists,
    ITriageLedger triage,
    AlertClickGate gate,
    AlertCardRenderer renderer,
    ResponseViews views,
    IAlertWorkStreams work,
    WorkSignal signal,
    TimeProvider time,
    ILogger<ResponseActionHandler> logger) : ICardActionHandler
{
    public string Verb => ResponseActionData.RespondVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseActionData? data = Read(request.Data);
        (AlertClick? click, AdaptiveCardInvokeResponse? refused) = await gate.OpenAsync(
            request,
            data is null ? null : new SignedClick(data.AlertId, ResponseActionData.Action(data.Step, data.Item, data.Language), data.Version, data.Signature),
            TriageRole.Triage,
            (texts, access) => access.Explain(texts, access.Reason == TriageAccessReason.NotConfigured ? texts.NotConfigured : texts.NotAllowed),
            cancellationToken);
        if (click is null || data is null)
        {
            return refused!;
        }

        (_, string conversationId, TriageAccess allowed, PartnerSecurityAlert alert, AlertCardContext context, int cardVersion) = click;
        string language = request.Texts.Language;
        using IDisposable? scope = logger.BeginScope(Diagnostics.WorkScope.For(alert.Id, null));
        switch (data.Step)
        {
            case ResponseStep.Back:
                return AdaptiveCardInvokeResponse.Card((await renderer.RenderAsync(alert, context, language, conversationId, cardVersion)).Card);
            case ResponseStep.Notify:
                ResponseChecklistState notifyState = await checklists.GetAsync(alert.Id);
                return AdaptiveCardInvokeResponse.Card(views.Notification(
                    language, data.Language ?? language, alert, context, ResponseChecklist.VerdictOf(notifyState.Triage), conversationId, notifyState.Triage.Version));
            case ResponseStep.Support:
                return AdaptiveCardInvokeResponse.Card(await views.SupportPacketAsync(language, alert, context, conversationId));
            case ResponseStep.Show:
                return AdaptiveCardInvokeResponse.Card(views.Checklist(language, alert, await checklists.GetAsync(alert.Id), conversationId));
            default:
                break;
        }

        // Tick or untick.
        if (data.Item is not { } item)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        TriageRecord record = await triage.GetAsync(alert.Id);
        bool done = data.Step == ResponseStep.Tick;
        ResponseTickOutcome outcome = ResponseTickOutcome.Stale;
        if (record.Version == data.Version && ResponseChecklist.VerdictOf(record) is { } verdict
            && ResponseChecklist.For(verdict, alert.AlertType).Contains(item))
        {
            DateTimeOffset now = time.GetUtcNow();
            string actor = request.Turn.Activity.From?.Name ?? request.Turn.Activity.From?.Id ?? "?";
            var audit = new AuditEntry(
                now,
                (done ? AuditVocabulary.ResponseStepDonePrefix : AuditVocabulary.ResponseStepUndonePrefix) + item,
                actor,
                allowed.ObjectId,
                Comment: null,
                AuditVocabulary.Recorded);
            outcome = await checklists.SetAsync(alert.Id, data.Version, verdict, item, done, new ResponseTick(actor, allowed.ObjectId, now), audit);
        }

        LogTick(logger, alert.Id, item, done, outcome, allowed.ObjectId);
        if (outcome == ResponseTickOutcome.Recorded)
        {
            // Every card of the alert shows the new progress: the dispatcher edits them (durable, retried).
            await work.EnqueueAsync(AlertWorkItem.Update(alert.Id));
            signal.Raise();
        }

        ResponseChecklistState state = await checklists.GetAsync(alert.Id);
        return AdaptiveCardInvokeResponse.Card(views.Checklist(
            language, alert, state, conversationId, notice: outcome == ResponseTickOutcome.Stale ? ResponseTexts.For(language).StaleChecklist : null));
    }

    private static ResponseActionData? Read(JsonElement? data) =>
        CardActionInput.Read(data, ResponseJsonContext.Default.ResponseActionData) is { AlertId.Length: > 0, Signature.Length: > 0 } parsed
        && Enum.IsDefined(parsed.Step)
        && (parsed.Item is null || Enum.IsDefined(parsed.Item.Value))
        && (parsed.Language is null or "en" or "ja")
            ? parsed
            : null;

    [LoggerMessage(6200, LogLevel.Information, "Response checklist of {AlertId}: {Item} set to done={Done} by {ObjectId}: {Outcome}")]
    private static partial void LogTick(ILogger logger, string alertId, ResponseItem item, bool done, ResponseTickOutcome outcome, string? objectId);
}
