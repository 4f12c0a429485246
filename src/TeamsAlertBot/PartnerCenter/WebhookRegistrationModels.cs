using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// The body of <c>POST/PUT /webhooks/v1/registration</c>. Partner Center documents it in
/// PascalCase, so it is written that way.
/// </summary>
public sealed record WebhookRegistrationRequest
{
    /// <summary>The bot's public https endpoint (see <c>MapPartnerCenterWebhook</c>).</summary>
    [JsonPropertyName("WebhookUrl")]
    public required Uri WebhookUrl { get; init; }

    /// <summary>Event names, e.g. <c>azure-fraud-event-detected</c> and <c>test-created</c>.</summary>
    [JsonPropertyName("WebhookEvents")]
    public required IReadOnlyList<string> WebhookEvents { get; init; }

    /// <summary>True: the signature arrives in <c>x-ms-signature</c> instead of <c>Authorization</c>.</summary>
    [JsonPropertyName("SignatureTokenToMsSignatureHeader")]
    public bool SignatureTokenToMsSignatureHeader { get; init; }
}

/// <summary>The partner's webhook registration as Partner Center returns it.</summary>
public sealed record WebhookRegistration
{
    public string? SubscriberId { get; init; }

    public string? WebhookUrl { get; init; }

    public IReadOnlyList<string>? WebhookEvents { get; init; }

    public bool? SignatureTokenToMsSignatureHeader { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The answer to <c>POST /webhooks/v1/registration/validationEvents</c>.</summary>
public sealed record WebhookValidationEvent
{
    /// <summary>Pass it to <c>GetValidationEventStatusAsync</c>.</summary>
    public string? CorrelationId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Delivery status of a test event (purged by Partner Center after 7 days).</summary>
public sealed record WebhookValidationEventStatus
{
    public string? CorrelationId { get; init; }

    public string? PartnerId { get; init; }

    public string? Status { get; init; }

    public string? CallbackUrl { get; init; }

    public IReadOnlyList<WebhookDeliveryResult>? Results { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One delivery attempt of a test event.</summary>
public sealed record WebhookDeliveryResult
{
    /// <summary>The code our endpoint answered with (its JSON type is not documented).</summary>
    public JsonElement? ResponseCode { get; init; }

    public string? ResponseMessage { get; init; }

    public string? SystemError { get; init; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? DateTimeUtc { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
