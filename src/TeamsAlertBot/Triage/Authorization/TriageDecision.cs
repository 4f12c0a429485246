namespace TeamsAlertBot.Triage.Authorization;

/// <summary>What a card button asks to do; each role has its own allow-list and group.</summary>
public enum TriageRole
{
    /// <summary>Mark an alert legitimate, fraud, ignored or under investigation.</summary>
    Triage,

    /// <summary>The elevated action: cancel the customer's Azure subscription. Not implied by <see cref="Triage"/>.</summary>
    Mitigate,
}

/// <summary>Why a user may or may not act; the card picks its text from this.</summary>
public enum TriageDecisionReason
{
    /// <summary>Refused: the role has neither an allow-list nor a group, so nobody may act in it.</summary>
    NotConfigured,

    /// <summary>Refused: not on the allow-list and not a (transitive) member of the role's group.</summary>
    NotMember,

    /// <summary>Refused: the user's tenant is not the partner tenant (<c>AzureAd:TenantId</c>).</summary>
    WrongTenant,

    /// <summary>Refused: Graph or the Bot Connector could not be asked; the user may try again.</summary>
    VerificationFailed,

    /// <summary>Allowed: the user's object id is on the role's allow-list.</summary>
    AllowListed,

    /// <summary>Allowed: the user is a (transitive) member of the role's Entra group.</summary>
    GroupMember,

    /// <summary>
    /// Allowed: the role is not configured, but this is the Development environment with
    /// <c>Triage:Authorization:AllowEveryoneInDevelopment=true</c> (Agents Playground). Never in Production.
    /// </summary>
    AllowedInDevelopment,
}

/// <summary>The answer to "may this user act in this role?".</summary>
/// <param name="IsAllowed">True when the action may go ahead.</param>
/// <param name="Reason">Why; the card shows a text for it.</param>
/// <param name="ObjectId">
/// The user's Entra object id (lower-case GUID) as resolved, for attribution and audit; null when
/// it could not be found.
/// </param>
public sealed record TriageDecision(bool IsAllowed, TriageDecisionReason Reason, string? ObjectId)
{
    internal static TriageDecision Allow(TriageDecisionReason reason, string? objectId) => new(true, reason, objectId);

    internal static TriageDecision Refuse(TriageDecisionReason reason, string? objectId) => new(false, reason, objectId);
}
