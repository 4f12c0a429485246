using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.Triage;

/// <summary>Why someone may or may not triage.</summary>
public enum TriageAccessReason
{
    Allowed,
    NotConfigured,
    NotAllowed,
    VerificationFailed,
}

/// <summary>The answer to "may the user who clicked triage this alert?".</summary>
public sealed record TriageAccess(TriageAccessReason Reason, string? ObjectId)
{
    public bool Allowed => Reason == TriageAccessReason.Allowed;
}

/// <summary>Checks the clicking user before anything is written.</summary>
public interface ITriageAccessCheck
{
    Task<TriageAccess> CheckAsync(TurnContext turn, CancellationToken cancellationToken);
}
