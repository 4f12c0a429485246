using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// A Partner Center customer (<c>GET /v1/customers/{id}</c>). Only the fields the bot reads are
/// typed; the rest (billing profile, links, …) stays in <see cref="AdditionalProperties"/>.
/// </summary>
public sealed record PartnerCenterCustomer
{
    /// <summary>The customer's tenant id.</summary>
    public string? Id { get; init; }

    public string? CommerceId { get; init; }

    public CustomerCompanyProfile? CompanyProfile { get; init; }

    /// <summary>An open set: <c>none</c>, <c>reseller</c>, <c>advisor</c>, <c>syndication</c>, <c>microsoft_support</c>, …</summary>
    public string? RelationshipToPartner { get; init; }

    /// <summary>Returned by the by-id call only.</summary>
    public bool? AllowDelegatedAccess { get; init; }

    /// <summary>The indirect reseller's id, when the customer buys through one.</summary>
    public string? AssociatedPartnerId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The company name from the profile.</summary>
    [JsonIgnore]
    public string? CompanyName => CompanyProfile?.CompanyName;

    /// <summary>The default domain from the profile.</summary>
    [JsonIgnore]
    public string? Domain => CompanyProfile?.Domain;

    /// <summary>The tenant id from the profile, or the customer id.</summary>
    [JsonIgnore]
    public string? TenantId => CompanyProfile?.TenantId ?? Id;
}

/// <summary>A customer's <c>companyProfile</c>.</summary>
public sealed record CustomerCompanyProfile
{
    public string? TenantId { get; init; }

    public string? Domain { get; init; }

    public string? CompanyName { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A <c>PartnerRelationship</c> of a customer: an indirect reseller (or provider).</summary>
public sealed record PartnerRelationship
{
    /// <summary>The partner's tenant id.</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>An open set: <c>IsIndirectResellerOf</c>, <c>IsIndirectCloudSolutionProviderOf</c>, …</summary>
    public string? RelationshipType { get; init; }

    public string? State { get; init; }

    public string? MpnId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A Partner Center subscription (a license, a legacy Azure offer or the Azure plan).</summary>
public sealed record PartnerCenterSubscription
{
    public string? Id { get; init; }

    public string? OfferId { get; init; }

    public string? OfferName { get; init; }

    public string? FriendlyName { get; init; }

    public int? Quantity { get; init; }

    public string? UnitType { get; init; }

    public string? EntitlementId { get; init; }

    public string? ParentSubscriptionId { get; init; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? EffectiveStartDate { get; init; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? CommitmentEndDate { get; init; }

    /// <summary>An open set: <c>none</c>, <c>active</c>, <c>suspended</c>, <c>deleted</c>, …</summary>
    public string? Status { get; init; }

    public bool? AutoRenewEnabled { get; init; }

    public string? BillingType { get; init; }

    public string? BillingCycle { get; init; }

    public string? TermDuration { get; init; }

    public string? ContractType { get; init; }

    /// <summary>The indirect reseller's MPN id, if any.</summary>
    public string? PartnerId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An Azure subscription under an Azure plan (<c>azureEntitlements</c>).</summary>
public sealed record AzureEntitlement
{
    /// <summary>The Azure subscription id (the GUID Azure and Graph alerts show).</summary>
    public string? Id { get; init; }

    public string? FriendlyName { get; init; }

    public string? Status { get; init; }

    /// <summary>The Partner Center id of the Azure plan it belongs to.</summary>
    public string? SubscriptionId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The fields Partner Center's customer search can filter on (prefix match).</summary>
public enum CustomerSearchField
{
    CompanyName,
    Domain,
}

/// <summary>Partner Center's simple field filter, sent URL-encoded as the <c>filter</c> query parameter.</summary>
internal sealed record CustomerSearchFilter
{
    [JsonPropertyName("Field")]
    public required string Field { get; init; }

    [JsonPropertyName("Value")]
    public required string Value { get; init; }

    [JsonPropertyName("Operator")]
    public required string Operator { get; init; }
}

/// <summary>The partner's organization profile (<c>GET /v1/profiles/organization</c>).</summary>
public sealed record OrganizationProfile
{
    public string? Id { get; init; }

    public string? CompanyName { get; init; }

    public string? TenantId { get; init; }

    public string? Domain { get; init; }

    public string? Email { get; init; }

    public string? Language { get; init; }

    public string? Culture { get; init; }

    public PartnerCenterAddress? DefaultAddress { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A Partner Center address (the fields the profile card shows).</summary>
public sealed record PartnerCenterAddress
{
    public string? AddressLine1 { get; init; }

    public string? AddressLine2 { get; init; }

    public string? City { get; init; }

    public string? State { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The address on one line, parts that are present only.</summary>
    public string? OneLine()
    {
        string[] parts = [.. new[] { AddressLine1, AddressLine2, City, State, PostalCode, Country }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim())];
        return parts.Length == 0 ? null : string.Join(", ", parts);
    }
}

/// <summary>Partner Center's collection envelope: <c>{ totalCount, items, links, attributes }</c>.</summary>
public sealed record PartnerCenterItems<T>
{
    public int? TotalCount { get; init; }

    public IReadOnlyList<T>? Items { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Partner Center's error body: <c>{ code, description, errorName?, data, source }</c>.</summary>
internal sealed record PartnerCenterError
{
    /// <summary>A number in practice; kept as JSON so a string code does not fail parsing.</summary>
    public JsonElement? Code { get; init; }

    public string? Description { get; init; }

    public string? ErrorName { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// Reads ISO 8601 dates leniently: anything unparsable becomes null instead of failing the whole
/// response (Partner Center samples mix offsets, <c>Z</c> and bare local-looking times).
/// </summary>
public sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(
            reader.GetString(),
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out DateTimeOffset value)
            ? value
            : null;

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}

/// <summary>The body of an Azure entitlement cancellation.</summary>
public sealed record AzureEntitlementCancellation(string CancellationReason)
{
    /// <summary>The reason for a compromised (fraudulent) Azure subscription.</summary>
    public static AzureEntitlementCancellation Compromise { get; } = new("compromise");
}
