using System.Net;
using System.Text.Json.Nodes;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;
using static TeamsAlertBot.Tests.PartnerCenter.Fakes.PartnerCenterFakeHandler;

namespace TeamsAlertBot.Tests.Queries;

/// <summary>The Partner Center calls the query commands added to <see cref="PartnerCenterClient"/>.</summary>
public sealed class QueryPartnerCenterClientTests
{
    private const string Customers = """
        {"totalCount":2,"items":[
          {"id":"6a1d2c3b-0000-4000-8000-00000000c001","companyProfile":{"tenantId":"6a1d2c3b-0000-4000-8000-00000000c001","domain":"contoso.onmicrosoft.com","companyName":"Contoso Ltd"},"relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}},
          {"id":"6a1d2c3b-0000-4000-8000-00000000c002","companyProfile":{"tenantId":"6a1d2c3b-0000-4000-8000-00000000c002","domain":"contosojp.onmicrosoft.com","companyName":"Contoso Japan KK"},"relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}}
        ],"attributes":{"objectType":"Collection"}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(CustomerSearchField.CompanyName, "Contoso & \"Sons\"", """{"Field":"CompanyName","Value":"Contoso \u0026 \u0022Sons\u0022","Operator":"starts_with"}""")]
    [InlineData(CustomerSearchField.Domain, "contoso.onmicrosoft.com", """{"Field":"Domain","Value":"contoso.onmicrosoft.com","Operator":"starts_with"}""")]
    public async Task SearchCustomersAsync_Prefix_SendsTheDocumentedUrlEncodedJsonFilter(CustomerSearchField field, string prefix, string expectedFilter)
    {
        string path = $"/v1/customers?size=9&filter={Uri.EscapeDataString(expectedFilter)}";
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(path, () => Ok(Customers));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        IReadOnlyList<PartnerCenterCustomer> found = await host.Client.SearchCustomersAsync(field, prefix, 9, Ct);

        Assert.Empty(partnerCenter.Unscripted);
        Assert.Equal(["Contoso Ltd", "Contoso Japan KK"], found.Select(c => c.CompanyName));
        string sent = Uri.UnescapeDataString(partnerCenter.Requests[0].Uri.Query.Split("filter=")[1]);
        Assert.Equal(prefix, (string?)JsonNode.Parse(sent)!["Value"]);
    }

    [Fact]
    public async Task GetOrganizationProfileAsync_Refused_ExceptionCarriesThe401()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .OnGet("/v1/profiles/organization", () => Json(HttpStatusCode.Unauthorized, """{"code":900,"description":"App+User required"}"""));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterException e = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Client.GetOrganizationProfileAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("900", e.ErrorCode);
        // Partner Center serves the profile to App+User only: the request carried the admin's token.
        Assert.Equal($"Bearer {PartnerCenterFakeAuthorizationHeaderProvider.UserToken}", Assert.Single(partnerCenter.Requests).Authorization);
    }

    [Fact]
    public async Task GetOrganizationProfileAsync_Allowed_ParsesTheProfileAndAddress()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet("/v1/profiles/organization", () => Ok("""
            {"id":"3b1d","companyName":"Fabrikam CSP","tenantId":"7d6c","domain":"fabrikam.onmicrosoft.com","email":"a@fabrikam.example",
             "language":"en","culture":"en-US","defaultAddress":{"country":"US","city":"Redmond","state":"WA","addressLine1":"1 Main St","postalCode":"98052"},
             "attributes":{"objectType":"OrganizationProfile"}}
            """));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        OrganizationProfile? profile = await host.Client.GetOrganizationProfileAsync(Ct);

        Assert.Equal("Fabrikam CSP", profile?.CompanyName);
        Assert.Equal("1 Main St, Redmond, WA, 98052, US", profile?.DefaultAddress?.OneLine());
    }

    [Fact]
    public async Task GetCustomerAsync_ThrottledBeyondTheRetries_ExceptionCarriesTheLastRetryAfter()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet(
            "/v1/customers/c1",
            () => Json(HttpStatusCode.TooManyRequests, """{"code":429}""", ("Retry-After", "3")),
            () => Json(HttpStatusCode.TooManyRequests, """{"code":429}""", ("Retry-After", "42")));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(
            partnerCenter, new Dictionary<string, string?> { ["PartnerCenter:MaxRetryAttempts"] = "1" });
        Task waiting = host.Time.TimerCreatedAsync(TimeSpan.FromSeconds(3));

        Task<PartnerCenterCustomer?> call = host.Client.GetCustomerAsync("c1", Ct);
        await waiting.WaitAsync(Ct);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        PartnerCenterException e = await Assert.ThrowsAsync<PartnerCenterException>(() => call);

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), e.RetryAfter);
        Assert.Equal(2, partnerCenter.Requests.Count);
    }
}
