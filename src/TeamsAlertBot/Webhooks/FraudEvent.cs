using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// An authenticated <c>azure-fraud-event-detected</c> delivery. Partner Center sends no alert id,
/// tenant or severity: the pipeline re-queries (the subscription's alerts, detected recently).
/// </summary>
public sealed record FraudEvent
{
    /// <summary><c>azure-fraud-event-detected</c>.</summary>
    public required string EventName { get; init; }

    /// <summary>The subscription from <c>ResourceUri</c>'s query (a GUID, lower-case), or null when absent or not a GUID.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The <c>EventStatus</c> from <c>ResourceUri</c>'s query (<c>Active</c>, …), if present.</summary>
    public string? EventStatus { get; init; }

    /// <summary>
    /// The legacy FraudEvents link as sent. Call it only as a path and query against the configured
    /// Partner Center base URL, never by its own host.
    /// </summary>
    public string? ResourceUri { get; init; }

    public string? AuditUri { get; init; }

    /// <summary>When Partner Center says the change happened (null when unparsable).</summary>
    public DateTimeOffset? ResourceChangeUtcDate { get; init; }

    /// <summary>When the bot received the delivery.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>SHA-256 (hex) of the raw body: the same for every redelivery of one event.</summary>
    public required string DeliveryId { get; init; }
}

/// <summary>The JSON body Partner Center posts (documented in PascalCase; read case-insensitively).</summary>
public sealed record PartnerCenterWebhookNotification
{
    public string? EventName { get; init; }

    public string? ResourceUri { get; init; }

    public string? ResourceName { get; init; }

    public string? AuditUri { get; init; }

    /// <summary>Kept as text: its format varies, and a bad date must not cost the event.</summary>
    public string? ResourceChangeUtcDate { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The <c>SubscriptionId</c> and <c>EventStatus</c> query values of <see cref="ResourceUri"/>.</summary>
    internal (string? SubscriptionId, string? EventStatus) ReadResourceQuery()
    {
        if (string.IsNullOrWhiteSpace(ResourceUri))
        {
            return (null, null);
        }

        int start = ResourceUri.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return (null, null);
        }

        int end = ResourceUri.IndexOf('#', start);
        Dictionary<string, StringValues> query = QueryHelpers.ParseQuery(end < 0 ? ResourceUri[start..] : ResourceUri[start..end]);
        string? subscription = query.TryGetValue("SubscriptionId", out StringValues s) && Guid.TryParse(s.ToString(), out Guid id)
            ? id.ToString("D")
            : null;
        string? status = query.TryGetValue("EventStatus", out StringValues e) && !StringValues.IsNullOrEmpty(e) ? e[0] : null;
        return (subscription, status);
    }

    /// <summary><see cref="ResourceChangeUtcDate"/> as a UTC time, or null.</summary>
    internal DateTimeOffset? ParseChangeDate() =>
        DateTimeOffset.TryParse(ResourceChangeUtcDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
            ? value
            : null;
}

/// <summary>Serializer metadata for webhook bodies.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PartnerCenterWebhookNotification))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
