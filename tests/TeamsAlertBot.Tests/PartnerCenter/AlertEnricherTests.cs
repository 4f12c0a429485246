using System.Net;
using Microsoft.Extensions.Logging;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;
using static TeamsAlertBot.Tests.PartnerCenter.Fakes.PartnerCenterFakeHandler;
using static TeamsAlertBot.Tests.PartnerCenter.PartnerCenterSamples;

namespace TeamsAlertBot.Tests.PartnerCenter;

public sealed class AlertEnricherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PartnerCenterFakeHandler HealthyPartnerCenter() => new PartnerCenterFakeHandler()
        .OnGet(CustomerPath, () => Ok(Customer))
        .OnGet(RelationshipsPath, () => Ok(Relationships))
        .OnGet(SubscriptionsPath, () => Ok(Subscriptions))
        .OnGet(EntitlementsPath, () => Ok(Entitlements));

    [Fact]
    public async Task EnrichAsync_AzureSubscriptionUnderAzurePlan_ReturnsCustomerResellerAndEntitlementNames()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(resellerTenantId: ResellerTenantId), Ct);

        Assert.Equal(CustomerTenantId, enrichment.CustomerTenantId);
        Assert.Equal("Fabrikam Ltd", enrichment.CustomerName);
        Assert.Equal("fabrikam-ltd.onmicrosoft.com", enrichment.CustomerDomain);
        Assert.Equal("reseller", enrichment.RelationshipToPartner);
        Assert.Equal("Northwind Reseller", enrichment.ValueAddedResellerName);
        ResellerInfo reseller = Assert.Single(enrichment.Resellers);
        Assert.Equal(("Northwind Reseller", "IsIndirectResellerOf", "4812345"), (reseller.Name, reseller.RelationshipType, reseller.MpnId));
        Assert.Equal(AzureSubscriptionId, enrichment.SubscriptionId);
        Assert.Equal("fabrikam-prod", enrichment.SubscriptionFriendlyName);
        Assert.Equal("Azure plan", enrichment.OfferName);
        Assert.Equal("DZH318Z0BCZC:0001", enrichment.OfferId);
        Assert.Equal(AzurePlanId, enrichment.PartnerCenterSubscriptionId);
        Assert.Equal(SubscriptionMatch.AzureEntitlement, enrichment.SubscriptionMatch);
        Assert.False(enrichment.IsPartial);
        Assert.Empty(partnerCenter.Unscripted);
    }

    [Fact]
    public async Task EnrichAsync_PartnerCenterSubscriptionId_MatchesTheSubscriptionItself()
    {
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(HealthyPartnerCenter());

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(subscriptionId: LegacyAzureId.ToUpperInvariant()), Ct);

        Assert.Equal(SubscriptionMatch.PartnerCenterSubscription, enrichment.SubscriptionMatch);
        Assert.Equal("Fabrikam legacy Azure", enrichment.SubscriptionFriendlyName);
        Assert.Equal("Microsoft Azure", enrichment.OfferName);
        Assert.Equal(LegacyAzureId, enrichment.PartnerCenterSubscriptionId);
        Assert.False(enrichment.IsPartial);
    }

    [Fact]
    public async Task EnrichAsync_NoVarTenant_NamesResellerFromAssociatedPartnerId()
    {
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(HealthyPartnerCenter());

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(resellerTenantId: null), Ct);

        Assert.Equal("Northwind Reseller", enrichment.ValueAddedResellerName);
    }

    [Fact]
    public async Task EnrichAsync_SecondAlertOfSameCustomer_ServedFromCacheWithoutCalls()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        await host.Enricher.EnrichAsync(Alert(), Ct);
        int callsAfterFirst = partnerCenter.Requests.Count;

        AlertEnrichment second = await host.Enricher.EnrichAsync(Alert(subscriptionId: OtherAzureSubscriptionId), Ct);

        Assert.Equal(4, callsAfterFirst);
        Assert.Equal(callsAfterFirst, partnerCenter.Requests.Count);
        Assert.Equal("Fabrikam Ltd", second.CustomerName);
        Assert.Equal("fabrikam-dev", second.SubscriptionFriendlyName);
    }

    [Fact]
    public async Task EnrichAsync_Found_CachedForCacheDuration()
    {
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(HealthyPartnerCenter(), new Dictionary<string, string?>
        {
            ["PartnerCenter:CacheDuration"] = "04:00:00",
        });

        await host.Enricher.EnrichAsync(Alert(), Ct);

        Assert.Equal(3, host.Cache.Lifetimes.Count);
        Assert.All(host.Cache.Lifetimes.Values, lifetime => Assert.Equal(TimeSpan.FromHours(4), lifetime));
    }

    [Fact]
    public async Task EnrichAsync_CustomerUnknown_CachesNotFoundBrieflyAndAsksOnce()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet(CustomerPath, NotFound)
            .OnGet(RelationshipsPath, NotFound)
            .OnGet(SubscriptionsPath, NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        AlertEnrichment first = await host.Enricher.EnrichAsync(Alert(), Ct);
        AlertEnrichment second = await host.Enricher.EnrichAsync(Alert(), Ct);

        Assert.Equal(3, partnerCenter.Requests.Count);
        Assert.All(host.Cache.Lifetimes.Values, lifetime => Assert.Equal(TimeSpan.FromMinutes(15), lifetime));
        Assert.Null(second.CustomerName);
        Assert.Equal(SubscriptionMatch.NotFound, second.SubscriptionMatch);
        Assert.False(first.IsPartial);
        Assert.False(second.IsPartial);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task EnrichAsync_PartnerCenterFailing_ReturnsIdsOnlyAndLogsWarning(HttpStatusCode status)
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet(CustomerPath, () => Status(status))
            .OnGet(RelationshipsPath, () => Status(status))
            .OnGet(SubscriptionsPath, () => Status(status));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(resellerTenantId: ResellerTenantId), Ct);

        Assert.Equal(
            (CustomerTenantId, ResellerTenantId, AzureSubscriptionId),
            (enrichment.CustomerTenantId, enrichment.ValueAddedResellerTenantId, enrichment.SubscriptionId));
        Assert.Null(enrichment.CustomerName);
        Assert.Null(enrichment.CustomerDomain);
        Assert.Null(enrichment.ValueAddedResellerName);
        Assert.Null(enrichment.SubscriptionFriendlyName);
        Assert.Null(enrichment.OfferName);
        Assert.Empty(enrichment.Resellers);
        Assert.True(enrichment.IsPartial);
        Assert.Equal(SubscriptionMatch.Unknown, enrichment.SubscriptionMatch);
        Assert.Equal(3, host.Logs.GetSnapshot().Count(r => r.Id.Id == 3110 && r.Level == LogLevel.Warning));
        Assert.Empty(host.Cache.Lifetimes);
    }

    [Fact]
    public async Task EnrichAsync_AfterFailure_NextEnrichmentAsksAgain()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet(CustomerPath, () => Status(HttpStatusCode.Forbidden), () => Ok(Customer))
            .OnGet(RelationshipsPath, () => Ok(Relationships))
            .OnGet(SubscriptionsPath, () => Ok(Subscriptions))
            .OnGet(EntitlementsPath, () => Ok(Entitlements));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        AlertEnrichment first = await host.Enricher.EnrichAsync(Alert(), Ct);
        AlertEnrichment second = await host.Enricher.EnrichAsync(Alert(), Ct);

        Assert.True(first.IsPartial);
        Assert.Null(first.CustomerName);
        Assert.Equal("fabrikam-prod", first.SubscriptionFriendlyName);
        Assert.False(second.IsPartial);
        Assert.Equal("Fabrikam Ltd", second.CustomerName);
        Assert.Equal(2, partnerCenter.CountOf(CustomerPath));
    }

    [Fact]
    public async Task EnrichAsync_TokenAcquisitionFails_ReturnsIdsOnlyWithoutThrowing()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        host.Tokens.Failure = new InvalidOperationException("AADSTS700016: Application not found in the directory.");

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(), Ct);

        Assert.True(enrichment.IsPartial);
        Assert.Null(enrichment.CustomerName);
        Assert.Null(enrichment.SubscriptionFriendlyName);
        Assert.Equal(AzureSubscriptionId, enrichment.SubscriptionId);
        Assert.Empty(partnerCenter.Requests);
    }

    [Fact]
    public async Task EnrichAsync_SubscriptionLookupOutlastsBudget_ReturnsWhatIsKnown()
    {
        var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet(CustomerPath, () => Ok(Customer))
            .OnGet(RelationshipsPath, () => Ok(Relationships))
            .OnAsync(HttpMethod.Get, SubscriptionsPath, async ct =>
            {
                hanging.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                throw new InvalidOperationException("unreachable");
            });
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter, new Dictionary<string, string?>
        {
            ["PartnerCenter:EnrichmentTimeout"] = "00:00:05",
        });

        Task customerCached = host.Cache.WrittenAsync(PartnerCenterCacheKeys.Customer(CustomerTenantId));
        Task resellersCached = host.Cache.WrittenAsync(PartnerCenterCacheKeys.Resellers(CustomerTenantId));

        Task<AlertEnrichment> enrichment = host.Enricher.EnrichAsync(Alert(), Ct);
        await Task.WhenAll(hanging.Task, customerCached, resellersCached).WaitAsync(Ct);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        AlertEnrichment result = await enrichment.WaitAsync(Ct);

        Assert.Equal("Fabrikam Ltd", result.CustomerName);
        Assert.Null(result.SubscriptionFriendlyName);
        Assert.Equal(SubscriptionMatch.Unknown, result.SubscriptionMatch);
        Assert.True(result.IsPartial);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3111 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task EnrichAsync_CacheUnavailable_StillEnriches()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        host.Cache.Unavailable = true;

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(), Ct);

        Assert.Equal("Fabrikam Ltd", enrichment.CustomerName);
        Assert.Equal("fabrikam-prod", enrichment.SubscriptionFriendlyName);
        Assert.False(enrichment.IsPartial);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3112);
    }

    [Fact]
    public async Task EnrichAsync_UnknownSubscriptionWithFreshList_DoesNotReadListAgain()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        await host.Enricher.EnrichAsync(Alert(), Ct);
        host.Time.Advance(TimeSpan.FromMinutes(14));

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(subscriptionId: NewAzureSubscriptionId), Ct);

        Assert.Equal(SubscriptionMatch.NotFound, enrichment.SubscriptionMatch);
        Assert.Equal(1, partnerCenter.CountOf(SubscriptionsPath));
    }

    [Fact]
    public async Task EnrichAsync_UnknownSubscriptionAfterNegativeWindow_ReadsListAgainAndFindsIt()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter()
            .OnGet(EntitlementsPath, () => Ok(Entitlements), () => Ok(EntitlementsWithNewSubscription));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        await host.Enricher.EnrichAsync(Alert(), Ct);
        host.Time.Advance(TimeSpan.FromMinutes(15));

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(subscriptionId: NewAzureSubscriptionId), Ct);
        AlertEnrichment again = await host.Enricher.EnrichAsync(Alert(subscriptionId: NewAzureSubscriptionId), Ct);

        Assert.Equal("mining-rig-7", enrichment.SubscriptionFriendlyName);
        Assert.Equal(SubscriptionMatch.AzureEntitlement, enrichment.SubscriptionMatch);
        Assert.Equal("mining-rig-7", again.SubscriptionFriendlyName);
        Assert.Equal(2, partnerCenter.CountOf(SubscriptionsPath));
        Assert.Equal(2, partnerCenter.CountOf(EntitlementsPath));
    }

    [Fact]
    public async Task EnrichAsync_NoCustomerTenantId_ReturnsIdsOnlyWithoutCalls()
    {
        PartnerCenterFakeHandler partnerCenter = HealthyPartnerCenter();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        AlertEnrichment enrichment = await host.Enricher.EnrichAsync(Alert(customerTenantId: " "), Ct);

        Assert.Equal(AzureSubscriptionId, enrichment.SubscriptionId);
        Assert.Null(enrichment.CustomerName);
        Assert.False(enrichment.IsPartial);
        Assert.Empty(partnerCenter.Requests);
    }

    [Fact]
    public async Task EnrichAsync_CallerCancels_Throws()
    {
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(HealthyPartnerCenter());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Enricher.EnrichAsync(Alert(), cancelled.Token));
    }
}
