using System.Net;

namespace TeamsAlertBot.Graph;

/// <summary>A Microsoft Graph call that did not succeed, or whose answer could not be used.</summary>
public class GraphException : Exception
{
    public GraphException()
    {
    }

    public GraphException(string message)
        : base(message)
    {
    }

    public GraphException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GraphException(
        string message,
        HttpStatusCode? statusCode,
        string? errorCode,
        string? requestId,
        string? clientRequestId,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
        ClientRequestId = clientRequestId;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status Graph answered with; null when no usable answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Graph's <c>error.code</c>, when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Graph's <c>request-id</c>, for a support case.</summary>
    public string? RequestId { get; }

    /// <summary>The <c>client-request-id</c> the bot sent with the request.</summary>
    public string? ClientRequestId { get; }

    /// <summary>How long Graph asked callers to wait (429/503) when that was longer than one call may wait.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// Graph refused the token because it carries no MFA claim (<c>Unauthorized_MissingMFA</c>). An app-only
/// token can never carry one: the tenant needs delegated access through the secure application model
/// (an MFA-signed-in partner admin consents once; the bot then uses that grant).
/// </summary>
public sealed class GraphMfaRequiredException : GraphException
{
    public GraphMfaRequiredException()
    {
    }

    public GraphMfaRequiredException(string message)
        : base(message)
    {
    }

    public GraphMfaRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GraphMfaRequiredException(string message, GraphAccessKind refusedAccess, string? errorCode, string? requestId, string? clientRequestId)
        : base(message, HttpStatusCode.Forbidden, errorCode, requestId, clientRequestId)
    {
        RefusedAccess = refusedAccess;
    }

    /// <summary>The kind of token Graph refused.</summary>
    public GraphAccessKind RefusedAccess { get; }
}

/// <summary>Thrown instead of sending a request (and the token) anywhere but the configured Graph origin.</summary>
public sealed class GraphOriginRefusedException : GraphException
{
    public GraphOriginRefusedException()
    {
    }

    public GraphOriginRefusedException(string message)
        : base(message)
    {
    }

    public GraphOriginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
