using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Triage.Authorization;

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

    /// <summary>Why the click was refused, for the user: <paramref name="notAllowed"/> unless nothing could be checked.</summary>
    public string Explain(Core.Triage.TriageTexts texts, string notAllowed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Reason == TriageAccessReason.VerificationFailed ? texts.VerificationFailed : notAllowed;
    }
}

/// <summary>Checks the clicking user before anything is written.</summary>
public interface ITriageAccessCheck
{
    /// <summary>May the user act in <paramref name="role"/> (triage, or the elevated mitigation)?</summary>
    Task<TriageAccess> CheckAsync(TurnContext turn, TriageRole role, CancellationToken cancellationToken);
}
