using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Commands;

/// <summary>
/// The triage role (<c>Triage:Authorization:Triage*</c>) guards everything that shows or moves partner
/// and customer data: asking the bot about customers, subscriptions, resellers, the partner profile and
/// alerts (typed or through a card's button), and routing alerts — subscribing or unsubscribing a
/// conversation and posting older alerts into it. Anyone else gets an explanation in their language.
/// </summary>
/// <remarks>
/// Routing uses the triage role rather than a role of its own: the people who triage are the ones who
/// receive the cards, and letting anyone else pick where cards go would hand them the same data the
/// look-ups refuse them. The mitigation role (admins) is a separate, elevated grant and is not needed.
/// </remarks>
public sealed class CommandAccess(ITriageAuthorizer authorizer)
{
    /// <summary>Null when the user may look things up; otherwise why not, in the user's language.</summary>
    public Task<string?> RefusalAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return RefuseAsync(turn, texts.QueriesNotAllowed, texts.QueriesNotConfigured, texts.QueriesVerificationFailed, cancellationToken);
    }

    /// <summary>Null when the user may change where alerts go or post them; otherwise why not, in the user's language.</summary>
    public Task<string?> RoutingRefusalAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return RefuseAsync(turn, texts.RoutingNotAllowed, texts.RoutingNotConfigured, texts.QueriesVerificationFailed, cancellationToken);
    }

    private async Task<string?> RefuseAsync(TurnContext turn, string notAllowed, string notConfigured, string verificationFailed, CancellationToken cancellationToken)
    {
        TriageDecision decision = await authorizer.AuthorizeAsync(TriageActor.FromTurn(turn), TriageRole.Triage, cancellationToken);
        return decision.IsAllowed ? null : decision.Reason switch
        {
            TriageDecisionReason.NotConfigured => notConfigured,
            TriageDecisionReason.VerificationFailed => verificationFailed,
            _ => notAllowed,
        };
    }
}
