using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.Core.Alerts;

/// <summary>
/// A Microsoft Graph (beta) <c>microsoft.graph.partner.security.partnerSecurityAlert</c>. Parsed
/// leniently: evolvable enums map unknown values to <c>Unknown</c>, <c>isTest</c> may be a boolean
/// or a string, <c>alertType</c> is an open string, and unknown fields are kept.
/// </summary>
public sealed record PartnerSecurityAlert
{
    public required string Id { get; init; }

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    /// <summary>The detection kind; an open set (<c>networkConnectionsToCryptoMiningPools</c>, <c>VM_AnomalousDeployment</c>, …).</summary>
    public string? AlertType { get; init; }

    [JsonConverter(typeof(LenientEnumConverter<AlertStatus>))]
    public AlertStatus Status { get; init; }

    [JsonConverter(typeof(LenientEnumConverter<AlertResolvedReason>))]
    public AlertResolvedReason? ResolvedReason { get; init; }

    [JsonConverter(typeof(LenientEnumConverter<AlertSeverity>))]
    public AlertSeverity Severity { get; init; }

    [JsonConverter(typeof(LenientEnumConverter<AlertConfidence>))]
    public AlertConfidence ConfidenceLevel { get; init; }

    public string? CustomerTenantId { get; init; }

    public string? SubscriptionId { get; init; }

    public string? ValueAddedResellerTenantId { get; init; }

    public string? CatalogOfferId { get; init; }

    public DateTimeOffset? DetectedDateTime { get; init; }

    public DateTimeOffset? FirstObservedDateTime { get; init; }

    public DateTimeOffset? LastObservedDateTime { get; init; }

    public DateTimeOffset? ResolvedOnDateTime { get; init; }

    /// <summary>UPN of the partner user who resolved it.</summary>
    public string? ResolvedBy { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool IsTest { get; init; }

    public IReadOnlyList<AffectedResource>? AffectedResources { get; init; }

    public IReadOnlyList<AlertActivityLog>? ActivityLogs { get; init; }

    /// <summary>Type-specific name/value details (values are strings, some JSON-encoded).</summary>
    public JsonElement? AdditionalDetails { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>True while the alert waits for a verdict (active or investigating).</summary>
    [JsonIgnore]
    public bool IsOpen => Status is AlertStatus.Active or AlertStatus.Investigating;
}

/// <summary>An Azure resource an alert concerns.</summary>
public sealed record AffectedResource
{
    /// <summary>ARM path, <c>/subscriptions/…/providers/…</c>.</summary>
    public string? ResourceId { get; init; }

    public string? ResourceType { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One status change of an alert, recorded by Microsoft.</summary>
public sealed record AlertActivityLog
{
    [JsonConverter(typeof(LenientEnumConverter<AlertStatus>))]
    public AlertStatus? StatusFrom { get; init; }

    [JsonConverter(typeof(LenientEnumConverter<AlertStatus>))]
    public AlertStatus? StatusTo { get; init; }

    public string? UpdatedBy { get; init; }

    public DateTimeOffset? UpdatedDateTime { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary><c>securityAlertStatus</c>.</summary>
public enum AlertStatus
{
    Unknown,
    Active,
    Resolved,
    Investigating,
}

/// <summary><c>securityAlertResolvedReason</c>: the partner's verdict.</summary>
public enum AlertResolvedReason
{
    Unknown,
    Legitimate,
    Ignore,
    Fraud,
}

/// <summary><c>securityAlertSeverity</c>.</summary>
public enum AlertSeverity
{
    Unknown,
    Informational,
    Low,
    Medium,
    High,
}

/// <summary><c>securityAlertConfidence</c>.</summary>
public enum AlertConfidence
{
    Unknown,
    Low,
    Medium,
    High,
}

/// <summary>
/// Reads an evolvable Graph enum: case-insensitive names; anything else (including
/// <c>unknownFutureValue</c> and numbers) becomes the enum's zero value, <c>Unknown</c>. Writes camelCase.
/// </summary>
public sealed class LenientEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Enum.TryParse(reader.GetString(), ignoreCase: true, out T value) && Enum.IsDefined(value)
            && !int.TryParse(reader.GetString(), out _)
            ? value
            : default;

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        string name = value.ToString();
        writer.WriteStringValue(char.ToLowerInvariant(name[0]) + name[1..]);
    }
}

/// <summary>Reads <c>true</c>/<c>false</c> as booleans or strings (Graph's samples use both).</summary>
public sealed class LenientBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String => bool.TryParse(reader.GetString(), out bool parsed) && parsed,
        _ => false,
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBooleanValue(value);
    }
}

/// <summary>Serializer metadata for alerts (Graph's camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PartnerSecurityAlert))]
[JsonSerializable(typeof(IReadOnlyList<PartnerSecurityAlert>))]
public sealed partial class AlertJsonContext : JsonSerializerContext;
