using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Triage;

/// <summary>What a button on an alert card carries and signs: the alert, the signed action string, the version.</summary>
public sealed record SignedClick(string AlertId, string Action, int Version, string Signature);

/// <summary>A click that passed the gate: who may do what, and the alert as it is now with its card's context.</summary>
public sealed record AlertClick(
    TriageTexts Texts,
    string ConversationId,
    TriageAccess Access,
    PartnerSecurityAlert Alert,
    AlertCardContext Context,
    int CardVersion);

/// <summary>
/// What every click on an alert card goes through before its own work, in this order: readable data
/// from a conversation (else 400), the button's signature for that conversation (else "could not be
/// verified"), the clicking user's role (else the caller's explanation — or, for a read-only view,
/// no refusal at all), and the alert as Graph has it now (else "no longer exists"), with its card's
/// context and edit count in this conversation.
/// </summary>
public sealed partial class AlertClickGate(
    ITriageActionSigner signer,
    ITriageAccessCheck access,
    ClickAlertReader alerts,
    IAlertContextProvider contexts,
    IAlertLedger cards,
    ILogger<AlertClickGate> logger)
{
    /// <summary>
    /// Opens a click, or answers it when it may not go on (<c>Click</c> null, <c>Answer</c> set).
    /// </summary>
    /// <param name="request">The click.</param>
    /// <param name="button">The button's data; null when it could not be read.</param>
    /// <param name="role">The role the click needs.</param>
    /// <param name="refusal">Why a user without the role is refused, in their language; null lets them through (read-only views).</param>
    /// <param name="cancellationToken">The click's cancellation.</param>
    public async Task<(AlertClick? Click, AdaptiveCardInvokeResponse? Answer)> OpenAsync(
        CardActionRequest request, SignedClick? button, TriageRole role, Func<TriageTexts, TriageAccess, string>? refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TriageTexts texts = TriageTexts.For(request.Texts.Language);
        string? thread = request.Turn.Activity.Conversation?.Id;
        if (button is null || thread is null)
        {
            return (null, AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction));
        }

        string conversationId = ConversationReference.BaseConversationId(thread);
        string? clicker = request.Turn.Activity.From?.AadObjectId;
        if (!signer.Verify(button.Signature, button.AlertId, button.Action, button.Version, conversationId))
        {
            LogTampered(logger, button.Action, button.AlertId, clicker);
            return (null, AdaptiveCardInvokeResponse.Message(texts.Tampered));
        }

        TriageAccess allowed = await access.CheckAsync(request.Turn, role, cancellationToken);
        if (!allowed.Allowed && refusal is not null)
        {
            LogRefused(logger, button.Action, button.AlertId, clicker, allowed.Reason);
            return (null, AdaptiveCardInvokeResponse.Message(refusal(texts, allowed)));
        }

        PartnerSecurityAlert? alert = await alerts.GetAsync(button.AlertId, cancellationToken);
        if (alert is null)
        {
            return (null, AdaptiveCardInvokeResponse.Message(texts.Gone));
        }

        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        int cardVersion = (await cards.GetCardAsync(alert.Id, conversationId))?.Version ?? 1;
        return (new AlertClick(texts, conversationId, allowed, alert, context, cardVersion), null);
    }

    [LoggerMessage(5100, LogLevel.Warning, "Refused a click ({Action}) on {AlertId} by {ObjectId}: the button's signature does not verify")]
    private static partial void LogTampered(ILogger logger, string action, string alertId, string? objectId);

    [LoggerMessage(5101, LogLevel.Information, "Refused a click ({Action}) on {AlertId} by {ObjectId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string action, string alertId, string? objectId, TriageAccessReason reason);
}
