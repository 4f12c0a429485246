using Microsoft.Extensions.Logging;
using TeamsAlertBot.BotFramework.Authentication;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>Log messages of the protocol layer (event ids 1000–1099).</summary>
internal static partial class BotLog
{
    [LoggerMessage(1000, LogLevel.Warning, "Refused an activity: {Reason} (type {ActivityType}, channel {ChannelId})")]
    public static partial void ActivityRefused(ILogger logger, ActivityAuthorizationFailure reason, string? activityType, string? channelId);

    [LoggerMessage(1001, LogLevel.Information, "Refused a request body: {Reason}")]
    public static partial void BodyRefused(ILogger logger, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "An invoke ({InvokeName}) outlasted {BudgetMs} ms; answered with an interim response, work continues")]
    public static partial void InvokeOverBudget(ILogger logger, string? invokeName, double budgetMs);

    [LoggerMessage(1003, LogLevel.Error, "A turn failed after its invoke was answered (type {ActivityType})")]
    public static partial void BackgroundTurnFailed(ILogger logger, Exception exception, string? activityType);

    [LoggerMessage(1004, LogLevel.Warning, "A reply was not sent: {Reason}")]
    public static partial void ReplyNotSent(ILogger logger, string reason);

    [LoggerMessage(1006, LogLevel.Error, "A reply to a {ActivityType} activity could not be delivered")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, string? activityType);

    [LoggerMessage(1007, LogLevel.Error, "A {ActivityType} turn failed with an exception nothing handled; answered without a 500")]
    public static partial void TurnFailed(ILogger logger, Exception exception, string? activityType);

    [LoggerMessage(1005, LogLevel.Critical, "Anonymous mode: activities are accepted without a token. Use only with the Agents Playground on a developer machine.")]
    public static partial void AnonymousMode(ILogger logger);
}
