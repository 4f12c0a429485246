using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;
using static TeamsAlertBot.Tests.PartnerCenter.Fakes.PartnerCenterFakeHandler;
using static TeamsAlertBot.Tests.PartnerCenter.PartnerCenterSamples;

namespace TeamsAlertBot.Tests.PartnerCenter;

public sealed class PartnerCenterClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCustomerAsync_Found_SendsPartnerCenterHeadersAndAppToken()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        await host.Client.GetCustomerAsync(CustomerTenantId, Ct);

        PartnerCenterFakeRequest request = Assert.Single(partnerCenter.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal($"https://api.partnercenter.microsoft.com{CustomerPath}", request.Uri.AbsoluteUri);
        Assert.Equal($"Bearer {PartnerCenterFakeAuthorizationHeaderProvider.Token}", request.Authorization);
        Assert.Equal("application/json", request.Accept);
        Assert.True(Guid.TryParse(request.RequestId, out _), $"MS-RequestId '{request.RequestId}' is not a GUID");
        Assert.True(Guid.TryParse(request.CorrelationId, out _), $"MS-CorrelationId '{request.CorrelationId}' is not a GUID");
        Assert.NotEqual(request.RequestId, request.CorrelationId);
        Assert.Equal("v1", request.ContractVersion);
        Assert.Equal("TeamsAlertBot", request.Application);
        Assert.Equal([("https://api.partnercenter.microsoft.com/.default", "AzureAd")], host.Tokens.AppRequests);
    }

    [Fact]
    public async Task GetCustomerAsync_Found_ParsesProfileAndKeepsUnknownFields()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterCustomer? customer = await host.Client.GetCustomerAsync(CustomerTenantId, Ct);

        Assert.NotNull(customer);
        Assert.Equal("Fabrikam Ltd", customer.CompanyName);
        Assert.Equal("fabrikam-ltd.onmicrosoft.com", customer.Domain);
        Assert.Equal(CustomerTenantId, customer.TenantId);
        Assert.Equal("reseller", customer.RelationshipToPartner);
        Assert.Equal(ResellerTenantId, customer.AssociatedPartnerId);
        Assert.True(customer.AllowDelegatedAccess);
        Assert.NotNull(customer.AdditionalProperties);
        Assert.Contains("billingProfile", customer.AdditionalProperties.Keys);
        Assert.Contains("customDomains", customer.AdditionalProperties.Keys);
    }

    [Fact]
    public async Task GetCustomerAsync_ServerErrorThenSuccess_RetryKeepsRequestIdAndNextCallGetsNewOne()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet(CustomerPath, () => Status(HttpStatusCode.ServiceUnavailable), () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterCustomer? first = await host.Client.GetCustomerAsync(CustomerTenantId, Ct);
        PartnerCenterCustomer? second = await host.Client.GetCustomerAsync(CustomerTenantId, Ct);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(3, partnerCenter.Requests.Count);
        PartnerCenterFakeRequest attempt1 = partnerCenter.Requests[0];
        PartnerCenterFakeRequest retry = partnerCenter.Requests[1];
        PartnerCenterFakeRequest nextCall = partnerCenter.Requests[2];
        Assert.Equal(attempt1.RequestId, retry.RequestId);
        Assert.Equal(attempt1.CorrelationId, retry.CorrelationId);
        Assert.NotEqual(attempt1.RequestId, nextCall.RequestId);
        Assert.NotEqual(attempt1.CorrelationId, nextCall.CorrelationId);
        Assert.All(partnerCenter.Requests, r => Assert.Equal($"Bearer {PartnerCenterFakeAuthorizationHeaderProvider.Token}", r.Authorization));
    }

    [Fact]
    public async Task GetCustomerAsync_Throttled_WaitsForRetryAfterBeforeRetrying()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(
            CustomerPath,
            () => Json(HttpStatusCode.TooManyRequests, """{"code":429,"description":"Too many requests"}""", ("Retry-After", "7")),
            () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        Task waitingForRetryAfter = host.Time.TimerCreatedAsync(TimeSpan.FromSeconds(7));

        Task<PartnerCenterCustomer?> call = host.Client.GetCustomerAsync(CustomerTenantId, Ct);
        await waitingForRetryAfter.WaitAsync(Ct);

        Assert.False(call.IsCompleted);
        Assert.Single(partnerCenter.Requests);
        host.Time.Advance(TimeSpan.FromSeconds(7));
        PartnerCenterCustomer? customer = await call.WaitAsync(Ct);
        Assert.Equal("Fabrikam Ltd", customer?.CompanyName);
        Assert.Equal(2, partnerCenter.Requests.Count);
        Assert.Equal(partnerCenter.Requests[0].RequestId, partnerCenter.Requests[1].RequestId);
    }

    [Fact]
    public async Task GetCustomerAsync_NotFound_ReturnsNullWithoutRetrying()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterCustomer? customer = await host.Client.GetCustomerAsync(CustomerTenantId, Ct);

        Assert.Null(customer);
        Assert.Single(partnerCenter.Requests);
    }

    [Fact]
    public async Task GetSubscriptionAsync_NotFound_ReturnsNull()
    {
        string path = $"{SubscriptionsPath}/{AzureSubscriptionId}";
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(path, NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterSubscription? subscription = await host.Client.GetSubscriptionAsync(CustomerTenantId, AzureSubscriptionId, Ct);

        Assert.Null(subscription);
        Assert.Equal(path, Assert.Single(partnerCenter.Requests).PathAndQuery);
    }

    [Fact]
    public async Task GetSubscriptionAsync_Found_ParsesOfferStatusAndDates()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet($"{SubscriptionsPath}/{AzurePlanId}", () => Ok(AzurePlan));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterSubscription? subscription = await host.Client.GetSubscriptionAsync(CustomerTenantId, AzurePlanId, Ct);

        Assert.NotNull(subscription);
        Assert.Equal("Azure plan", subscription.FriendlyName);
        Assert.Equal("Azure plan", subscription.OfferName);
        Assert.Equal("DZH318Z0BCZC:0001", subscription.OfferId);
        Assert.Equal("active", subscription.Status);
        Assert.Equal("4812345", subscription.PartnerId);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), subscription.CreationDate);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), subscription.EffectiveStartDate);
        Assert.Equal(9999, subscription.CommitmentEndDate?.Year);
        Assert.Contains("hasPurchasableAddons", subscription.AdditionalProperties!.Keys);
    }

    [Fact]
    public async Task GetSubscriptionAsync_UnparsableDate_ReadsAsNull()
    {
        const string Odd = """{"id":"x","friendlyName":"odd","creationDate":"not a date","commitmentEndDate":null}""";
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet($"{SubscriptionsPath}/x", () => Ok(Odd));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterSubscription? subscription = await host.Client.GetSubscriptionAsync(CustomerTenantId, "x", Ct);

        Assert.Equal("odd", subscription?.FriendlyName);
        Assert.Null(subscription?.CreationDate);
        Assert.Null(subscription?.CommitmentEndDate);
    }

    [Fact]
    public async Task ListSubscriptionsAsync_Collection_ReturnsEveryItem()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(SubscriptionsPath, () => Ok(Subscriptions));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        IReadOnlyList<PartnerCenterSubscription>? subscriptions = await host.Client.ListSubscriptionsAsync(CustomerTenantId, Ct);

        Assert.NotNull(subscriptions);
        Assert.Equal([AzurePlanId, Microsoft365Id, LegacyAzureId], subscriptions.Select(s => s.Id));
        Assert.Equal(25, subscriptions[1].Quantity);
    }

    [Fact]
    public async Task ListSubscriptionsAsync_UnknownCustomer_ReturnsNull()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(SubscriptionsPath, NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        Assert.Null(await host.Client.ListSubscriptionsAsync(CustomerTenantId, Ct));
    }

    [Fact]
    public async Task ListSubscriptionsAsync_FewerItemsThanTotal_LogsTruncation()
    {
        const string Partial = $$"""{ "totalCount": 5, "items": [ {{AzurePlan}} ] }""";
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(SubscriptionsPath, () => Ok(Partial));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        IReadOnlyList<PartnerCenterSubscription>? subscriptions = await host.Client.ListSubscriptionsAsync(CustomerTenantId, Ct);

        Assert.Single(subscriptions!);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3116 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task GetAzureEntitlementsAsync_Collection_ReturnsAzureSubscriptions()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(EntitlementsPath, () => Ok(Entitlements));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        IReadOnlyList<AzureEntitlement>? entitlements = await host.Client.GetAzureEntitlementsAsync(CustomerTenantId, AzurePlanId, Ct);

        Assert.NotNull(entitlements);
        Assert.Equal([AzureSubscriptionId, OtherAzureSubscriptionId], entitlements.Select(e => e.Id));
        Assert.Equal("fabrikam-prod", entitlements[0].FriendlyName);
        Assert.Equal(AzurePlanId, entitlements[0].SubscriptionId);
    }

    [Fact]
    public async Task GetCustomerRelationshipsAsync_Collection_ReturnsIndirectReseller()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(RelationshipsPath, () => Ok(Relationships));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        IReadOnlyList<PartnerRelationship>? relationships = await host.Client.GetCustomerRelationshipsAsync(CustomerTenantId, Ct);

        PartnerRelationship reseller = Assert.Single(relationships!);
        Assert.Equal(ResellerTenantId, reseller.Id);
        Assert.Equal("Northwind Reseller", reseller.Name);
        Assert.Equal("IsIndirectResellerOf", reseller.RelationshipType);
        Assert.Equal("4812345", reseller.MpnId);
        Assert.Contains("location", reseller.AdditionalProperties!.Keys);
    }

    [Fact]
    public async Task GetCustomerAsync_Forbidden_ThrowsAtOnceAndLogsEchoedIds()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Json(
            HttpStatusCode.Forbidden,
            """{"code":900146,"description":"Forbidden","data":[],"source":"PartnerFD"}""",
            ("MS-RequestId", "11111111-1111-4111-8111-111111111111"),
            ("MS-CorrelationId", "22222222-2222-4222-8222-222222222222")));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterException error = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Client.GetCustomerAsync(CustomerTenantId, Ct));

        Assert.Single(partnerCenter.Requests);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("900146", error.ErrorCode);
        Assert.Equal("11111111-1111-4111-8111-111111111111", error.RequestId);
        Assert.Equal("22222222-2222-4222-8222-222222222222", error.CorrelationId);
        FakeLogRecord log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 3100);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("11111111-1111-4111-8111-111111111111", log.Message, StringComparison.Ordinal);
        Assert.Contains("22222222-2222-4222-8222-222222222222", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCustomerAsync_ServerErrorsOutlastRetries_ThrowsWithSentIds()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Status(HttpStatusCode.BadGateway));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter, new Dictionary<string, string?>
        {
            ["PartnerCenter:MaxRetryAttempts"] = "2",
        });

        PartnerCenterException error = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Client.GetCustomerAsync(CustomerTenantId, Ct));

        Assert.Equal(3, partnerCenter.Requests.Count);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(partnerCenter.Requests[0].RequestId, error.RequestId);
        Assert.Equal(partnerCenter.Requests[0].CorrelationId, error.CorrelationId);
    }

    [Fact]
    public async Task GetCustomerAsync_MalformedJson_ThrowsPartnerCenterException()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Ok("<html>maintenance</html>"));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterException error = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Client.GetCustomerAsync(CustomerTenantId, Ct));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3102);
    }

    [Fact]
    public async Task GetCustomerAsync_TokenAcquisitionFails_ThrowsPartnerCenterExceptionAndSendsNothing()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(CustomerPath, () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);
        host.Tokens.Failure = new InvalidOperationException("AADSTS7000215: Invalid client secret provided.");

        PartnerCenterException error = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Client.GetCustomerAsync(CustomerTenantId, Ct));

        Assert.Empty(partnerCenter.Requests);
        Assert.Null(error.StatusCode);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task GetCustomerAsync_IdWithReservedCharacters_EscapedAsOnePathSegment()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet("/v1/customers/a%2F..%2Fb%3Fc", NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        Assert.Null(await host.Client.GetCustomerAsync("a/../b?c", Ct));

        Assert.Empty(partnerCenter.Unscripted);
    }

    [Fact]
    public async Task GetCustomerAsync_ConfiguredBaseUrlAndScope_UsedForRequestAndToken()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet($"/gateway{CustomerPath}", () => Ok(Customer));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter, new Dictionary<string, string?>
        {
            ["PartnerCenter:BaseUrl"] = "https://partner.contoso.test:8443/gateway",
            ["PartnerCenter:Scope"] = "https://partner.contoso.test/.default",
            ["PartnerCenter:AuthenticationOptionsName"] = "PartnerCenterApp",
        });

        await host.Client.GetCustomerAsync(CustomerTenantId, Ct);

        PartnerCenterFakeRequest request = Assert.Single(partnerCenter.Requests);
        Assert.Equal($"https://partner.contoso.test:8443/gateway{CustomerPath}", request.Uri.AbsoluteUri);
        Assert.NotNull(request.Authorization);
        Assert.Equal([("https://partner.contoso.test/.default", "PartnerCenterApp")], host.Tokens.AppRequests);
    }
}
