namespace TeamsAlertBot.Triage.Authorization;

/// <summary>Log messages of triage authorization and action signing (event ids 5000–5049). Never logs a token or a key.</summary>
internal static partial class TriageAuthorizationLog
{
    [LoggerMessage(5000, LogLevel.Information, "Triage authorization: {ObjectId} ({UserName}) may act as {Role}: {Reason}")]
    public static partial void Allowed(ILogger logger, string? objectId, string? userName, TriageRole role, TriageDecisionReason reason);

    [LoggerMessage(5001, LogLevel.Information, "Triage authorization: {ObjectId} ({UserName}, tenant {TenantId}) refused as {Role}: {Reason}")]
    public static partial void Refused(ILogger logger, string? objectId, string? userName, string? tenantId, TriageRole role, TriageDecisionReason reason);

    [LoggerMessage(5002, LogLevel.Warning,
        "Triage authorization: nobody may act as {Role} because neither {GroupKey} nor {UsersKey} is set; {UserId} was refused")]
    public static partial void NotConfigured(ILogger logger, TriageRole role, string groupKey, string usersKey, string userId);

    [LoggerMessage(5003, LogLevel.Warning,
        "Triage authorization: AllowEveryoneInDevelopment lets {ObjectId} ({UserName}) act as {Role} with nothing configured (Development only)")]
    public static partial void AllowedInDevelopment(ILogger logger, string? objectId, string? userName, TriageRole role);

    [LoggerMessage(5004, LogLevel.Warning,
        "Triage authorization: could not check whether {ObjectId} is in group {GroupId} (Graph status {StatusCode}, {ErrorCode}); refused, not cached")]
    public static partial void GraphFailed(ILogger logger, Exception exception, string objectId, string groupId, int? statusCode, string? errorCode);

    [LoggerMessage(5005, LogLevel.Warning,
        "Triage authorization: the Bot Connector could not resolve the object id of {UserId} in {ConversationId}; refused")]
    public static partial void ConnectorFailed(ILogger logger, Exception exception, string userId, string? conversationId);

    [LoggerMessage(5006, LogLevel.Warning,
        "Triage authorization: timed out after {Timeout} checking {UserId} as {Role}; refused")]
    public static partial void TimedOut(ILogger logger, TimeSpan timeout, string userId, TriageRole role);

    [LoggerMessage(5007, LogLevel.Debug, "Triage authorization: membership of {ObjectId} in {GroupId} from cache: {IsMember}")]
    public static partial void CacheHit(ILogger logger, string objectId, string groupId, bool isMember);

    [LoggerMessage(5008, LogLevel.Debug, "Triage authorization: {UserId} has no aadObjectId; asked the Bot Connector, which answered {ObjectId}")]
    public static partial void ObjectIdResolved(ILogger logger, string userId, string? objectId);

    [LoggerMessage(5020, LogLevel.Warning,
        "Triage:ActionSigningKey is not set: card actions are signed with a random key made for this process, so cards posted before a restart (or by another instance) will be refused. Set the key outside a single local run.")]
    public static partial void EphemeralSigningKey(ILogger logger);

    [LoggerMessage(5021, LogLevel.Debug, "A card action verified with previous signing key #{Index}; the card predates the key rotation")]
    public static partial void VerifiedWithPreviousKey(ILogger logger, int index);
}
