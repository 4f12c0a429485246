namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Receives authenticated, de-duplicated <c>azure-fraud-event-detected</c> events; the alert
/// pipeline implements it (it triggers an immediate poll for the subscription).
/// </summary>
public interface IFraudEventSink
{
    /// <summary>
    /// Takes the event. Return quickly (enqueue, signal a poller): the webhook answers Partner
    /// Center only after this completes. Throwing makes the webhook answer 503 and forget the
    /// delivery, so Partner Center's redelivery is processed again.
    /// </summary>
    Task OnFraudEventAsync(FraudEvent fraudEvent, CancellationToken cancellationToken);
}
