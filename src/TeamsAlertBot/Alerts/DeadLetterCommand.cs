using System.Globalization;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <c>deadletters</c> lists the newest alert cards the bot gave up posting, with why;
/// <c>deadletters retry</c> queues them all again (each is posted only where it is still missing).
/// Admins only (the mitigation role), like <c>webhook register</c>.
/// </summary>
public sealed partial class DeadLetterCommand(
    ITriageAuthorizer authorizer,
    IServiceProvider services,
    ILogger<DeadLetterCommand> logger) : IBotCommand
{
    private const int Listed = 20;

    public CommandKind Kind => CommandKind.DeadLetters;

    public async Task<Activity> AnswerAsync(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(texts);
        if (services.GetService(typeof(IAlertWorkStreams)) is not IAlertWorkStreams work)
        {
            return Text(texts.DeadLettersPipelineOff);
        }

        TriageDecision decision = await authorizer.AuthorizeAsync(TriageActor.FromTurn(turn), TriageRole.Mitigate, cancellationToken);
        if (!decision.IsAllowed)
        {
            return Text(texts.DeadLettersAdminsOnly);
        }

        string argument = command.Arguments.Trim();
        if (argument.Equals("retry", StringComparison.OrdinalIgnoreCase) || argument == "再試行")
        {
            int retried = await work.RetryDeadLettersAsync();
            LogRetried(logger, retried, decision.ObjectId);
            if (retried > 0 && services.GetService(typeof(WorkSignal)) is WorkSignal signal)
            {
                signal.Raise();
            }

            return Text(texts.Format(texts.DeadLettersRetried, retried));
        }

        IReadOnlyList<DeadLetter> letters = await work.ListDeadLettersAsync(Listed);
        if (letters.Count == 0)
        {
            return Text(texts.DeadLettersNone);
        }

        long total = await work.DeadLetterCountAsync();
        string lines = string.Join("\n", letters.Select(l => texts.Format(
            texts.DeadLetterLine,
            MarkdownText.Escape(TypedText.Cut(l.Item?.AlertId ?? "?", 200)),
            MarkdownText.Escape(TypedText.Cut(l.Item?.ConversationId ?? "?", 200)),
            l.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            MarkdownText.Escape(TypedText.Cut(l.Reason, 200)))));
        return Text(texts.Format(texts.DeadLettersList, total, lines));
    }

    private static Activity Text(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };

    [LoggerMessage(4230, LogLevel.Warning, "{Count} dead letters queued again by {ObjectId}")]
    private static partial void LogRetried(ILogger logger, int count, string? objectId);
}
