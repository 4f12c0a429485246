namespace TeamsAlertBot.Webhooks;

/// <summary>Log messages of the Partner Center webhook receiver (event ids 3150–3179).</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(3150, LogLevel.Information, "Refused a Partner Center webhook request: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string reason);

    [LoggerMessage(3151, LogLevel.Warning, "Refused a Partner Center webhook delivery: {Failure} (certificate URL host {CertificateHost})")]
    public static partial void VerificationFailed(ILogger logger, WebhookVerificationFailure failure, string certificateHost);

    [LoggerMessage(3152, LogLevel.Warning, "Webhook signing certificate at {Host}{Path} is unavailable: {Reason}")]
    public static partial void CertificateUnavailable(ILogger logger, string host, string path, string reason);

    [LoggerMessage(3153, LogLevel.Warning, "Webhook signing certificate at {Host}{Path} was rejected: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string host, string path, string reason);

    [LoggerMessage(3154, LogLevel.Warning,
        "PartnerCenter:Webhook:RevocationMode is NoCheck: a revoked webhook signing certificate would still be accepted. Use it for test certificates only.")]
    public static partial void RevocationCheckOff(ILogger logger);

    [LoggerMessage(3155, LogLevel.Information, "Partner Center event {EventName} for subscription {SubscriptionId} (delivery {DeliveryId}) handed to the alert pipeline")]
    public static partial void FraudEventAccepted(ILogger logger, string eventName, string? subscriptionId, string deliveryId);

    [LoggerMessage(3156, LogLevel.Information, "Partner Center delivery {DeliveryId} ({EventName}) was already received; acknowledged without processing")]
    public static partial void DuplicateDelivery(ILogger logger, string deliveryId, string eventName);

    [LoggerMessage(3157, LogLevel.Information, "Partner Center test event received (delivery {DeliveryId}); the webhook works")]
    public static partial void TestEventReceived(ILogger logger, string deliveryId);

    [LoggerMessage(3158, LogLevel.Information, "Partner Center event {EventName} is not handled by this bot; acknowledged")]
    public static partial void EventIgnored(ILogger logger, string eventName);

    [LoggerMessage(3159, LogLevel.Error, "The alert pipeline failed to take Partner Center delivery {DeliveryId}; answering 503 so Partner Center redelivers")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(3160, LogLevel.Warning, "The webhook de-duplication store failed for delivery {DeliveryId}; processing it anyway (a repeat is harmless)")]
    public static partial void DeduplicationFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(3162, LogLevel.Debug, "Not fetching the webhook certificate at {Host}: this minute's {Budget} downloads of unknown certificate URLs are spent")]
    public static partial void CertificateFetchLimited(ILogger logger, string host, int budget);

    [LoggerMessage(3161, LogLevel.Warning, "Partner Center event {EventName} has no usable SubscriptionId in its ResourceUri; handed over without one")]
    public static partial void NoSubscriptionId(ILogger logger, string eventName);
}
