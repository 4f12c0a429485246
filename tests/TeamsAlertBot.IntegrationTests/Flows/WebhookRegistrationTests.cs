using System.Text.Json.Nodes;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>The <c>webhook</c> admin command against a fake Partner Center.</summary>
public sealed class WebhookRegistrationTests(RedisServer redis) : IAsyncLifetime
{
    private const string Admin = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
        settings["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl;
        settings["PartnerCenter:Webhook:PublicUrl"] = "https://bot.contoso.example/api/partnercenter/webhook";
        settings["Triage:Authorization:MitigationUserObjectIds:0"] = Admin;
        _bot = new BotApp(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private async Task<string> SayAsync(string text, string aadObjectId)
    {
        JsonObject message = TeamsActivities.ChannelMessage(_fakes.ServiceUrl, text);
        message["from"]!["aadObjectId"] = aadObjectId;
        int before = _fakes.ConnectorRequests.Count;
        string token = "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);
        using HttpResponseMessage response = await _bot.PostActivityAsync(message, token);
        response.EnsureSuccessStatusCode();
        RecordedRequest[] replies = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, before + 1);
        return (string)replies[^1].Json!["text"]!;
    }

    [Fact]
    public async Task WebhookRegister_ByAdmin_RegistersThePublicUrlForFraudEvents()
    {
        Assert.Contains("No Partner Center webhook is registered", await SayAsync("webhook", Admin), StringComparison.Ordinal);

        string reply = await SayAsync("webhook register", Admin);

        Assert.Contains("Registered the Partner Center webhook: https://bot.contoso.example/api/partnercenter/webhook", reply, StringComparison.Ordinal);
        Assert.Equal("https://bot.contoso.example/api/partnercenter/webhook", (string?)_fakes.WebhookRegistration!["WebhookUrl"]);
        Assert.Contains("azure-fraud-event-detected", _fakes.WebhookRegistration["WebhookEvents"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("is registered", await SayAsync("webhook", Admin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookRegister_ByNonAdmin_IsRefusedAndNothingRegistered()
    {
        string reply = await SayAsync("webhook register", "0a0a0a0a-0000-4000-8000-000000000001");

        Assert.Contains("Only members of the mitigation (admin) group", reply, StringComparison.Ordinal);
        Assert.Null(_fakes.WebhookRegistration);
        Assert.DoesNotContain(_fakes.PartnerCenterRequests, r => r.Method == "POST");
    }
}
