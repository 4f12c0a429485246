using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// A card refresh: each viewer gets the current card — with the triage buttons when they may
/// triage, read-only otherwise. Nothing is written.
/// </summary>
public sealed partial class RefreshActionHandler(
    ITriageActionSigner signer,
    ITriageAccessCheck access,
    ClickAlertReader source,
    IAlertContextProvider contexts,
    AlertLedger alerts,
    AlertCardRenderer renderer,
    ILogger<RefreshActionHandler> logger) : ICardActionHandler
{
    public string Verb => RefreshActionData.RefreshVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefreshActionData? data = CardActionInput.Read(request.Data, TriageJsonContext.Default.RefreshActionData);

        string? thread = request.Turn.Activity.Conversation?.Id;
        if (data is null || thread is null)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        string conversationId = ConversationReference.BaseConversationId(thread);
        if (!signer.Verify(data.Signature, data.AlertId, RefreshActionData.RefreshVerb, 0, conversationId))
        {
            LogTampered(logger, data.AlertId);
            return AdaptiveCardInvokeResponse.Message(TriageTexts.For(request.Texts.Language).Tampered);
        }

        PartnerSecurityAlert? alert = await source.GetAsync(data.AlertId, cancellationToken);
        if (alert is null)
        {
            return AdaptiveCardInvokeResponse.Message(TriageTexts.For(request.Texts.Language).Gone);
        }

        TriageAccess allowed = await access.CheckAsync(request.Turn, Authorization.TriageRole.Triage, cancellationToken);
        int version = (await alerts.GetCardAsync(alert.Id, conversationId))?.Version ?? 1;
        (Core.Cards.AdaptiveCard card, _) = await renderer.RenderAsync(
            alert, await contexts.GetContextAsync(alert, cancellationToken), request.Texts.Language, conversationId, version, readOnly: !allowed.Allowed);
        return AdaptiveCardInvokeResponse.Card(card);
    }

    [LoggerMessage(5110, LogLevel.Warning, "Refused a card refresh for {AlertId}: its signature does not verify")]
    private static partial void LogTampered(ILogger logger, string alertId);
}
