using System.Net;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>A Bot Connector call that did not succeed.</summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectorException(HttpStatusCode statusCode, string? errorCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status the connector answered with.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The connector's error code (e.g. <c>ConversationNotFound</c>), when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>True when the bot was removed or blocked in the conversation (403) or it is gone (404).</summary>
    public bool IsConversationGone => StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound;
}

/// <summary>Thrown instead of sending a request to a service URL that is not on the allow-list.</summary>
public sealed class ServiceUrlNotAllowedException : Exception
{
    public ServiceUrlNotAllowedException()
    {
    }

    public ServiceUrlNotAllowedException(string message)
        : base(message)
    {
    }

    public ServiceUrlNotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
