using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>
/// A card refresh: each viewer gets the current card — with the triage buttons when they may
/// triage, read-only otherwise. Nothing is written.
/// </summary>
public sealed class RefreshActionHandler(AlertClickGate gate, AlertCardRenderer renderer) : ICardActionHandler
{
    public string Verb => RefreshActionData.RefreshVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefreshActionData? data = CardActionInput.Read(request.Data, TriageJsonContext.Default.RefreshActionData);
        (AlertClick? click, AdaptiveCardInvokeResponse? answer) = await gate.OpenAsync(
            request,
            data is null ? null : new SignedClick(data.AlertId, RefreshActionData.RefreshVerb, 0, data.Signature),
            Authorization.TriageRole.Triage,
            refusal: null,
            cancellationToken);
        if (click is null)
        {
            return answer!;
        }

        (Core.Cards.AdaptiveCard card, _) = await renderer.RenderAsync(
            click.Alert, click.Context, request.Texts.Language, click.ConversationId, click.CardVersion, readOnly: !click.Access.Allowed);
        return AdaptiveCardInvokeResponse.Card(card);
    }
}
