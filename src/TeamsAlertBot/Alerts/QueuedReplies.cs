using System.Text.Json;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Replies that found no send slot while their request was open go on the work stream (durable, like
/// alert cards) and are sent by the dispatcher when the conversation's turn comes. A reply refused by
/// the connector is retried; one whose outcome is unknown is not sent again (a second copy of an
/// answer is worse than a late look at <c>status</c>), and the log says so.
/// </summary>
public sealed partial class QueuedReplies(
    IAlertWorkStreams work,
    WorkSignal signal,
    ConnectorClient connector,
    BotJsonOptions json,
    ILogger<QueuedReplies> logger) : IReplyOutbox
{
    public async Task EnqueueAsync(QueuedReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        await work.EnqueueAsync(new AlertWorkItem
        {
            Kind = AlertWorkKind.Reply,
            ConversationId = reply.ConversationId,
            Payload = JsonSerializer.Serialize(reply, json.Get<QueuedReply>()),
        });
        LogQueued(logger, reply.ConversationId);
        signal.Raise();
    }

    /// <summary>Sends a queued reply.</summary>
    public async Task<WorkResult> SendAsync(AlertWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        QueuedReply? reply = JsonSerializer.Deserialize(item.Payload!, json.Get<QueuedReply>());
        if (reply is null || ServiceUrlPolicy.TryParseServiceUrl(reply.ServiceUrl) is not { } serviceUrl)
        {
            return new WorkResult(WorkOutcome.GiveUp, "unreadable reply");
        }

        try
        {
            _ = string.IsNullOrEmpty(reply.ReplyToId)
                ? await connector.SendToConversationAsync(serviceUrl, reply.ConversationId, reply.Activity, SendOptions.Queued, cancellationToken)
                : await connector.ReplyToActivityAsync(serviceUrl, reply.ConversationId, reply.ReplyToId, reply.Activity, SendOptions.Queued, cancellationToken);
            LogSent(logger, reply.ConversationId);
            return WorkResult.Done;
        }
        catch (ConnectorException e) when (e.IsConversationGone)
        {
            return WorkResult.Done;
        }
        catch (Exception e) when (DeliveryFailures.IsSendFailure(e))
        {
            if (DeliveryFailures.Classify(e) == DeliveryOutcome.Ambiguous)
            {
                LogMaybeSent(logger, e, reply.ConversationId);
                return WorkResult.Done;
            }

            return new WorkResult(WorkOutcome.Retry, e.Message, ConversationFailing: true);
        }
    }

    [LoggerMessage(4150, LogLevel.Information, "A reply to {ConversationId} found no send slot in time; it is queued")]
    private static partial void LogQueued(ILogger logger, string conversationId);

    [LoggerMessage(4151, LogLevel.Information, "Sent a queued reply to {ConversationId}")]
    private static partial void LogSent(ILogger logger, string conversationId);

    [LoggerMessage(4152, LogLevel.Warning, "A queued reply to {ConversationId} got no clear answer; it may have arrived and is not sent again")]
    private static partial void LogMaybeSent(ILogger logger, Exception exception, string conversationId);
}
