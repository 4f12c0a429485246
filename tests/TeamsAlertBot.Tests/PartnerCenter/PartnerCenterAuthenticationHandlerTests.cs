using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.PartnerCenter;

public sealed class PartnerCenterAuthenticationHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://api.partnercenter.microsoft.com/v1/customers/x")]
    [InlineData("https://API.PartnerCenter.Microsoft.com:443/v1/customers/x")]
    public async Task SendAsync_BaseOrigin_AttachesToken(string url)
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, _) = Create();
        using HttpMessageInvoker disposable = invoker;

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), Ct);

        Assert.Equal($"Bearer {PartnerCenterFakeAuthorizationHeaderProvider.Token}", Assert.Single(partnerCenter.Requests).Authorization);
    }

    [Theory]
    [InlineData("https://evil.example/v1/customers/x")]
    [InlineData("https://api.partnercenter.microsoft.com.evil.example/v1/customers/x")]
    [InlineData("http://api.partnercenter.microsoft.com/v1/customers/x")]
    [InlineData("https://api.partnercenter.microsoft.com:8443/v1/customers/x")]
    [InlineData("https://user@api.partnercenter.microsoft.com/v1/customers/x")]
    public async Task SendAsync_OtherOrigin_SendsWithoutTokenAndAsksForNone(string url)
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, PartnerCenterFakeAuthorizationHeaderProvider tokens) = Create();
        using HttpMessageInvoker disposable = invoker;
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "left-over");

        using HttpResponseMessage response = await invoker.SendAsync(request, Ct);

        Assert.Null(Assert.Single(partnerCenter.Requests).Authorization);
        Assert.Empty(tokens.AppRequests);
    }

    [Fact]
    public async Task SendAsync_NoTokenAcquisitionRegistered_ThrowsNotConfiguredBeforeSending()
    {
        var partnerCenter = new PartnerCenterFakeHandler();
        var handler = new PartnerCenterAuthenticationHandler(Options.Create(new PartnerCenterOptions()), new ServiceCollection().BuildServiceProvider())
        {
            InnerHandler = partnerCenter,
        };
        using var invoker = new HttpMessageInvoker(handler);

        Operations.NotConfiguredException missing = await Assert.ThrowsAsync<Operations.NotConfiguredException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.partnercenter.microsoft.com/v1/customers/x"), Ct));
        Assert.Contains("AzureAd:ClientId", missing.Settings);

        Assert.Empty(partnerCenter.Requests);
    }

    private static (HttpMessageInvoker Invoker, PartnerCenterFakeHandler PartnerCenter, PartnerCenterFakeAuthorizationHeaderProvider Tokens) Create()
    {
        var tokens = new PartnerCenterFakeAuthorizationHeaderProvider();
        var partnerCenter = new PartnerCenterFakeHandler()
            .On(HttpMethod.Get, "/v1/customers/x", () => new HttpResponseMessage(HttpStatusCode.NoContent));
        ServiceProvider services = new ServiceCollection().AddSingleton<IAuthorizationHeaderProvider>(tokens).BuildServiceProvider();
        var handler = new PartnerCenterAuthenticationHandler(Options.Create(new PartnerCenterOptions()), services) { InnerHandler = partnerCenter };
        return (new HttpMessageInvoker(handler), partnerCenter, tokens);
    }
}
