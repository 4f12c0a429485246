using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>Signs and checks triage buttons: (alert, action, version, conversation) under a server key.</summary>
public interface ITriageActionSigner
{
    string Sign(string alertId, string action, int version, string conversationId);

    bool Verify(string signature, string alertId, string action, int version, string conversationId);
}

/// <summary>The signed action string of a button: the verdict and its confirm/cancel flags.</summary>
public static class TriageAction
{
    public static string Of(TriageVerdict verdict, bool confirmed, bool cancel) =>
        $"{TriageActionData.TriageVerb}:{verdict}{(confirmed ? "+confirmed" : string.Empty)}{(cancel ? "+cancel" : string.Empty)}";

    public static string Of(TriageActionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Of(data.Verdict, data.Confirmed, data.Cancel);
    }
}
