using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Triage;

/// <summary>
/// Mitigation after a recorded fraud verdict: cancel the compromised Azure subscription through
/// Partner Center (Azure entitlement cancel, reason <c>compromise</c>). Only the elevated mitigation
/// role may, and only after typing the subscription id on a confirmation card. In order: the gate
/// (<see cref="AlertClickGate"/>: signature, the mitigation role, the alert now), the alert's state (fraud applied at the button's version, the
/// Azure plan known), the typed id, one atomic claim (exactly one of concurrent confirmations calls
/// Partner Center), then Partner Center; the outcome goes onto every card, into the audit trail and,
/// when accepted, into the threads. Answered within <see cref="TriageOptions.AnswerBudget"/>.
/// </summary>
public sealed partial class MitigationActionHandler(
    ITriageLedger triage,
    IMitigationLedger mitigations,
    AlertClickGate gate,
    AlertCardRenderer renderer,
    AlertPublisher publisher,
    IPartnerCenterClient partnerCenter,
    TriageThreadReplies threads,
    IOptions<TriageOptions> options,
    TimeProvider time,
    ILogger<MitigationActionHandler> logger) : ICardActionHandler
{
    public string Verb => MitigationActionData.MitigateVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TurnContext turn = request.Turn;
        string language = request.Texts.Language;
        MitigationActionData? data = Read(request.Data);
        (AlertClick? click, AdaptiveCardInvokeResponse? refused) = await gate.OpenAsync(
            request,
            data is null ? null : new SignedClick(data.AlertId, MitigationActionData.Action(data.Step), data.Version, data.Signature),
            TriageRole.Mitigate,
            (texts, access) => access.Explain(texts, texts.MitigateNotAllowed),
            cancellationToken);
        if (click is null || data is null)
        {
            return refused!;
        }

        (TriageTexts texts, string conversationId, TriageAccess allowed, PartnerSecurityAlert alert, AlertCardContext context, int cardVersion) = click;
        TriageRecord record = await triage.GetAsync(alert.Id);
        MitigationRecord? mitigation = await mitigations.GetAsync(alert.Id);
        if (data.Step == MitigationStep.Back || record.Version != data.Version)
        {
            // Back, or the alert was reopened or decided again since this card: show what stands.
            return await CardAsync(alert, context, language, conversationId, cardVersion, record);
        }

        string? customer = alert.CustomerTenantId ?? context.CustomerTenantId;
        if (!MitigationCards.Offered(record, alert.IsOpen, context.AzurePlanSubscriptionId, alert.SubscriptionId, mitigation, time.GetUtcNow())
            || customer is null)
        {
            return mitigation is null
                ? AdaptiveCardInvokeResponse.Message(texts.MitigateNotAvailable)
                : await CardAsync(alert, context, language, conversationId, cardVersion, record);
        }

        string subscriptionId = alert.SubscriptionId!;
        if (data.Step == MitigationStep.Ask)
        {
            return AdaptiveCardInvokeResponse.Card(ConfirmCard(texts, alert, context, subscriptionId, conversationId, record.Version, error: null));
        }

        if (!MitigationCards.Matches(CardActionInput.Text(request.Data, MitigationCards.ConfirmInputId, maxLength: 64), subscriptionId))
        {
            LogMismatch(logger, alert.Id, allowed.ObjectId);
            return AdaptiveCardInvokeResponse.Card(ConfirmCard(texts, alert, context, subscriptionId, conversationId, record.Version, texts.MitigateMismatch));
        }

        var claim = new MitigationRecord
        {
            State = MitigationState.Pending,
            AzureSubscriptionId = subscriptionId,
            AzurePlanSubscriptionId = context.AzurePlanSubscriptionId!,
            CustomerTenantId = customer,
            ActorName = turn.Activity.From?.Name ?? turn.Activity.From?.Id ?? "?",
            ActorObjectId = allowed.ObjectId,
            At = time.GetUtcNow(),
        };
        (bool won, MitigationRecord? current) = await mitigations.TryClaimAsync(alert.Id, claim, record.Version);
        if (!won || current is null)
        {
            // Another cancellation stands, or the alert was reopened or decided again meanwhile.
            LogNotClaimed(logger, alert.Id, current?.State);
            return await CardAsync(alert, context, language, conversationId, cardVersion, record);
        }

        LogClaimed(logger, alert.Id, subscriptionId, allowed.ObjectId);
        Task apply = ApplyAsync(alert.Id, current, cancellationToken);
        if (await AnswerBudget.WaitAsync(apply, options.Value.AnswerBudget, time, e => LogApplyFailed(logger, e, alert.Id), cancellationToken))
        {
            await apply;
            cardVersion++;
        }

        return await CardAsync(alert, context, language, conversationId, cardVersion, record);
    }

    /// <summary>Partner Center first; then the record, the audit trail, every card and the threads.</summary>
    private async Task ApplyAsync(string alertId, MitigationRecord claimed, CancellationToken cancellationToken)
    {
        MitigationState state;
        string? error = null;
        try
        {
            await partnerCenter.CancelAzureEntitlementAsync(
                claimed.CustomerTenantId, claimed.AzurePlanSubscriptionId, claimed.AzureSubscriptionId, cancellationToken);
            state = MitigationState.Accepted;
        }
        catch (Exception e)
        {
            // Including shutdown mid-call: the record must not stay pending (the card offers a retry).
            // Partner Center's status and code, or null: no answer (the card says so in the reader's language).
            error = e is PartnerCenterException { StatusCode: { } status } pc
                ? string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}{(pc.ErrorCode is null ? string.Empty : $" ({pc.ErrorCode})")}")
                : null;
            LogPartnerCenterFailed(logger, e, alertId);
            state = MitigationState.Failed;
        }

        if (!await mitigations.CompleteAsync(alertId, claimed, state, error))
        {
            // This claim lapsed and another confirmation took over: its outcome is the one to record.
            LogClaimLapsed(logger, alertId, state);
            return;
        }

        await triage.AppendAuditAsync(alertId, new AuditEntry(
            time.GetUtcNow(),
            AuditVocabulary.CancelAzureSubscription,
            claimed.ActorName,
            claimed.ActorObjectId,
            $"Azure subscription {claimed.AzureSubscriptionId} (Azure plan {claimed.AzurePlanSubscriptionId})",
            state == MitigationState.Accepted ? AuditVocabulary.Accepted : AuditVocabulary.PartnerCenterFailedPrefix + (error ?? AuditVocabulary.NoAnswer)));
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await publisher.UpdateAsync(alertId, cancellationToken);
        if (state == MitigationState.Accepted)
        {
            string when = TimeZoneInfo.ConvertTime(claimed.At, renderer.TimeZone).ToString("yyyy-MM-dd HH:mm (zzz)", CultureInfo.InvariantCulture);
            await threads.ReplyAsync(
                alertId, texts => texts.Format(texts.ThreadMitigation, MarkdownText.Escape(claimed.ActorName), claimed.AzureSubscriptionId, when), cancellationToken);
        }
    }

    private AdaptiveCard ConfirmCard(
        TriageTexts texts, PartnerSecurityAlert alert, AlertCardContext context, string subscriptionId, string conversationId, int version, string? error)
    {
        string title = alert.DisplayName ?? AlertCards.HumanizeAlertType(alert.AlertType) ?? alert.Id;
        string subscription = context.SubscriptionName is { Length: > 0 } name ? $"{name} ({subscriptionId})" : subscriptionId;
        string customer = context.CustomerName ?? alert.CustomerTenantId ?? context.CustomerTenantId ?? "?";
        return MitigationCards.Confirm(
            texts,
            title,
            subscription,
            subscriptionId,
            customer,
            renderer.MitigationData(alert.Id, MitigationStep.Confirm, version, conversationId),
            renderer.MitigationData(alert.Id, MitigationStep.Back, version, conversationId),
            error);
    }

    private async Task<AdaptiveCardInvokeResponse> CardAsync(
        PartnerSecurityAlert alert, AlertCardContext context, string language, string conversationId, int cardVersion, TriageRecord record)
    {
        (AdaptiveCard card, _) = await renderer.RenderAsync(alert, context, language, conversationId, cardVersion, record);
        return AdaptiveCardInvokeResponse.Card(card);
    }

    private static MitigationActionData? Read(JsonElement? data) =>
        CardActionInput.Read(data, MitigationJsonContext.Default.MitigationActionData) is { AlertId.Length: > 0, Signature.Length: > 0 } parsed
        && Enum.IsDefined(parsed.Step)
            ? parsed
            : null;

    [LoggerMessage(5122, LogLevel.Information, "Mitigation of {AlertId} not started by {ObjectId}: the typed subscription id does not match")]
    private static partial void LogMismatch(ILogger logger, string alertId, string? objectId);

    [LoggerMessage(5123, LogLevel.Warning, "Mitigation of {AlertId}: cancelling Azure subscription {SubscriptionId}, claimed by {ObjectId}")]
    private static partial void LogClaimed(ILogger logger, string alertId, string subscriptionId, string? objectId);

    [LoggerMessage(5124, LogLevel.Information, "Mitigation click on {AlertId} not claimed: the cancellation is {State} (none: the triage moved on)")]
    private static partial void LogNotClaimed(ILogger logger, string alertId, MitigationState? state);

    [LoggerMessage(5125, LogLevel.Error, "Partner Center refused or failed the cancellation for {AlertId}; the card offers a retry")]
    private static partial void LogPartnerCenterFailed(ILogger logger, Exception exception, string alertId);

    [LoggerMessage(5126, LogLevel.Error, "Completing the mitigation of {AlertId} failed after the click was answered")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string alertId);

    [LoggerMessage(5127, LogLevel.Warning, "The cancellation for {AlertId} ended {State} after its claim had lapsed; another confirmation's outcome stands")]
    private static partial void LogClaimLapsed(ILogger logger, string alertId, MitigationState state);
}
