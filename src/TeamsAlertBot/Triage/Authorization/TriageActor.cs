using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>
/// The user who clicked a card button, as the activity tells it, plus what the Bot Connector's
/// get-member call needs when the activity carries no Entra object id.
/// </summary>
/// <param name="UserId">The Teams user id (<c>29:…</c>, per bot).</param>
/// <param name="AadObjectId">The Entra object id (<c>from.aadObjectId</c>); may be missing.</param>
/// <param name="Name">The display name, for logs and the card.</param>
/// <param name="TenantId">The tenant the activity names (<c>conversation.tenantId</c> or <c>channelData.tenant.id</c>).</param>
/// <param name="ServiceUrl">The activity's service URL, for the get-member call.</param>
/// <param name="RosterConversationId">
/// The conversation whose roster knows the user: the team id in a channel, else the conversation id.
/// </param>
public sealed record TriageActor(
    string UserId,
    string? AadObjectId,
    string? Name,
    string? TenantId,
    Uri? ServiceUrl,
    string? RosterConversationId)
{
    /// <summary>The actor of a turn: <c>from</c>, the tenant, and the roster to ask when <c>aadObjectId</c> is missing.</summary>
    public static TriageActor FromTurn(TurnContext turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        Activity activity = turn.Activity;
        string? conversationId = activity.Conversation?.Id;
        int thread = conversationId?.IndexOf(";messageid=", StringComparison.Ordinal) ?? -1;
        if (thread >= 0)
        {
            // A channel thread's id; the roster belongs to the channel (and its team).
            conversationId = conversationId![..thread];
        }

        return new TriageActor(
            activity.From?.Id ?? string.Empty,
            activity.From?.AadObjectId,
            activity.From?.Name,
            activity.Conversation?.TenantId ?? activity.ChannelData?.Tenant?.Id,
            turn.ServiceUrl,
            // In a team the connector answers member look-ups for the team id (botbuilder does the same).
            activity.ChannelData?.Team?.Id ?? conversationId);
    }
}
