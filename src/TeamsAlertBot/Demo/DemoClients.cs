using System.Net;
using System.Runtime.CompilerServices;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Demo;

/// <summary>The partner security alert API of the demo tenant, in place of Microsoft Graph.</summary>
internal sealed class DemoAlertClient(DemoTenant tenant) : IPartnerSecurityAlertClient
{
    public async IAsyncEnumerable<PartnerSecurityAlert> ListAsync(AlertQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AlertFilter filter = AlertFilter.From(query);
        foreach (PartnerSecurityAlert alert in tenant.ListAlerts().Where(filter.Matches))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return alert;
        }

        await Task.CompletedTask;
    }

    public Task<PartnerSecurityAlert?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(tenant.GetAlert(id));

    public Task<PartnerSecurityAlert> UpdateAsync(string id, AlertUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return tenant.Update(id, update.Status, update.ResolvedReason) is { } updated
            ? Task.FromResult(updated)
            : throw new GraphException("Update partner security alert: the demo tenant has no such alert.", HttpStatusCode.NotFound, errorCode: null, requestId: null, clientRequestId: null);
    }
}

/// <summary>The Partner Center of the demo tenant: its customers, resellers, subscriptions and cancellations.</summary>
internal sealed class DemoPartnerCenter(DemoTenant tenant) : IPartnerCenterClient
{
    public Task<PartnerCenterCustomer?> GetCustomerAsync(string customerTenantId, CancellationToken cancellationToken) =>
        Task.FromResult(tenant.Customer(customerTenantId));

    public Task<IReadOnlyList<PartnerRelationship>?> GetCustomerRelationshipsAsync(string customerTenantId, CancellationToken cancellationToken) =>
        Task.FromResult(tenant.Relationships(customerTenantId));

    public Task<PartnerCenterSubscription?> GetSubscriptionAsync(string customerTenantId, string subscriptionId, CancellationToken cancellationToken) =>
        Task.FromResult(tenant.ListSubscriptions(customerTenantId)?.FirstOrDefault(s => string.Equals(s.Id, subscriptionId.Trim(), StringComparison.OrdinalIgnoreCase)));

    public Task<IReadOnlyList<PartnerCenterSubscription>?> ListSubscriptionsAsync(string customerTenantId, CancellationToken cancellationToken) =>
        Task.FromResult(tenant.ListSubscriptions(customerTenantId));

    public Task<IReadOnlyList<AzureEntitlement>?> GetAzureEntitlementsAsync(string customerTenantId, string subscriptionId, CancellationToken cancellationToken) =>
        Task.FromResult(tenant.ListEntitlements(customerTenantId, subscriptionId));

    public Task<HttpStatusCode> CancelAzureEntitlementAsync(string customerTenantId, string azurePlanSubscriptionId, string azureSubscriptionId, CancellationToken cancellationToken) =>
        tenant.CancelEntitlement(customerTenantId, azurePlanSubscriptionId, azureSubscriptionId)
            ? Task.FromResult(HttpStatusCode.Accepted)
            : throw new PartnerCenterException("cancel Azure entitlement: the demo tenant has no such Azure subscription", HttpStatusCode.NotFound, errorCode: null, requestId: "demo", correlationId: "demo");

    public Task<IReadOnlyList<PartnerCenterCustomer>> SearchCustomersAsync(CustomerSearchField field, string prefix, int size, CancellationToken cancellationToken)
    {
        string wanted = prefix.Trim();
        return Task.FromResult<IReadOnlyList<PartnerCenterCustomer>>([.. tenant.ListCustomers()
            .Where(c => (field == CustomerSearchField.Domain ? c.CompanyProfile?.Domain : c.CompanyProfile?.CompanyName)?.StartsWith(wanted, StringComparison.OrdinalIgnoreCase) == true)
            .Take(size)]);
    }

    public Task<OrganizationProfile?> GetOrganizationProfileAsync(CancellationToken cancellationToken) => Task.FromResult<OrganizationProfile?>(new()
    {
        Id = "de000000-0000-4000-8000-0000000000e1",
        CompanyName = "Demo Partner 株式会社",
        TenantId = "de000000-0000-4000-8000-0000000000e0",
        Domain = "demo-partner.example",
        Email = "security@demo-partner.example",
        Language = "ja",
        Culture = "ja-JP",
        DefaultAddress = new PartnerCenterAddress { AddressLine1 = "1-1 Demo", City = "Chiyoda-ku", State = "Tokyo", PostalCode = "100-0001", Country = "JP" },
    });
}
