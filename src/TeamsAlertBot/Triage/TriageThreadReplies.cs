using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// Records a triage or mitigation step as a reply in the thread of every card of an alert, each in
/// its conversation's language. A conversation that cannot be reached is logged and skipped.
/// </summary>
public sealed partial class TriageThreadReplies(
    IAlertLedger alerts,
    AlertPublisher publisher,
    IConversationStore conversations,
    IOptions<AlertBotOptions> botOptions,
    ILogger<TriageThreadReplies> logger)
{
    /// <summary>Posts <paramref name="text"/> (made per language) under each of the alert's cards.</summary>
    public async Task ReplyAsync(string alertId, Func<TriageTexts, string> text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (AlertCardPost card in await alerts.ListCardsAsync(alertId))
        {
            if (ServiceUrlPolicy.TryParseServiceUrl(card.ServiceUrl) is not { } serviceUrl)
            {
                continue;
            }

            string language = await conversations.GetValueAsync(card.ConversationId, ConversationValues.Language, cancellationToken)
                ?? botOptions.Value.DefaultLanguage;
            try
            {
                await publisher.ReplyInThreadAsync(serviceUrl, card, text(TriageTexts.For(language)), cancellationToken);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException)
            {
                LogReplyFailed(logger, e, alertId, card.ConversationId);
            }
        }
    }

    [LoggerMessage(5106, LogLevel.Warning, "The triage record of {AlertId} could not be posted in {ConversationId}")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, string alertId, string conversationId);
}

/// <summary>Answers a click within a budget while the work it started goes on.</summary>
public static class AnswerBudget
{
    /// <summary>
    /// Waits for <paramref name="work"/> at most <paramref name="budget"/>. True when it finished
    /// in time (await it for its result); false when it goes on in the background, where a later
    /// failure is handed to <paramref name="onLateFailure"/>.
    /// </summary>
    public static async Task<bool> WaitAsync(Task work, TimeSpan budget, TimeProvider time, Action<Exception> onLateFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(onLateFailure);
        Task finished = await Task.WhenAny(work, Task.Delay(budget, time, cancellationToken));
        if (finished == work)
        {
            return true;
        }

        _ = work.ContinueWith(
            t => onLateFailure(t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return false;
    }
}
