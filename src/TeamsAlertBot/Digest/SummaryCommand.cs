using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Digest;

/// <summary><c>summary</c>: the daily summary card, now, in the asking conversation (in the asker's language).</summary>
public sealed partial class SummaryCommand(
    DigestBuilder builder,
    [FromKeyedServices(ScheduleClock.Key)] TimeProvider time,
    ILogger<SummaryCommand> logger) : IBotCommand
{
    public CommandKind Kind => CommandKind.Summary;

    public async Task<Activity> AnswerAsync(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        DigestTexts digestTexts = DigestTexts.For(texts.Language);
        try
        {
            DigestReport report = await builder.BuildAsync(time.GetUtcNow(), cancellationToken);
            string conversationId = ConversationReference.BaseConversationId(turn.Activity.Conversation?.Id ?? string.Empty);
            AdaptiveCard card = builder.Card(report, texts.Language, conversationId);
            return AlertPublisher.CardActivity(card, card.Speak);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the Graph reads (an error answer, a Polly timeout, an open circuit, a
            // token failure): the user is told, the turn does not fail.
            LogFailed(logger, e);
            return new Activity { Type = ActivityTypes.Message, Text = digestTexts.SummaryFailed, TextFormat = "markdown" };
        }
    }

    [LoggerMessage(4510, LogLevel.Warning, "The summary command could not read Microsoft Graph")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary><c>summary</c> where the alert pipeline does not run: says so instead of "unknown command".</summary>
internal sealed class SummaryUnavailableCommand : IBotCommand
{
    public CommandKind Kind => CommandKind.Summary;

    public Task<Activity> AnswerAsync(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Task.FromResult(new Activity { Type = ActivityTypes.Message, Text = DigestTexts.For(texts.Language).SummaryUnavailable, TextFormat = "markdown" });
    }
}
