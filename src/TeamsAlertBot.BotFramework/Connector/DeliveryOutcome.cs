using System.Net;
using Polly.Timeout;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>What a failed send says about whether its message reached the conversation.</summary>
public enum DeliveryOutcome
{
    /// <summary>
    /// The message did not arrive: refused before the request was sent (allow-list, no send slot, no
    /// connection), or answered with a 4xx other than 408. Sending it again cannot make a repeat.
    /// </summary>
    NotDelivered,

    /// <summary>
    /// Unknown: the request may have been processed (a timeout after it was written, a dropped
    /// connection, a 5xx, a 408). Sending it again may show it twice.
    /// </summary>
    Ambiguous,
}

/// <summary>
/// Classifies send failures. The Bot Connector accepts no idempotency key, so only a 2xx proves
/// delivery and only a refusal proves the opposite; everything in between is <see cref="DeliveryOutcome.Ambiguous"/>.
/// </summary>
public static class DeliveryFailures
{
    /// <summary>The delivery outcome <paramref name="exception"/> stands for.</summary>
    public static DeliveryOutcome Classify(Exception exception) => exception switch
    {
        ServiceUrlNotAllowedException or SendSlotUnavailableException => DeliveryOutcome.NotDelivered,
        ConnectorException { StatusCode: { } status } => (int)status is >= 400 and < 500 && status != HttpStatusCode.RequestTimeout
            ? DeliveryOutcome.NotDelivered
            : DeliveryOutcome.Ambiguous,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } =>
            DeliveryOutcome.NotDelivered,
        _ => DeliveryOutcome.Ambiguous,
    };

    /// <summary>True for the failures a send can meet (as opposed to bugs): connector answers, network, timeouts.</summary>
    public static bool IsSendFailure(Exception exception) =>
        exception is ConnectorException or HttpRequestException or TimeoutException or TimeoutRejectedException
            or ServiceUrlNotAllowedException or TaskCanceledException;
}

/// <summary>
/// No slot in Teams' send limits came free within the wait the caller allowed; nothing was sent.
/// </summary>
public sealed class SendSlotUnavailableException : TimeoutException
{
    public SendSlotUnavailableException()
    {
    }

    public SendSlotUnavailableException(string message)
        : base(message)
    {
    }

    public SendSlotUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
