namespace TeamsAlertBot.Graph.Delegated;

/// <summary>Why no delegated Graph token could be had.</summary>
public enum DelegatedGrantProblem
{
    /// <summary>No partner admin has consented yet.</summary>
    NotConsented,

    /// <summary>The consented account's tokens are no longer in the token cache (removed, or the cache was flushed).</summary>
    GrantMissing,

    /// <summary>Entra ID refused the refresh token: it expired, was revoked, or the admin's password or policies changed.</summary>
    GrantExpired,

    /// <summary>The encrypted token cache could not be decrypted (the Data Protection key ring was lost or is not shared).</summary>
    CacheUnreadable,
}

/// <summary>
/// No delegated Graph token can be had until a partner admin consents (again) at
/// <c>/admin/graph-consent</c>. Carries MSAL's error code, never a token or Entra ID's raw answer.
/// </summary>
public sealed class GraphDelegatedConsentRequiredException : GraphException
{
    public GraphDelegatedConsentRequiredException()
    {
    }

    public GraphDelegatedConsentRequiredException(string message)
        : base(message)
    {
    }

    public GraphDelegatedConsentRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GraphDelegatedConsentRequiredException(DelegatedGrantProblem problem, string? errorCode = null, string? correlationId = null)
        : base(Describe(problem, errorCode, correlationId), statusCode: null, errorCode, requestId: correlationId, clientRequestId: null)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with the grant.</summary>
    public DelegatedGrantProblem Problem { get; }

    private static string Describe(DelegatedGrantProblem problem, string? errorCode, string? correlationId)
    {
        string why = problem switch
        {
            DelegatedGrantProblem.NotConsented => "no partner admin has consented yet",
            DelegatedGrantProblem.GrantMissing => "the consented admin's tokens are no longer in the token cache",
            DelegatedGrantProblem.GrantExpired => $"Entra ID refused the stored refresh token ({errorCode ?? "no error code"}): it expired or was revoked",
            DelegatedGrantProblem.CacheUnreadable => "the encrypted token cache cannot be decrypted with this instance's Data Protection key ring (is the key ring persisted to Redis and shared by every instance?)",
            _ => "the grant cannot be used",
        };
        string correlation = correlationId is null ? string.Empty : $" Correlation id {correlationId}.";
        return $"Delegated Microsoft Graph access is not available: {why}. An admin of the partner tenant must visit {GraphConsentEndpoints.ConsentPath} again and sign in with MFA.{correlation}";
    }
}
