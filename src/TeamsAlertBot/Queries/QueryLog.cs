using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Queries;

/// <summary>Log messages of the query commands (event ids 4600–4619).</summary>
internal static partial class QueryLog
{
    [LoggerMessage(4600, LogLevel.Information, "Command {Command} answered with a problem: {Problem}")]
    public static partial void Problem(ILogger logger, CommandKind command, QueryProblemKind problem);

    [LoggerMessage(4601, LogLevel.Warning, "Command {Command}: Partner Center failed ({Problem}, HTTP {StatusCode})")]
    public static partial void PartnerCenterFailed(ILogger logger, CommandKind command, QueryProblemKind problem, int? statusCode);

    [LoggerMessage(4602, LogLevel.Warning, "Command {Command}: Microsoft Graph failed")]
    public static partial void GraphFailed(ILogger logger, Exception exception, CommandKind command);

    [LoggerMessage(4603, LogLevel.Warning, "The audit trail of alert {AlertId} could not be read")]
    public static partial void AuditUnreadable(ILogger logger, Exception exception, string alertId);

    [LoggerMessage(4604, LogLevel.Debug, "Query cache hit for {Key}")]
    public static partial void CacheHit(ILogger logger, string key);
}
