using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>
/// Where a reply goes when no slot in Teams' send limits comes free while the incoming activity's
/// HTTP request is still open: the host queues it durably and sends it when its turn comes, so the
/// request is answered at once instead of holding Teams' connection.
/// </summary>
public interface IReplyOutbox
{
    /// <summary>Queues <paramref name="reply"/> for a send after the request.</summary>
    Task EnqueueAsync(QueuedReply reply, CancellationToken cancellationToken);
}

/// <summary>A reply waiting to be sent.</summary>
/// <param name="ServiceUrl">The connector the reply goes to.</param>
/// <param name="ConversationId">The conversation (with its thread suffix).</param>
/// <param name="ReplyToId">The activity it answers, if any.</param>
/// <param name="Activity">The reply itself, addressed.</param>
public sealed record QueuedReply(string ServiceUrl, string ConversationId, string? ReplyToId, Activity Activity);
