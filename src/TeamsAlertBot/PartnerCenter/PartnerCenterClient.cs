using System.Text.Json.Serialization.Metadata;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// The Partner Center REST calls alert enrichment needs, over a typed <see cref="HttpClient"/>.
/// Every call sends a fresh <c>MS-RequestId</c> (kept across its retries) and
/// <c>MS-CorrelationId</c>; the app token, base URL and retries come from the client's handlers.
/// Lookups answer null on 404; any other failure is a <see cref="PartnerCenterException"/>.
/// </summary>
public sealed class PartnerCenterClient
{
    /// <summary>The name of the <see cref="HttpClient"/> every Partner Center client uses.</summary>
    public const string HttpClientName = "PartnerCenter";

    private readonly PartnerCenterRequestSender _sender;

    public PartnerCenterClient(HttpClient http, ILogger<PartnerCenterClient> logger, TimeProvider time)
    {
        _sender = new PartnerCenterRequestSender(http, logger, time);
    }

    /// <summary><c>GET /v1/customers/{id}</c>: company name, domain, relationship, indirect reseller id.</summary>
    public Task<PartnerCenterCustomer?> GetCustomerAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return _sender.GetAsync(
            $"v1/customers/{Escape(customerTenantId)}", PartnerCenterJsonContext.Default.PartnerCenterCustomer, "get customer", cancellationToken);
    }

    /// <summary><c>GET /v1/customers/{id}/relationships</c>: the customer's indirect reseller(s); null when the customer is unknown.</summary>
    public Task<IReadOnlyList<PartnerRelationship>?> GetCustomerRelationshipsAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return ListAsync(
            $"v1/customers/{Escape(customerTenantId)}/relationships",
            PartnerCenterJsonContext.Default.PartnerCenterItemsPartnerRelationship,
            "get customer relationships",
            cancellationToken);
    }

    /// <summary><c>GET /v1/customers/{id}/subscriptions/{subscriptionId}</c>; null on 404.</summary>
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

    /// <summary><c>GET /v1/customers/{id}/subscriptions</c>; null when the customer is unknown.</summary>
    public Task<IReadOnlyList<PartnerCenterSubscription>?> ListSubscriptionsAsync(string customerTenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerTenantId);
        return ListAsync(
            $"v1/customers/{Escape(customerTenantId)}/subscriptions",
            PartnerCenterJsonContext.Default.PartnerCenterItemsPartnerCenterSubscription,
            "list subscriptions",
            cancellationToken);
    }

    /// <summary>
    /// <c>GET /v1/customers/{id}/subscriptions/{azurePlanId}/azureEntitlements</c>: the Azure
    /// subscriptions under an Azure plan; null when the customer or plan is unknown.
    /// </summary>
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

    /// <summary>
    /// <c>POST /v1/customers/{id}/subscriptions/{azurePlanId}/azureEntitlements/{entitlementId}/cancel</c>
    /// with reason <c>compromise</c>: cancels one Azure subscription under an Azure plan (the plan
    /// itself cannot be cancelled this way). Partner Center answers <c>202 Accepted</c>; any failure,
    /// 404 included, is a <see cref="PartnerCenterException"/>. The call carries one
    /// <c>MS-RequestId</c>; the resilience handler does not retry a POST, so a timeout leaves the
    /// outcome unknown (the caller says so and lets a person retry with a new request id).
    /// </summary>
    /// <returns>The success status Partner Center answered (202 expected).</returns>
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

    /// <summary>
    /// <c>GET /v1/customers?size={size}&amp;filter={filter}</c>: the customers whose company name or
    /// domain starts with <paramref name="prefix"/> (the only operator Partner Center's customer
    /// search supports). The filter is Partner Center's JSON <c>{"Field","Value","Operator"}</c>, URL-encoded.
    /// </summary>
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

    /// <summary>
    /// <c>GET /v1/profiles/organization</c>: the partner's own organization profile; null on 404.
    /// Partner Center documents it for App+User only: an app-only token gets 401 or 403 (a
    /// <see cref="PartnerCenterException"/> with that status).
    /// </summary>
    public Task<OrganizationProfile?> GetOrganizationProfileAsync(CancellationToken cancellationToken) =>
        _sender.GetAsync("v1/profiles/organization", PartnerCenterJsonContext.Default.OrganizationProfile, "get organization profile", cancellationToken);

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
