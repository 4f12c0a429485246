using System.Net;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// A Partner Center call failed: an error status (after retries), a timeout, a transport or token
/// failure, or an unreadable answer. Carries the ids Partner Center support asks for.
/// </summary>
public sealed class PartnerCenterException : Exception
{
    public PartnerCenterException()
    {
    }

    public PartnerCenterException(string message)
        : base(message)
    {
    }

    public PartnerCenterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal PartnerCenterException(
        string message, HttpStatusCode? statusCode, string? errorCode, string requestId, string correlationId, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
        CorrelationId = correlationId;
    }

    /// <summary>The HTTP status, or null when no answer came (timeout, transport, token).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Partner Center's error code from the body, when there was one.</summary>
    public string? ErrorCode { get; }

    /// <summary><c>MS-RequestId</c> of the call (as echoed, or as sent).</summary>
    public string? RequestId { get; }

    /// <summary><c>MS-CorrelationId</c> of the call (as echoed, or as sent).</summary>
    public string? CorrelationId { get; }

    /// <summary>How long Partner Center asked the caller to wait (<c>Retry-After</c> of the last answer), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
