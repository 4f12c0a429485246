using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>One inbound activity and the means to answer it in its conversation.</summary>
/// <param name="activity">The inbound activity.</param>
/// <param name="connector">The connector client.</param>
/// <param name="authenticated">Whether the activity came with a validated channel token.</param>
/// <param name="replies">Where a reply goes that finds no send slot within <paramref name="replyWait"/> (null: it fails).</param>
/// <param name="replyWait">How long a reply may wait for a send slot while the request is open.</param>
public sealed class TurnContext(Activity activity, ConnectorClient connector, bool authenticated, IReplyOutbox? replies = null, TimeSpan? replyWait = null)
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
    /// (in a channel: into its thread). Fills in conversation, from, recipient and replyToId. When
    /// Teams' send limits leave no slot within the reply wait, the reply is queued and sent after the
    /// request (the answer then has no id).
    /// </summary>
    public async Task<ResourceResponse> ReplyAsync(Activity reply, CancellationToken cancellationToken)
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
        var options = new SendOptions(replyWait);
        try
        {
            return string.IsNullOrEmpty(Activity.Id)
                ? await Connector.SendToConversationAsync(serviceUrl, conversationId, outgoing, options, cancellationToken)
                : await Connector.ReplyToActivityAsync(serviceUrl, conversationId, Activity.Id, outgoing, options, cancellationToken);
        }
        catch (SendSlotUnavailableException) when (replies is not null)
        {
            await replies.EnqueueAsync(new QueuedReply(serviceUrl.ToString(), conversationId, Activity.Id, outgoing), cancellationToken);
            return new ResourceResponse();
        }
    }
}
