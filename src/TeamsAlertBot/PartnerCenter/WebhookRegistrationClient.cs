namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Partner Center's webhook registration API (<c>/webhooks/v1/registration</c>), on the same
/// typed client infrastructure as <see cref="PartnerCenterClient"/> (token, headers, errors).
/// Only GETs are retried; a failed POST/PUT surfaces at once, since repeating it is the caller's call.
/// </summary>
public sealed class WebhookRegistrationClient
{
    private const string RegistrationPath = "webhooks/v1/registration";

    private readonly PartnerCenterRequestSender _sender;

    public WebhookRegistrationClient(HttpClient http, ILogger<WebhookRegistrationClient> logger, TimeProvider time)
    {
        _sender = new PartnerCenterRequestSender(http, logger, time);
    }

    /// <summary><c>GET /webhooks/v1/registration/events</c>: the event names one can register for.</summary>
    public async Task<IReadOnlyList<string>> GetSupportedEventsAsync(CancellationToken cancellationToken) =>
        await _sender.GetAsync($"{RegistrationPath}/events", PartnerCenterJsonContext.Default.IReadOnlyListString, "get webhook events", cancellationToken)
        ?? [];

    /// <summary><c>GET /webhooks/v1/registration</c>; null when the partner has no registration.</summary>
    public Task<WebhookRegistration?> GetRegistrationAsync(CancellationToken cancellationToken) =>
        _sender.GetAsync(RegistrationPath, PartnerCenterJsonContext.Default.WebhookRegistration, "get webhook registration", cancellationToken);

    /// <summary><c>POST /webhooks/v1/registration</c>: registers the endpoint for the given events.</summary>
    public Task<WebhookRegistration> RegisterAsync(WebhookRegistrationRequest registration, CancellationToken cancellationToken) =>
        SendRegistrationAsync(HttpMethod.Post, registration, "register webhook", cancellationToken);

    /// <summary><c>PUT /webhooks/v1/registration</c>: replaces the registration.</summary>
    public Task<WebhookRegistration> UpdateRegistrationAsync(WebhookRegistrationRequest registration, CancellationToken cancellationToken) =>
        SendRegistrationAsync(HttpMethod.Put, registration, "update webhook registration", cancellationToken);

    /// <summary>
    /// <c>POST /webhooks/v1/registration/validationEvents</c>: asks Partner Center to send a
    /// <c>test-created</c> event (which must be registered). Partner Center allows 2 a minute.
    /// </summary>
    public Task<WebhookValidationEvent> SendValidationEventAsync(CancellationToken cancellationToken) =>
        _sender.SendAsync<object, WebhookValidationEvent>(
            HttpMethod.Post,
            $"{RegistrationPath}/validationEvents",
            body: null,
            PartnerCenterJsonContext.Default.Object,
            PartnerCenterJsonContext.Default.WebhookValidationEvent,
            "send webhook validation event",
            cancellationToken);

    /// <summary><c>GET /webhooks/v1/registration/validationEvents/{correlationId}</c>; null once purged (7 days).</summary>
    public Task<WebhookValidationEventStatus?> GetValidationEventStatusAsync(string correlationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(correlationId);
        return _sender.GetAsync(
            $"{RegistrationPath}/validationEvents/{Uri.EscapeDataString(correlationId)}",
            PartnerCenterJsonContext.Default.WebhookValidationEventStatus,
            "get webhook validation status",
            cancellationToken);
    }

    private Task<WebhookRegistration> SendRegistrationAsync(
        HttpMethod method, WebhookRegistrationRequest registration, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!registration.WebhookUrl.IsAbsoluteUri || registration.WebhookUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("The webhook URL must be an absolute https URL.", nameof(registration));
        }

        if (registration.WebhookEvents.Count == 0)
        {
            throw new ArgumentException("Register at least one event.", nameof(registration));
        }

        return _sender.SendAsync(
            method,
            RegistrationPath,
            registration,
            PartnerCenterJsonContext.Default.WebhookRegistrationRequest,
            PartnerCenterJsonContext.Default.WebhookRegistration,
            operation,
            cancellationToken);
    }
}
