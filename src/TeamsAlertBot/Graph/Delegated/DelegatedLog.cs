namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Log messages of delegated Graph access (event ids 3050–3079). Never logs a token, a refresh
/// token, an authorization code, a PKCE verifier, a <c>state</c> value or Entra ID's raw answer.
/// </summary>
internal static partial class DelegatedLog
{
    [LoggerMessage(3050, LogLevel.Information, "Graph consent started; the browser goes to {AuthorizeEndpoint} and comes back to {RedirectUri}")]
    public static partial void ConsentStarted(ILogger logger, string authorizeEndpoint, Uri redirectUri);

    [LoggerMessage(3051, LogLevel.Warning, "Graph consent callback refused: {Reason}")]
    public static partial void ConsentCallbackRefused(ILogger logger, string reason);

    [LoggerMessage(3052, LogLevel.Warning, "Graph consent: Entra ID answered the sign-in with error {Error}")]
    public static partial void ConsentSignInError(ILogger logger, string error);

    [LoggerMessage(3053, LogLevel.Warning, "Graph consent: Entra ID refused to redeem the code ({ErrorCode}, HTTP {StatusCode}, correlation id {CorrelationId})")]
    public static partial void ConsentRedemptionRefused(ILogger logger, string errorCode, int statusCode, string? correlationId);

    [LoggerMessage(3054, LogLevel.Error, "Graph consent: the code could not be redeemed ({ErrorCode}); Entra ID was not reached or answered unreadably")]
    public static partial void ConsentRedemptionFailed(ILogger logger, string errorCode);

    [LoggerMessage(3055, LogLevel.Warning,
        "Graph consent rejected for user {ObjectId} of tenant {TenantId} (home tenant {HomeTenantId}): {Reason}; the tokens just issued were removed")]
    public static partial void ConsentRejected(ILogger logger, string? objectId, string? tenantId, string? homeTenantId, string reason);

    [LoggerMessage(3056, LogLevel.Information, "Delegated Graph access granted by {Username} (object id {ObjectId}); the bot uses it in mode {Mode}")]
    public static partial void ConsentCompleted(ILogger logger, string? username, string objectId, GraphDelegatedMode mode);

    [LoggerMessage(3057, LogLevel.Information, "The previous delegated grant (object id {ObjectId}) was replaced and its tokens removed")]
    public static partial void PreviousGrantRemoved(ILogger logger, string objectId);

    [LoggerMessage(3058, LogLevel.Error, "No token for {Scope} from the partner admin's grant: {Problem} ({ErrorCode}); an admin must consent again at /admin/graph-consent")]
    public static partial void GrantUnusable(ILogger logger, string scope, DelegatedGrantProblem problem, string? errorCode);

    [LoggerMessage(3059, LogLevel.Error, "The delegated token cache entry could not be decrypted with this instance's Data Protection key ring")]
    public static partial void TokenCacheUnreadable(ILogger logger);

    [LoggerMessage(3060, LogLevel.Warning,
        "Graph refused the app-only token for want of an MFA claim: using delegated (secure application model) tokens until {Until:o}, then trying app-only again")]
    public static partial void SwitchedToDelegated(ILogger logger, DateTimeOffset until);

    [LoggerMessage(3061, LogLevel.Information, "The delegated fallback period is over: trying app-only Graph tokens again")]
    public static partial void BackToAppOnly(ILogger logger);

    [LoggerMessage(3062, LogLevel.Information, "Sending the Graph request refused for want of MFA once more, with a delegated token")]
    public static partial void RetryingDelegated(ILogger logger);

    [LoggerMessage(3063, LogLevel.Error, "The bot's credential for the delegated Graph flow could not be loaded: {Reason}")]
    public static partial void CredentialUnavailable(ILogger logger, string reason);
}
