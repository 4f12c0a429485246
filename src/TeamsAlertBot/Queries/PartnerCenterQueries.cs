using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Queries;

/// <summary>How a typed customer (tenant id, domain or name) resolved.</summary>
public sealed record CustomerResolution(IReadOnlyList<CustomerView> Matches);

/// <summary>
/// The Partner Center look-ups of the query commands, on <see cref="PartnerCenterClient"/> (tokens,
/// request ids, retries honouring Retry-After) and cached in the distributed cache for
/// <see cref="PartnerCenterOptions.QueryCacheDuration"/>, "not found" included. Unlike alert
/// enrichment, failures are not hidden: a <see cref="PartnerCenterException"/> reaches the command,
/// which tells the user Partner Center is busy or unavailable. Failures are never cached.
/// </summary>
public sealed class PartnerCenterQueries(
    IPartnerCenterClient client,
    IDistributedCache cache,
    IOptions<PartnerCenterOptions> options,
    TimeProvider time,
    ILogger<PartnerCenterQueries> logger)
{
    private readonly PartnerCenterCache _cache = new(cache, logger);

    /// <summary>How many customers a name or domain search asks for (one more than a choice card shows, to tell "more").</summary>
    public const int SearchSize = QueryCards.MaxChoices + 1;

    /// <summary>The customer by tenant id; null when Partner Center does not know it.</summary>
    public Task<CustomerView?> GetCustomerAsync(string tenantId, CancellationToken cancellationToken) =>
        GetOrFetchAsync(
            PartnerCenterCacheKeys.Query("customer", tenantId),
            QueryJsonContext.Default.CachedValueCustomerView,
            async ct => await client.GetCustomerAsync(tenantId, ct) is { } customer ? View(customer, tenantId) : null,
            cancellationToken);

    /// <summary>
    /// Resolves what a user typed: a GUID is a tenant id; text with a dot and no space is first
    /// searched as a domain prefix (an exact domain wins), then as a name; anything else as the
    /// beginning of the company name.
    /// </summary>
    public async Task<CustomerResolution> ResolveCustomerAsync(string typed, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typed);
        string text = typed.Trim();
        if (Guid.TryParse(text, out Guid tenant))
        {
            return new CustomerResolution(await GetCustomerAsync(tenant.ToString("D"), cancellationToken) is { } byId ? [byId] : []);
        }

        if (text.Contains('.', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal))
        {
            IReadOnlyList<CustomerView> byDomain = await SearchAsync(CustomerSearchField.Domain, text, cancellationToken);
            if (byDomain.FirstOrDefault(c => string.Equals(c.Domain, text, StringComparison.OrdinalIgnoreCase)) is { } exact)
            {
                return new CustomerResolution([exact]);
            }

            if (byDomain.Count > 0)
            {
                return new CustomerResolution(byDomain);
            }
        }

        return new CustomerResolution(await SearchAsync(CustomerSearchField.CompanyName, text, cancellationToken));
    }

    /// <summary>The customer's indirect resellers; null when Partner Center does not know the customer.</summary>
    public Task<List<ResellerView>?> GetResellersAsync(string tenantId, CancellationToken cancellationToken) =>
        GetOrFetchAsync(
            PartnerCenterCacheKeys.Query("resellers", tenantId),
            QueryJsonContext.Default.CachedValueListResellerView,
            async ct => await client.GetCustomerRelationshipsAsync(tenantId, ct) is { } relationships
                ? relationships.Select(r => new ResellerView { TenantId = r.Id, Name = r.Name, RelationshipType = r.RelationshipType, State = r.State, MpnId = r.MpnId }).ToList()
                : null,
            cancellationToken);

    /// <summary>
    /// A subscription of the customer: a Partner Center subscription id, or (the usual reading of an
    /// alert's <c>subscriptionId</c>) an Azure subscription under one of the customer's Azure plans,
    /// which answers with that plan and marks the Azure subscription. Null when it is neither.
    /// </summary>
    public Task<SubscriptionView?> GetSubscriptionAsync(CustomerView customer, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return GetOrFetchAsync(
            PartnerCenterCacheKeys.Query("subscription", customer.TenantId + "/" + subscriptionId.Trim()),
            QueryJsonContext.Default.CachedValueSubscriptionView,
            ct => FetchSubscriptionAsync(customer, subscriptionId.Trim(), ct),
            cancellationToken);
    }

    /// <summary>The partner's organization profile; null on 404. App+User only: an app token gets a 401/403 exception.</summary>
    public Task<OrganizationProfileView?> GetProfileAsync(CancellationToken cancellationToken) =>
        GetOrFetchAsync(
            PartnerCenterCacheKeys.Query("profile", "organization"),
            QueryJsonContext.Default.CachedValueOrganizationProfileView,
            async ct => await client.GetOrganizationProfileAsync(ct) is { } profile
                ? new OrganizationProfileView
                {
                    Id = profile.Id,
                    CompanyName = profile.CompanyName,
                    TenantId = profile.TenantId,
                    Domain = profile.Domain,
                    Email = profile.Email,
                    Language = profile.Language,
                    Culture = profile.Culture,
                    Address = profile.DefaultAddress?.OneLine(),
                }
                : null,
            cancellationToken);

    private async Task<IReadOnlyList<CustomerView>> SearchAsync(CustomerSearchField field, string prefix, CancellationToken cancellationToken) =>
        await GetOrFetchAsync(
            PartnerCenterCacheKeys.Query(field == CustomerSearchField.Domain ? "search-domain" : "search-name", prefix.ToLowerInvariant()),
            QueryJsonContext.Default.CachedValueListCustomerView,
            async ct => (await client.SearchCustomersAsync(field, prefix, SearchSize, ct))
                .Where(c => !string.IsNullOrWhiteSpace(c.TenantId))
                .Select(c => View(c, c.TenantId!))
                .ToList(),
            cancellationToken) ?? [];

    private async Task<SubscriptionView?> FetchSubscriptionAsync(CustomerView customer, string subscriptionId, CancellationToken cancellationToken)
    {
        PartnerCenterOptions settings = options.Value;
        if (await client.GetSubscriptionAsync(customer.TenantId, subscriptionId, cancellationToken) is { } direct)
        {
            bool plan = settings.IsAzurePlan(direct);
            IReadOnlyList<AzureEntitlement>? entitlements = plan && direct.Id is { } planId
                ? await client.GetAzureEntitlementsAsync(customer.TenantId, planId, cancellationToken)
                : null;
            return View(customer, direct, plan, entitlements, asked: null);
        }

        // Not a Partner Center id: look for an Azure subscription under the customer's Azure plans.
        IReadOnlyList<PartnerCenterSubscription> subscriptions = await client.ListSubscriptionsAsync(customer.TenantId, cancellationToken) ?? [];
        foreach (PartnerCenterSubscription plan in subscriptions.Where(s => s.Id is not null && settings.IsAzurePlan(s)).Take(settings.MaxAzurePlansPerCustomer))
        {
            IReadOnlyList<AzureEntitlement> entitlements = await client.GetAzureEntitlementsAsync(customer.TenantId, plan.Id!, cancellationToken) ?? [];
            if (entitlements.FirstOrDefault(e => PartnerCenterCacheKeys.SameId(e.Id, subscriptionId)) is { } match)
            {
                return View(customer, plan, isAzurePlan: true, entitlements, asked: PartnerCenterCacheKeys.NormalizeId(match.Id));
            }
        }

        return null;
    }

    private static SubscriptionView View(
        CustomerView customer, PartnerCenterSubscription subscription, bool isAzurePlan, IReadOnlyList<AzureEntitlement>? entitlements, string? asked) => new()
    {
        Customer = customer,
        Id = subscription.Id ?? string.Empty,
        FriendlyName = subscription.FriendlyName,
        OfferId = subscription.OfferId,
        OfferName = subscription.OfferName,
        Status = subscription.Status,
        Quantity = subscription.Quantity,
        BillingCycle = subscription.BillingCycle,
        TermDuration = subscription.TermDuration,
        AutoRenewEnabled = subscription.AutoRenewEnabled,
        CreationDate = subscription.CreationDate,
        EffectiveStartDate = subscription.EffectiveStartDate,
        CommitmentEndDate = subscription.CommitmentEndDate,
        IsAzurePlan = isAzurePlan,
        AzureSubscriptions = [.. (entitlements ?? [])
            .Where(e => !string.IsNullOrWhiteSpace(e.Id))
            .Select(e => new AzureSubscriptionView { Id = e.Id!, FriendlyName = e.FriendlyName, Status = e.Status })],
        AskedAzureSubscriptionId = asked,
    };

    private static CustomerView View(PartnerCenterCustomer customer, string tenantId) => new()
    {
        TenantId = PartnerCenterCacheKeys.NormalizeId(customer.TenantId) ?? tenantId,
        CompanyName = customer.CompanyName,
        Domain = customer.Domain,
        RelationshipToPartner = customer.RelationshipToPartner,
        AllowDelegatedAccess = customer.AllowDelegatedAccess,
        AssociatedPartnerId = customer.AssociatedPartnerId,
    };

    /// <summary>The cached answer, or a fresh one (then cached, "not found" too). A failed fetch throws and is not cached.</summary>
    private async Task<T?> GetOrFetchAsync<T>(
        string key, JsonTypeInfo<CachedValue<T>> typeInfo, Func<CancellationToken, Task<T?>> fetch, CancellationToken cancellationToken)
        where T : class
    {
        TimeSpan duration = options.Value.QueryCacheDuration;
        if (duration > TimeSpan.Zero && await _cache.ReadAsync(key, typeInfo, cancellationToken) is { } cached)
        {
            QueryLog.CacheHit(logger, key);
            return cached.Found ? cached.Value : null;
        }

        T? value = await fetch(cancellationToken);
        if (duration > TimeSpan.Zero)
        {
            await _cache.WriteAsync(key, new CachedValue<T> { Found = value is not null, Value = value, FetchedAt = time.GetUtcNow() }, typeInfo, duration, cancellationToken);
        }

        return value;
    }
}

/// <summary>Serializer metadata of the query cache entries.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedValue<CustomerView>))]
[JsonSerializable(typeof(CachedValue<List<CustomerView>>))]
[JsonSerializable(typeof(CachedValue<List<ResellerView>>))]
[JsonSerializable(typeof(CachedValue<SubscriptionView>))]
[JsonSerializable(typeof(CachedValue<OrganizationProfileView>))]
internal sealed partial class QueryJsonContext : JsonSerializerContext;
