using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Triage;

/// <summary>Triage permission from the authorizer (allow-lists, Entra groups through Graph).</summary>
internal sealed class AuthorizerAccessCheck(ITriageAuthorizer authorizer) : ITriageAccessCheck
{
    public async Task<TriageAccess> CheckAsync(TurnContext turn, TriageRole role, CancellationToken cancellationToken)
    {
        TriageDecision decision = await authorizer.AuthorizeAsync(TriageActor.FromTurn(turn), role, cancellationToken);
        TriageAccessReason reason = decision.IsAllowed ? TriageAccessReason.Allowed : decision.Reason switch
        {
            TriageDecisionReason.NotConfigured => TriageAccessReason.NotConfigured,
            TriageDecisionReason.VerificationFailed => TriageAccessReason.VerificationFailed,
            _ => TriageAccessReason.NotAllowed,
        };
        return new TriageAccess(reason, decision.ObjectId);
    }
}

/// <summary>Button signatures from the HMAC signer.</summary>
internal sealed class HmacTriageActionSigner(ActionSigner signer) : ITriageActionSigner
{
    public string Sign(string alertId, string action, int version, string conversationId) =>
        signer.Sign(new ActionClaims(alertId, action, version, conversationId));

    public bool Verify(string signature, string alertId, string action, int version, string conversationId) =>
        signer.TryVerify(signature, new ActionClaims(alertId, action, version, conversationId));
}
