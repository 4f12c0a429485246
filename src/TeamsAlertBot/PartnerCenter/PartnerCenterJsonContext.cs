using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Serializer metadata for Partner Center's wire shapes and the enrichment cache. Reading is
/// case-insensitive (Partner Center mixes camelCase and PascalCase); nulls are not written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PartnerCenterCustomer))]
[JsonSerializable(typeof(PartnerCenterSubscription))]
[JsonSerializable(typeof(PartnerCenterItems<PartnerRelationship>))]
[JsonSerializable(typeof(PartnerCenterItems<PartnerCenterSubscription>))]
[JsonSerializable(typeof(PartnerCenterItems<AzureEntitlement>))]
[JsonSerializable(typeof(PartnerCenterError))]
[JsonSerializable(typeof(AzureEntitlementCancellation))]
[JsonSerializable(typeof(PartnerCenterItems<PartnerCenterCustomer>))]
[JsonSerializable(typeof(OrganizationProfile))]
[JsonSerializable(typeof(CustomerSearchFilter))]
[JsonSerializable(typeof(WebhookRegistrationRequest))]
[JsonSerializable(typeof(WebhookRegistration))]
[JsonSerializable(typeof(WebhookValidationEvent))]
[JsonSerializable(typeof(WebhookValidationEventStatus))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(CachedValue<CustomerSummary>))]
[JsonSerializable(typeof(CachedValue<List<ResellerInfo>>))]
[JsonSerializable(typeof(CachedValue<SubscriptionDirectory>))]
internal sealed partial class PartnerCenterJsonContext : JsonSerializerContext;
