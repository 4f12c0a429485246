using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>Adds Partner Center names to an alert; never fails because Partner Center did.</summary>
public interface IAlertEnricher
{
    /// <summary>
    /// The alert's enrichment. Partner Center failures (timeouts, 5xx, 403, throttling after
    /// retries, a missing token) do not throw: the answer then holds the ids and whatever was found,
    /// with <see cref="AlertEnrichment.IsPartial"/> set. Only the caller's own cancellation throws.
    /// </summary>
    Task<AlertEnrichment> EnrichAsync(PartnerSecurityAlert alert, CancellationToken cancellationToken);
}

/// <summary>
/// Looks up an alert's customer, indirect resellers and subscription in Partner Center, through a
/// distributed cache: found answers for <see cref="PartnerCenterOptions.CacheDuration"/>, "not found"
/// for <see cref="PartnerCenterOptions.NegativeCacheDuration"/>, failures not at all. The three
/// lookups run side by side within <see cref="PartnerCenterOptions.EnrichmentTimeout"/>.
/// </summary>
/// <remarks>
/// The alert's <c>subscriptionId</c> is read two ways (which one Graph means is not documented):
/// first as an Azure subscription id under the customer's Azure plan (an <c>azureEntitlements</c>
/// item), then as a Partner Center subscription id (legacy Azure offers share the two). One list
/// of the customer's subscriptions plus one entitlements call per Azure plan answers both; that
/// "directory" is cached per customer, and read again when an unknown id shows up and the cached
/// copy is older than the negative cache time (new subscriptions are common in fraud cases).
/// </remarks>
public sealed class AlertEnricher(
    IPartnerCenterClient client,
    IDistributedCache cache,
    IOptions<PartnerCenterOptions> options,
    TimeProvider time,
    ILogger<AlertEnricher> logger) : IAlertEnricher
{
    private readonly PartnerCenterCache _cache = new(cache, logger);

    /// <inheritdoc />
    public async Task<AlertEnrichment> EnrichAsync(PartnerSecurityAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        string? tenantId = PartnerCenterCacheKeys.NormalizeId(alert.CustomerTenantId);
        if (tenantId is null)
        {
            return AlertEnrichment.IdsOnly(alert, isPartial: false);
        }

        PartnerCenterOptions settings = options.Value;
        using var budget = new CancellationTokenSource(settings.EnrichmentTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var context = new LookupContext(alert.Id, cancellationToken, linked.Token);

        Task<Lookup<CustomerSummary>> customerTask = LookupCustomerAsync(tenantId, context);
        Task<Lookup<List<ResellerInfo>>> resellersTask = LookupResellersAsync(tenantId, context);
        Task<Lookup<SubscriptionResolution>> subscriptionTask = LookupSubscriptionAsync(tenantId, alert.SubscriptionId, context);
        await Task.WhenAll(customerTask, resellersTask, subscriptionTask);
        cancellationToken.ThrowIfCancellationRequested();
        if (budget.IsCancellationRequested)
        {
            PartnerCenterLog.EnrichmentTimedOut(logger, alert.Id, settings.EnrichmentTimeout.TotalSeconds);
        }

        Lookup<CustomerSummary> customer = await customerTask;
        Lookup<List<ResellerInfo>> resellers = await resellersTask;
        Lookup<SubscriptionResolution> subscription = await subscriptionTask;
        IReadOnlyList<ResellerInfo> resellerList = resellers.Value ?? [];
        return AlertEnrichment.IdsOnly(alert, isPartial: customer.Failed || resellers.Failed || subscription.Failed) with
        {
            CustomerName = customer.Value?.CompanyName,
            CustomerDomain = customer.Value?.Domain,
            RelationshipToPartner = customer.Value?.RelationshipToPartner,
            Resellers = resellerList,
            ValueAddedResellerName = FindReseller(resellerList, alert.ValueAddedResellerTenantId ?? customer.Value?.AssociatedPartnerId)?.Name,
            SubscriptionFriendlyName = subscription.Value?.FriendlyName,
            OfferName = subscription.Value?.OfferName,
            OfferId = subscription.Value?.OfferId,
            PartnerCenterSubscriptionId = subscription.Value?.PartnerCenterSubscriptionId,
            SubscriptionMatch = subscription.Failed ? SubscriptionMatch.Unknown : subscription.Value?.Match ?? SubscriptionMatch.NotFound,
        };
    }

    private async Task<Lookup<CustomerSummary>> LookupCustomerAsync(string tenantId, LookupContext context)
    {
        (Lookup<CustomerSummary> lookup, _) = await GetOrFetchAsync(
            PartnerCenterCacheKeys.Customer(tenantId),
            PartnerCenterJsonContext.Default.CachedValueCustomerSummary,
            async ct => await client.GetCustomerAsync(tenantId, ct) is { } customer
                ? new CustomerSummary
                {
                    CompanyName = customer.CompanyName,
                    Domain = customer.Domain,
                    RelationshipToPartner = customer.RelationshipToPartner,
                    AssociatedPartnerId = customer.AssociatedPartnerId,
                }
                : null,
            "customer",
            context,
            bypassCache: false);
        return lookup;
    }

    private async Task<Lookup<List<ResellerInfo>>> LookupResellersAsync(string tenantId, LookupContext context)
    {
        (Lookup<List<ResellerInfo>> lookup, _) = await GetOrFetchAsync(
            PartnerCenterCacheKeys.Resellers(tenantId),
            PartnerCenterJsonContext.Default.CachedValueListResellerInfo,
            async ct => await client.GetCustomerRelationshipsAsync(tenantId, ct) is { } relationships
                ? relationships
                    .Select(r => new ResellerInfo { TenantId = r.Id, Name = r.Name, RelationshipType = r.RelationshipType, MpnId = r.MpnId })
                    .ToList()
                : null,
            "resellers",
            context,
            bypassCache: false);
        return lookup;
    }

    private async Task<Lookup<SubscriptionResolution>> LookupSubscriptionAsync(string tenantId, string? alertSubscriptionId, LookupContext context)
    {
        string? subscriptionId = PartnerCenterCacheKeys.NormalizeId(alertSubscriptionId);
        if (subscriptionId is null)
        {
            return Lookup<SubscriptionResolution>.NotFound;
        }

        string key = PartnerCenterCacheKeys.Subscriptions(tenantId);
        (Lookup<SubscriptionDirectory> directory, DateTimeOffset fetchedAt) = await GetOrFetchAsync(
            key, PartnerCenterJsonContext.Default.CachedValueSubscriptionDirectory, ct => FetchDirectoryAsync(tenantId, ct), "subscriptions", context, bypassCache: false);
        if (directory.Value is null)
        {
            return directory.Failed ? Lookup<SubscriptionResolution>.FailedLookup : Lookup<SubscriptionResolution>.NotFound;
        }

        SubscriptionResolution? match = directory.Value.Match(subscriptionId);
        if (match is null && time.GetUtcNow() - fetchedAt >= options.Value.NegativeCacheDuration)
        {
            PartnerCenterLog.DirectoryRefresh(logger, subscriptionId, tenantId);
            (directory, _) = await GetOrFetchAsync(
                key, PartnerCenterJsonContext.Default.CachedValueSubscriptionDirectory, ct => FetchDirectoryAsync(tenantId, ct), "subscriptions", context, bypassCache: true);
            if (directory.Failed)
            {
                return Lookup<SubscriptionResolution>.FailedLookup;
            }

            match = directory.Value?.Match(subscriptionId);
        }

        return match is null ? Lookup<SubscriptionResolution>.NotFound : Lookup<SubscriptionResolution>.Found(match);
    }

    private async Task<SubscriptionDirectory?> FetchDirectoryAsync(string tenantId, CancellationToken cancellationToken)
    {
        IReadOnlyList<PartnerCenterSubscription>? subscriptions = await client.ListSubscriptionsAsync(tenantId, cancellationToken);
        if (subscriptions is null)
        {
            return null;
        }

        PartnerCenterOptions settings = options.Value;
        List<PartnerCenterSubscription> plans = subscriptions.Where(s => !string.IsNullOrWhiteSpace(s.Id) && settings.IsAzurePlan(s)).ToList();
        if (plans.Count > settings.MaxAzurePlansPerCustomer)
        {
            PartnerCenterLog.TooManyAzurePlans(logger, tenantId, plans.Count, settings.MaxAzurePlansPerCustomer);
        }

        List<DirectoryAzureSubscription> azureSubscriptions = [];
        foreach (PartnerCenterSubscription plan in plans.Take(settings.MaxAzurePlansPerCustomer))
        {
            // One after the other: Partner Center throttles per customer, and there is rarely more than one plan.
            IReadOnlyList<AzureEntitlement>? entitlements = await client.GetAzureEntitlementsAsync(tenantId, plan.Id!, cancellationToken);
            azureSubscriptions.AddRange((entitlements ?? []).Where(e => !string.IsNullOrWhiteSpace(e.Id)).Select(e => new DirectoryAzureSubscription
            {
                Id = e.Id!,
                FriendlyName = e.FriendlyName,
                Status = e.Status,
                PlanSubscriptionId = plan.Id!,
            }));
        }

        return new SubscriptionDirectory
        {
            Subscriptions = subscriptions.Where(s => !string.IsNullOrWhiteSpace(s.Id)).Select(s => new DirectorySubscription
            {
                Id = s.Id!,
                FriendlyName = s.FriendlyName,
                OfferId = s.OfferId,
                OfferName = s.OfferName,
                Status = s.Status,
            }).ToList(),
            AzureSubscriptions = azureSubscriptions,
        };
    }

    private static ResellerInfo? FindReseller(IReadOnlyList<ResellerInfo> resellers, string? tenantId)
    {
        string? wanted = PartnerCenterCacheKeys.NormalizeId(tenantId);
        return wanted is null ? null : resellers.FirstOrDefault(r => PartnerCenterCacheKeys.SameId(r.TenantId, wanted));
    }

    /// <summary>
    /// The cached answer, or a fresh one (then cached: found for the long time, not found for the
    /// short one). A failed fetch is logged and not cached, so the next alert tries again.
    /// </summary>
    private async Task<(Lookup<T> Lookup, DateTimeOffset FetchedAt)> GetOrFetchAsync<T>(
        string key,
        JsonTypeInfo<CachedValue<T>> typeInfo,
        Func<CancellationToken, Task<T?>> fetch,
        string lookupName,
        LookupContext context,
        bool bypassCache)
        where T : class
    {
        if (!bypassCache && await _cache.ReadAsync(key, typeInfo, context.Token) is { } cached)
        {
            PartnerCenterLog.CacheOutcome(logger, "hit", key);
            return (cached.Found && cached.Value is not null ? Lookup<T>.Found(cached.Value) : Lookup<T>.NotFound, cached.FetchedAt);
        }

        T? value;
        try
        {
            value = await fetch(context.Token);
        }
        catch (Exception e) when (!context.CallerToken.IsCancellationRequested)
        {
            // Enrichment is decoration: a failure here must never cost the alert its card.
            string reason = e switch
            {
                PartnerCenterException { StatusCode: { } status } => $"HTTP {(int)status}",
                OperationCanceledException => "enrichment budget exhausted",
                _ => e.Message,
            };
            PartnerCenterLog.EnrichmentLookupFailed(logger, context.AlertId, lookupName, reason);
            return (Lookup<T>.FailedLookup, default);
        }

        DateTimeOffset now = time.GetUtcNow();
        PartnerCenterOptions settings = options.Value;
        await _cache.WriteAsync(
            key,
            new CachedValue<T> { Found = value is not null, Value = value, FetchedAt = now },
            typeInfo,
            value is null ? settings.NegativeCacheDuration : settings.CacheDuration,
            context.Token);
        return (value is null ? Lookup<T>.NotFound : Lookup<T>.Found(value), now);
    }

    private sealed record LookupContext(string AlertId, CancellationToken CallerToken, CancellationToken Token);

    private readonly record struct Lookup<T>(T? Value, bool Failed)
        where T : class
    {
        public static Lookup<T> NotFound => default;

        public static Lookup<T> FailedLookup => new(null, true);

        public static Lookup<T> Found(T value) => new(value, false);
    }
}

/// <summary>A cache entry: an answer, or the fact that Partner Center had none.</summary>
internal sealed record CachedValue<T>
{
    public bool Found { get; init; }

    public T? Value { get; init; }

    public DateTimeOffset FetchedAt { get; init; }
}

/// <summary>The customer fields the card needs; addresses and e-mails are deliberately not cached.</summary>
internal sealed record CustomerSummary
{
    public string? CompanyName { get; init; }

    public string? Domain { get; init; }

    public string? RelationshipToPartner { get; init; }

    public string? AssociatedPartnerId { get; init; }
}

/// <summary>A customer's subscriptions and the Azure subscriptions under their Azure plan(s).</summary>
internal sealed record SubscriptionDirectory
{
    public List<DirectorySubscription> Subscriptions { get; init; } = [];

    public List<DirectoryAzureSubscription> AzureSubscriptions { get; init; } = [];

    /// <summary>The Azure-subscription reading first, then the Partner Center one.</summary>
    public SubscriptionResolution? Match(string subscriptionId)
    {
        if (AzureSubscriptions.Find(a => PartnerCenterCacheKeys.SameId(a.Id, subscriptionId)) is { } azure)
        {
            DirectorySubscription? plan = Subscriptions.Find(s => PartnerCenterCacheKeys.SameId(s.Id, azure.PlanSubscriptionId));
            return new SubscriptionResolution
            {
                Match = SubscriptionMatch.AzureEntitlement,
                FriendlyName = azure.FriendlyName ?? plan?.FriendlyName,
                OfferName = plan?.OfferName,
                OfferId = plan?.OfferId,
                PartnerCenterSubscriptionId = azure.PlanSubscriptionId,
            };
        }

        if (Subscriptions.Find(s => PartnerCenterCacheKeys.SameId(s.Id, subscriptionId)) is { } direct)
        {
            return new SubscriptionResolution
            {
                Match = SubscriptionMatch.PartnerCenterSubscription,
                FriendlyName = direct.FriendlyName,
                OfferName = direct.OfferName,
                OfferId = direct.OfferId,
                PartnerCenterSubscriptionId = direct.Id,
            };
        }

        return null;
    }
}

/// <summary>One Partner Center subscription of the directory.</summary>
internal sealed record DirectorySubscription
{
    public required string Id { get; init; }

    public string? FriendlyName { get; init; }

    public string? OfferId { get; init; }

    public string? OfferName { get; init; }

    public string? Status { get; init; }
}

/// <summary>One Azure subscription (entitlement) of the directory.</summary>
internal sealed record DirectoryAzureSubscription
{
    public required string Id { get; init; }

    public string? FriendlyName { get; init; }

    public string? Status { get; init; }

    public required string PlanSubscriptionId { get; init; }
}

/// <summary>Where an alert's subscription id was found.</summary>
internal sealed record SubscriptionResolution
{
    public SubscriptionMatch Match { get; init; }

    public string? FriendlyName { get; init; }

    public string? OfferName { get; init; }

    public string? OfferId { get; init; }

    public string? PartnerCenterSubscriptionId { get; init; }
}
