namespace TeamsAlertBot.Graph;

/// <summary>Log messages of the Graph client (event ids 3000–3099). Never logs a token.</summary>
internal static partial class GraphLog
{
    [LoggerMessage(3000, LogLevel.Warning,
        "Graph answered 400 to $filter {FilterShape} ({ErrorCode}, request-id {RequestId}); listing without it and filtering client-side for the rest of this process")]
    public static partial void FilterRefused(ILogger logger, string filterShape, string? errorCode, string? requestId);

    [LoggerMessage(3001, LogLevel.Warning, "Alert {AlertId}: ignored unreadable field(s) {Fields}; the rest of the alert was kept")]
    public static partial void AlertSalvaged(ILogger logger, string alertId, string fields);

    [LoggerMessage(3002, LogLevel.Error, "Skipped item {Index} of a Graph alert page: {Reason}")]
    public static partial void AlertSkipped(ILogger logger, int index, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Graph {Method} {Path} answered {StatusCode} (request-id {RequestId}, client-request-id {ClientRequestId})")]
    public static partial void AnsweredFailure(ILogger logger, string method, string path, int statusCode, string? requestId, string clientRequestId);

    [LoggerMessage(3004, LogLevel.Debug, "Graph {Method} {Path} answered 404 (request-id {RequestId}, client-request-id {ClientRequestId})")]
    public static partial void AnsweredNotFound(ILogger logger, string method, string path, string? requestId, string clientRequestId);

    [LoggerMessage(3005, LogLevel.Warning, "Graph {Method} {Path} failed without an answer (client-request-id {ClientRequestId})")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string method, string path, string clientRequestId);

    [LoggerMessage(3006, LogLevel.Error,
        "Graph refused the {AccessKind} token: MFA claims required ({ErrorCode}, request-id {RequestId}, client-request-id {ClientRequestId}); the tenant needs delegated (secure application model) access")]
    public static partial void MfaRequired(ILogger logger, GraphAccessKind accessKind, string? errorCode, string? requestId, string? clientRequestId);

    [LoggerMessage(3007, LogLevel.Information, "Graph answered {StatusCode} without a readable alert to the update of {AlertId}; reading the alert back")]
    public static partial void UpdateReadBack(ILogger logger, int statusCode, string alertId);

    [LoggerMessage(3008, LogLevel.Error, "Refused to follow @odata.nextLink to {Origin}: not the configured Graph origin")]
    public static partial void NextLinkRefused(ILogger logger, string origin);

    [LoggerMessage(3009, LogLevel.Warning, "Graph answered {StatusCode} asking to wait {RetryAfter}, longer than one call may wait ({LongestWait}); not retrying")]
    public static partial void RetryAfterTooLong(ILogger logger, int statusCode, TimeSpan retryAfter, TimeSpan longestWait);
}
