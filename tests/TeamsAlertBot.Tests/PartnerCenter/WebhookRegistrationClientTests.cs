using System.Net;
using System.Text.Json;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;
using static TeamsAlertBot.Tests.PartnerCenter.Fakes.PartnerCenterFakeHandler;

namespace TeamsAlertBot.Tests.PartnerCenter;

public sealed class WebhookRegistrationClientTests
{
    private const string Registration = """
        { "SubscriberId": "e82cac64-dc67-4cd3-849b-78b6127dd57d", "WebhookUrl": "https://bot.contoso.example/api/partnercenter/webhook", "WebhookEvents": [ "azure-fraud-event-detected", "test-created" ] }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebhookRegistrationRequest Request => new()
    {
        WebhookUrl = new Uri("https://bot.contoso.example/api/partnercenter/webhook"),
        WebhookEvents = ["azure-fraud-event-detected", "test-created"],
    };

    [Fact]
    public async Task RegisterAsync_Request_PostsDocumentedPascalCaseBody()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().On(HttpMethod.Post, "/webhooks/v1/registration", () => Ok(Registration));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        WebhookRegistration registration = await host.Registration.RegisterAsync(Request, Ct);

        Assert.Equal("e82cac64-dc67-4cd3-849b-78b6127dd57d", registration.SubscriberId);
        Assert.Equal(["azure-fraud-event-detected", "test-created"], registration.WebhookEvents);
        PartnerCenterFakeRequest request = Assert.Single(partnerCenter.Requests);
        using JsonDocument body = JsonDocument.Parse(request.Body!);
        Assert.Equal("https://bot.contoso.example/api/partnercenter/webhook", body.RootElement.GetProperty("WebhookUrl").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("WebhookEvents").GetArrayLength());
        Assert.False(body.RootElement.GetProperty("SignatureTokenToMsSignatureHeader").GetBoolean());
        Assert.NotNull(request.Authorization);
        Assert.True(Guid.TryParse(request.RequestId, out _));
    }

    [Fact]
    public async Task RegisterAsync_ServerError_FailsWithoutRepeatingThePost()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .On(HttpMethod.Post, "/webhooks/v1/registration", () => Status(HttpStatusCode.ServiceUnavailable));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        PartnerCenterException error = await Assert.ThrowsAsync<PartnerCenterException>(() => host.Registration.RegisterAsync(Request, Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Single(partnerCenter.Requests);
    }

    [Fact]
    public async Task UpdateRegistrationAsync_Request_Puts()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().On(HttpMethod.Put, "/webhooks/v1/registration", () => Ok(Registration));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        WebhookRegistration registration = await host.Registration.UpdateRegistrationAsync(Request with { SignatureTokenToMsSignatureHeader = true }, Ct);

        Assert.Equal("https://bot.contoso.example/api/partnercenter/webhook", registration.WebhookUrl);
        Assert.Contains("\"SignatureTokenToMsSignatureHeader\":true", Assert.Single(partnerCenter.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_HttpWebhookUrl_ThrowsBeforeSending()
    {
        var partnerCenter = new PartnerCenterFakeHandler();
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Registration.RegisterAsync(Request with { WebhookUrl = new Uri("http://bot.contoso.example/hook") }, Ct));

        Assert.Empty(partnerCenter.Requests);
    }

    [Fact]
    public async Task GetRegistrationAsync_NoRegistration_ReturnsNull()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler().OnGet("/webhooks/v1/registration", NotFound);
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        Assert.Null(await host.Registration.GetRegistrationAsync(Ct));
    }

    [Fact]
    public async Task SendValidationEventAsync_Accepted_ReturnsCorrelationIdAndStatusReadsResults()
    {
        PartnerCenterFakeHandler partnerCenter = new PartnerCenterFakeHandler()
            .On(HttpMethod.Post, "/webhooks/v1/registration/validationEvents", () => Ok("""{ "correlationId": "04af2aea-d413-42db-824e-f328001484d1" }"""))
            .OnGet("/webhooks/v1/registration/validationEvents/04af2aea-d413-42db-824e-f328001484d1", () => Ok("""
                {
                  "correlationId": "04af2aea-d413-42db-824e-f328001484d1",
                  "partnerId": "00234d9d-8c2d-4ff5-8c18-39f8afc6f7f3",
                  "status": "completed",
                  "callbackUrl": "https://bot.contoso.example/api/partnercenter/webhook",
                  "results": [ { "responseCode": "OK", "responseMessage": "", "systemError": "", "dateTimeUtc": "2026-11-28T08:59:58.2466817Z" } ]
                }
                """));
        await using PartnerCenterTestHost host = await PartnerCenterTestHost.StartAsync(partnerCenter);

        WebhookValidationEvent validation = await host.Registration.SendValidationEventAsync(Ct);
        WebhookValidationEventStatus? status = await host.Registration.GetValidationEventStatusAsync(validation.CorrelationId!, Ct);

        Assert.Equal("04af2aea-d413-42db-824e-f328001484d1", validation.CorrelationId);
        Assert.Equal("completed", status?.Status);
        WebhookDeliveryResult result = Assert.Single(status!.Results!);
        Assert.Equal("OK", result.ResponseCode?.GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 8, 59, 58, TimeSpan.Zero).AddTicks(2466817), result.DateTimeUtc);
    }
}
