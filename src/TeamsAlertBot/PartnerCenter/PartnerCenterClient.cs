using System.Text.Json.Serialization.Metadata;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// The Partner Center REST calls alert enrichment needs, over a typed <see cref="HttpClient"/>.
/// Every call sends a fresh <c>MS-RequestId</c> (kept across its retries) and
/// <c>MS-CorrelationId</c>; the app token, base URL and retries come from the client's handlers.
/// Lookups answer null on 404; any other failure is a <see cref="PartnerCenterException"/>.
/// </summary>
public sealed class PartnerCenterClient : IPartnerCenterClient
{
    /// <summary>The name of the <see cref="HttpClient"/> every Partner Center client uses.</summary>
    public const string HttpClientName = "PartnerCenter";

    private readonly PartnerCenterRequestSender _sender;

    public PartnerCenterClient(HttpClient http, ILogger<PartnerCenterClient> logger, TimeProvider time)
    {
        _sender = new PartnerCenterRequestSender(http, logger, time);
    }

    /// <inheritdoc />
    public Task<PartnerCenterCustomer?> GetCustomerAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return _sender.GetAsync(
            $"v1/customers/{Escape(customerTenantId)}", PartnerCenterJsonContext.Default.PartnerCenterCustomer, "get customer", cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PartnerRelationship>?> GetCustomerRelationshipsAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return ListAsync(
            $"v1/customers/{Escape(customerTenantId)}/relationships",
            PartnerCenterJsonContext.Default.PartnerCenterItemsPartnerRelationship,
            "get customer relationships",
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<PartnerCenterSubscription?> GetSubscriptionAsync(string customerTenantId, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        return _sender.GetAsync(
            $"v1/customers/{Escape(customerTenantId)}/subscriptions/{Escape(subscriptionId)}",
            PartnerCenterJsonContext.Default.PartnerCenterSubscription,
            "get subscription",
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PartnerCenterSubscription>?> ListSubscriptionsAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return ListAsync(
            $"v1/customers/{Escape(customerTenantId)}/subscriptions",
            PartnerCenterJsonContext.Default.PartnerCenterItemsPartnerCenterSubscription,
            "list subscriptions",
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AzureEntitlement>?> GetAzureEntitlementsAsync(
        string customerTenantId, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        return ListAsync(
            $"v1/customers/{Escape(customerTenantId)}/subscriptions/{Escape(subscriptionId)}/azureEntitlements",
            PartnerCenterJsonContext.Default.PartnerCenterItemsAzureEntitlement,
            "get Azure entitlements",
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<System.Net.HttpStatusCode> CancelAzureEntitlementAsync(
        string customerTenantId, string azurePlanSubscriptionId, string azureSubscriptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(azurePlanSubscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(azureSubscriptionId);
        return _sender.PostAsync(
            $"v1/customers/{Escape(customerTenantId)}/subscriptions/{Escape(azurePlanSubscriptionId)}/azureEntitlements/{Escape(azureSubscriptionId)}/cancel",
            AzureEntitlementCancellation.Compromise,
            PartnerCenterJsonContext.Default.AzureEntitlementCancellation,
            "cancel Azure entitlement",
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PartnerCenterCustomer>> SearchCustomersAsync(
        CustomerSearchField field, string prefix, int size, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var filter = new CustomerSearchFilter
        {
            Field = field == CustomerSearchField.Domain ? "Domain" : "CompanyName",
            Value = prefix.Trim(),
            Operator = "starts_with",
        };
        string json = System.Text.Json.JsonSerializer.Serialize(filter, PartnerCenterJsonContext.Default.CustomerSearchFilter);
        return await ListAsync(
            $"v1/customers?size={size.ToString(System.Globalization.CultureInfo.InvariantCulture)}&filter={Uri.EscapeDataString(json)}",
            PartnerCenterJsonContext.Default.PartnerCenterItemsPartnerCenterCustomer,
            "search customers",
            cancellationToken) ?? [];
    }

    /// <inheritdoc />
    /// <remarks>Partner Center serves it to App+User tokens only, so the request carries the admin's grant.</remarks>
    public Task<OrganizationProfile?> GetOrganizationProfileAsync(CancellationToken cancellationToken) =>
        _sender.GetAsync("v1/profiles/organization", PartnerCenterJsonContext.Default.OrganizationProfile, "get organization profile", cancellationToken, appUser: true);

    /// <summary>A collection's items; null on 404.</summary>
    private async Task<IReadOnlyList<T>?> ListAsync<T>(
        string path, JsonTypeInfo<PartnerCenterItems<T>> typeInfo, string operation, CancellationToken cancellationToken)
    {
        PartnerCenterItems<T>? collection = await _sender.GetAsync(path, typeInfo, operation, cancellationToken);
        if (collection is null)
        {
            return null;
        }

        IReadOnlyList<T> items = collection.Items ?? [];
        if (collection.TotalCount is int total && total > items.Count)
        {
            // None of these collections is documented as paged; if one ever is, say so loudly.
            PartnerCenterLog.CollectionTruncated(_sender.Logger, operation, items.Count, total);
        }

        return items;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment.Trim());
}
