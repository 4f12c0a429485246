using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>One inbound activity and the means to answer it in its conversation.</summary>
public sealed class TurnContext(Activity activity, ConnectorClient connector, bool authenticated)
{
    /// <summary>The inbound activity.</summary>
    public Activity Activity { get; } = activity;

    /// <summary>The connector client; every call checks the service URL allow-list.</summary>
    public ConnectorClient Connector { get; } = connector;

    /// <summary>True when the activity came with a validated channel token (false in anonymous mode).</summary>
    public bool IsAuthenticated { get; } = authenticated;

    /// <summary>The activity's service URL, or null when it is missing or not an http(s) URL.</summary>
    public Uri? ServiceUrl { get; } = ServiceUrlPolicy.TryParseServiceUrl(activity.ServiceUrl);

    /// <summary>
    /// Sends <paramref name="reply"/> into the activity's conversation, as a reply to it
    /// (in a channel: into its thread). Fills in conversation, from, recipient and replyToId.
    /// </summary>
    public Task<ResourceResponse> ReplyAsync(Activity reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Uri serviceUrl = ServiceUrl ?? throw new ServiceUrlNotAllowedException("The activity has no usable serviceUrl.");
        string conversationId = Activity.Conversation?.Id
            ?? throw new InvalidOperationException("The activity has no conversation id.");
        Activity outgoing = reply with
        {
            Type = reply.Type ?? ActivityTypes.Message,
            Conversation = Activity.Conversation,
            From = Activity.Recipient,
            Recipient = Activity.From,
            ReplyToId = Activity.Id,
            ChannelId = Activity.ChannelId,
            ServiceUrl = Activity.ServiceUrl,
        };
        return string.IsNullOrEmpty(Activity.Id)
            ? Connector.SendToConversationAsync(serviceUrl, conversationId, outgoing, cancellationToken)
            : Connector.ReplyToActivityAsync(serviceUrl, conversationId, Activity.Id, outgoing, cancellationToken);
    }
}
