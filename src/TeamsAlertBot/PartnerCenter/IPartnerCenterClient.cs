
namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// The Partner Center calls enrichment, look-ups and mitigation need. Look-ups answer null on 404; any other
/// failure is a <see cref="PartnerCenterException"/>. <see cref="PartnerCenterClient"/> calls Partner Center's
/// REST API; <see cref="Demo.DemoPartnerCenter"/> serves the embedded demo tenant.
/// </summary>
public interface IPartnerCenterClient
{
    /// <summary><c>GET /v1/customers/{id}</c>: company name, domain, relationship, indirect reseller id.</summary>
    Task<PartnerCenterCustomer?> GetCustomerAsync(string customerTenantId, CancellationToken cancellationToken);

    /// <summary><c>GET /v1/customers/{id}/relationships</c>: the customer's indirect reseller(s); null when the customer is unknown.</summary>
    Task<IReadOnlyList<PartnerRelationship>?> GetCustomerRelationshipsAsync(string customerTenantId, CancellationToken cancellationToken);

    /// <summary><c>GET /v1/customers/{id}/subscriptions/{subscriptionId}</c>; null on 404.</summary>
    Task<PartnerCenterSubscription?> GetSubscriptionAsync(string customerTenantId, string subscriptionId, CancellationToken cancellationToken);

    /// <summary><c>GET /v1/customers/{id}/subscriptions</c>; null when the customer is unknown.</summary>
    Task<IReadOnlyList<PartnerCenterSubscription>?> ListSubscriptionsAsync(string customerTenantId, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /v1/customers/{id}/subscriptions/{azurePlanId}/azureEntitlements</c>: the Azure
    /// subscriptions under an Azure plan; null when the customer or plan is unknown.
    /// </summary>
    Task<IReadOnlyList<AzureEntitlement>?> GetAzureEntitlementsAsync(string customerTenantId, string subscriptionId, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /v1/customers/{id}/subscriptions/{azurePlanId}/azureEntitlements/{entitlementId}/cancel</c>
    /// with reason <c>compromise</c>: cancels one Azure subscription under an Azure plan (the plan
    /// itself cannot be cancelled this way). Partner Center answers <c>202 Accepted</c>; any failure,
    /// 404 included, is a <see cref="PartnerCenterException"/>. The call carries one
    /// <c>MS-RequestId</c>; the resilience handler does not retry a POST, so a timeout leaves the
    /// outcome unknown (the caller says so and lets a person retry with a new request id).
    /// </summary>
    /// <returns>The success status Partner Center answered (202 expected).</returns>
    Task<System.Net.HttpStatusCode> CancelAzureEntitlementAsync(string customerTenantId, string azurePlanSubscriptionId, string azureSubscriptionId, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /v1/customers?size={size}&amp;filter={filter}</c>: the customers whose company name or
    /// domain starts with <paramref name="prefix"/> (the only operator Partner Center's customer
    /// search supports). The filter is Partner Center's JSON <c>{"Field","Value","Operator"}</c>, URL-encoded.
    /// </summary>
    Task<IReadOnlyList<PartnerCenterCustomer>> SearchCustomersAsync(CustomerSearchField field, string prefix, int size, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /v1/profiles/organization</c>: the partner's own organization profile; null on 404.
    /// Partner Center documents it for App+User only: an app-only token gets 401 or 403 (a
    /// <see cref="PartnerCenterException"/> with that status).
    /// </summary>
    Task<OrganizationProfile?> GetOrganizationProfileAsync(CancellationToken cancellationToken);
}
