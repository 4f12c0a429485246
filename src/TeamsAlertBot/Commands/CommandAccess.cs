using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Commands;

/// <summary>
/// Who may ask the bot about customers, subscriptions, resellers, the partner profile and alerts
/// (typed or through a card's button): the people who may triage (<c>Triage:Authorization:Triage*</c>).
/// The answers carry partner and customer data, so the rest of the tenant gets an explanation.
/// </summary>
public sealed class CommandAccess(ITriageAuthorizer authorizer)
{
    /// <summary>Null when the user may ask; otherwise why not, in the user's language.</summary>
    public async Task<string?> RefusalAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        TriageDecision decision = await authorizer.AuthorizeAsync(TriageActor.FromTurn(turn), TriageRole.Triage, cancellationToken);
        return decision.IsAllowed ? null : decision.Reason switch
        {
            TriageDecisionReason.NotConfigured => texts.QueriesNotConfigured,
            TriageDecisionReason.VerificationFailed => texts.QueriesVerificationFailed,
            _ => texts.QueriesNotAllowed,
        };
    }
}
