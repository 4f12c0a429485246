using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// <c>POST /api/partnercenter/webhook</c>: 413 for an oversized body, 400 when a signature header
/// is missing, 401 when the delivery is not authentic (and nothing else happens), 400 for a
/// malformed body, then de-duplication on the body's SHA-256 and the hand-over of fraud events to
/// <see cref="IFraudEventSink"/>; 200 once taken (or known), 503 when the sink failed.
/// </summary>
internal sealed class PartnerCenterWebhookEndpoint(
    WebhookSignatureVerifier verifier,
    IWebhookDeduplicator deduplicator,
    IFraudEventSink sink,
    IOptions<PartnerCenterWebhookOptions> options,
    TimeProvider time,
    ILogger<PartnerCenterWebhookEndpoint> logger)
{
    public const string FraudEventName = "azure-fraud-event-detected";
    public const string TestEventName = "test-created";

    /// <summary>Handles one delivery.</summary>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        PartnerCenterWebhookOptions settings = options.Value;
        CancellationToken aborted = context.RequestAborted;
        if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            WebhookLog.RequestRefused(logger, "declared length over the limit");
            return Problem(StatusCodes.Status413PayloadTooLarge, "The body is larger than this endpoint accepts.");
        }

        byte[]? body = await ReadBoundedAsync(context.Request.Body, settings.MaxBodyBytes, aborted);
        if (body is null)
        {
            WebhookLog.RequestRefused(logger, "body over the limit");
            return Problem(StatusCodes.Status413PayloadTooLarge, "The body is larger than this endpoint accepts.");
        }

        WebhookSignatureHeaders? headers = WebhookSignatureHeaders.From(context.Request.Headers);
        if (headers is null)
        {
            WebhookLog.RequestRefused(logger, "signature, certificate URL or algorithm header missing");
            return Problem(StatusCodes.Status400BadRequest, "The signature, X-MS-Certificate-Url or X-MS-Signature-Algorithm header is missing.");
        }

        WebhookVerificationFailure failure = await verifier.VerifyAsync(headers, body, aborted);
        if (failure != WebhookVerificationFailure.None)
        {
            WebhookLog.VerificationFailed(logger, failure, CertificateHost(headers.CertificateUrl));
            return Results.Unauthorized();
        }

        PartnerCenterWebhookNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.PartnerCenterWebhookNotification);
        }
        catch (JsonException)
        {
            notification = null;
        }

        if (notification is null || string.IsNullOrWhiteSpace(notification.EventName))
        {
            WebhookLog.RequestRefused(logger, "signed body is not an event (malformed JSON or no EventName)");
            return Problem(StatusCodes.Status400BadRequest, "The body is not a Partner Center event.");
        }

        string eventName = notification.EventName.Trim();
        string deliveryId = Convert.ToHexStringLower(SHA256.HashData(body));
        if (!await TryClaimAsync(deliveryId, settings.DeduplicationWindow, aborted))
        {
            WebhookLog.DuplicateDelivery(logger, deliveryId, eventName);
            return Results.Ok();
        }

        if (string.Equals(eventName, TestEventName, StringComparison.OrdinalIgnoreCase))
        {
            WebhookLog.TestEventReceived(logger, deliveryId);
            return Results.Ok();
        }

        if (!string.Equals(eventName, FraudEventName, StringComparison.OrdinalIgnoreCase))
        {
            // Acknowledged, so Partner Center does not redeliver an event this bot never handles.
            WebhookLog.EventIgnored(logger, eventName);
            return Results.Ok();
        }

        (string? subscriptionId, string? eventStatus) = notification.ReadResourceQuery();
        if (subscriptionId is null)
        {
            WebhookLog.NoSubscriptionId(logger, eventName);
        }

        var fraudEvent = new FraudEvent
        {
            EventName = eventName,
            SubscriptionId = subscriptionId,
            EventStatus = eventStatus,
            ResourceUri = notification.ResourceUri,
            AuditUri = notification.AuditUri,
            ResourceChangeUtcDate = notification.ParseChangeDate(),
            ReceivedAt = time.GetUtcNow(),
            DeliveryId = deliveryId,
        };
        try
        {
            await sink.OnFraudEventAsync(fraudEvent, aborted);
        }
        catch (Exception e)
        {
            // Forget the claim, or Partner Center's redelivery would be dropped as a duplicate and
            // the event lost; the poller would still find the alert, only later.
            WebhookLog.SinkFailed(logger, e, deliveryId);
            await ReleaseAsync(deliveryId);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        WebhookLog.FraudEventAccepted(logger, eventName, subscriptionId, deliveryId);
        return Results.Ok();
    }

    private async Task<bool> TryClaimAsync(string deliveryId, TimeSpan window, CancellationToken cancellationToken)
    {
        try
        {
            return await deduplicator.TryClaimAsync(deliveryId, window, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The event only triggers a poll, which is idempotent: better twice than never.
            WebhookLog.DeduplicationFailed(logger, e, deliveryId);
            return true;
        }
    }

    private async Task ReleaseAsync(string deliveryId)
    {
        try
        {
            // Not the request's token: the claim must go even when the caller has hung up.
            await deduplicator.ReleaseAsync(deliveryId, CancellationToken.None);
        }
        catch (Exception e)
        {
            WebhookLog.DeduplicationFailed(logger, e, deliveryId);
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string CertificateHost(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri) ? uri.Host : "(not a URL)";

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
