using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Tests.Fakes;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Hosting;

public sealed class BotEndpointTests
{
    private const string Endpoint = "/api/messages";
    private const string OtherTenant = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_MalformedJson_Returns400()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostRawAsync(host, """{"type":"message","text":""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [InlineData("""{"id":"1","text":"help","serviceUrl":"https://127.0.0.1/amer/"}""")]
    [InlineData("""{"type":"","text":"help"}""")]
    [InlineData("null")]
    public async Task Post_NoActivityType_Returns400(string body)
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostRawAsync(host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"typing"} {"type":"typing"}""")]
    [InlineData("""{"type":"typing"}garbage""")]
    [InlineData("""{"type":"typing"}}""")]
    public async Task Post_TrailingDataAfterActivity_Returns400(string body)
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostRawAsync(host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_TrailingWhitespaceAfterActivity_IsServed()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostRawAsync(host, "{\"type\":\"typing\"}\r\n  \n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_JsonArray_Returns400()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostRawAsync(host, "[]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverLimitWithContentLength_Returns413()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:MaxRequestBodyBytes"] = "4096" });
        byte[] body = Padded(TestActivities.ChannelCommand("help"), totalBytes: 5000);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(5000, content.Headers.ContentLength);

        using HttpResponseMessage response = await host.CreateClient().PostAsync(Endpoint, content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_BodyOverLimitWithoutContentLength_Returns413()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:MaxRequestBodyBytes"] = "4096" });
        using var content = new UnknownLengthContent(Padded(TestActivities.ChannelCommand("help"), totalBytes: 5000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Null(content.Headers.ContentLength);

        using HttpResponseMessage response = await host.CreateClient().PostAsync(Endpoint, content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_BodyUnderLimitWithoutContentLength_IsServed()
    {
        // The control for the test above: the same kind of body, just small enough.
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:MaxRequestBodyBytes"] = "4096" });
        using var content = new UnknownLengthContent(Padded(TestActivities.ChannelCommand("help"), totalBytes: 4000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using HttpResponseMessage response = await host.CreateClient().PostAsync(Endpoint, content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Connector.Requests);
    }

    [Theory]
    [InlineData("someFutureActivityType")]
    [InlineData("messageReaction")]
    [InlineData("typing")]
    public async Task Post_ActivityTypeTheBotDoesNotUse_Returns200WithoutConnectorCall(string type)
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.ChannelCommand("help");
        activity["type"] = type;

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Get_MessagesEndpoint_Returns405()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await host.CreateClient().GetAsync(Endpoint, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_InvokeWithUnknownVerb_Returns200WithErrorCard()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Invoke(a => a["value"]!["action"]!["verb"] = "alert.frobnicate");

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode body = await ReadJsonAsync(response);
        Assert.Equal(200, (int?)body["statusCode"]);
        Assert.Equal(AdaptiveCard.ContentType, (string?)body["type"]);
        JsonNode card = body["value"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        string cardJson = card.ToJsonString();
        Assert.Contains(Json(BotTexts.En.ActionErrorTitle), cardJson, StringComparison.Ordinal);
        Assert.Contains("alert.frobnicate", cardJson, StringComparison.Ordinal);
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [InlineData("alert.triage", "en-US")]
    [InlineData("alert.refresh", "en-US")]
    [InlineData("alert.mitigate", "ja-JP")]
    [InlineData("alerts.backfill.page", "ja-JP")]
    public async Task Post_InvokeForTheAlertPipelineWhileItIsOff_SaysItDoesNotRunHere(string verb, string locale)
    {
        // In memory, anonymous: the alert pipeline does not run in this host.
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Invoke(a =>
        {
            a["value"]!["action"]!["verb"] = verb;
            a["locale"] = locale;
        });

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cardJson = (await ReadJsonAsync(response))["value"]!.ToJsonString();
        BotTexts texts = BotTexts.For(locale, BotTexts.En);
        Assert.Contains(Json(texts.ActionNotRunningHere), cardJson, StringComparison.Ordinal);
        Assert.DoesNotContain(Json(texts.Format(texts.UnknownAction, verb)), cardJson, StringComparison.Ordinal);
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    public async Task Post_BulkInvokeWherePipelineStateIsInMemory_SaysBulkRunsNeedRedis(string locale)
    {
        // The demo tenant runs triage in memory: "not running here" would be untrue for the bulk button.
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });
        JsonObject activity = TestActivities.Invoke(a =>
        {
            a["value"]!["action"]!["verb"] = "alert.bulk";
            a["locale"] = locale;
        });

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cardJson = (await ReadJsonAsync(response))["value"]!.ToJsonString();
        BotTexts texts = BotTexts.For(locale, BotTexts.En);
        Assert.Contains(Json(texts.BulkNeedsRedis), cardJson, StringComparison.Ordinal);
        Assert.DoesNotContain(Json(texts.ActionNotRunningHere), cardJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InvokeWhoseHandlerFails_Returns200WithAnErrorCardNot500()
    {
        await using var host = new BotTestHost(services: s => s.AddSingleton<TeamsAlertBot.Bot.ICardActionHandler, FailingAction>());
        JsonObject activity = TestActivities.Invoke(a => a["value"]!["action"]!["verb"] = FailingAction.Name);

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cardJson = (await ReadJsonAsync(response))["value"]!.ToJsonString();
        Assert.Contains(Json(BotTexts.En.ActionFailed), cardJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("invoke")]
    public async Task Post_TurnFailsWithAnUnexpectedException_Answers200AndLogsIt(string type)
    {
        await using var host = new BotTestHost(services: s => s.AddSingleton<TeamsAlertBot.BotFramework.Hosting.IBot, ThrowingBot>());
        JsonObject activity = type == "invoke" ? TestActivities.Invoke() : TestActivities.ChannelCommand("help");

        using HttpResponseMessage response = await PostAsync(host, activity);

        // Teams would redeliver on a 5xx and run the same failing turn again; the log has it instead.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), log => log.Id.Id == 1007 && log.Exception is InvalidOperationException);
        if (type == "invoke")
        {
            Assert.Contains(Json(BotTexts.En.ActionFailed), (await ReadJsonAsync(response)).ToJsonString(), StringComparison.Ordinal);
        }
    }

    private sealed class ThrowingBot : TeamsAlertBot.BotFramework.Hosting.IBot
    {
        public Task<TeamsAlertBot.BotFramework.Schema.InvokeResponse?> OnTurnAsync(TeamsAlertBot.BotFramework.Hosting.TurnContext turn, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug in the turn");

        public TeamsAlertBot.BotFramework.Schema.InvokeResponse CreateInterimInvokeResponse(TeamsAlertBot.BotFramework.Schema.Activity activity) =>
            TeamsAlertBot.BotFramework.Schema.AdaptiveCardInvokeResponse.Message(BotTexts.En.WorkingOnIt).ToInvokeResponse();

        public TeamsAlertBot.BotFramework.Schema.InvokeResponse CreateFailureInvokeResponse(TeamsAlertBot.BotFramework.Schema.Activity activity) =>
            TeamsAlertBot.BotFramework.Schema.AdaptiveCardInvokeResponse.Message(BotTexts.En.ActionFailed).ToInvokeResponse();
    }

    private sealed class FailingAction : TeamsAlertBot.Bot.ICardActionHandler
    {
        public const string Name = "test.fails";

        public string Verb => Name;

        public Task<TeamsAlertBot.BotFramework.Schema.AdaptiveCardInvokeResponse> HandleAsync(TeamsAlertBot.Bot.CardActionRequest request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("the downstream service is down");
    }

    [Fact]
    public async Task Post_InvokeWithActionSubmitType_Returns400ErrorResponse()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Invoke(a => a["value"]!["action"]!["type"] = "Action.Submit");

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonNode body = await ReadJsonAsync(response);
        Assert.Equal(400, (int?)body["statusCode"]);
        Assert.Equal("application/vnd.microsoft.error", (string?)body["type"]);
        Assert.Equal("NotSupported", (string?)body["value"]!["code"]);
        Assert.Equal(BotTexts.En.MalformedAction, (string?)body["value"]!["message"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"not an object\"")]
    [InlineData("{\"trigger\":\"manual\"}")]
    public async Task Post_InvokeWithoutActionValue_Returns400ErrorResponse(string? value)
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Invoke(a =>
        {
            a.Remove("value");
            if (value is not null)
            {
                a["value"] = JsonNode.Parse(value);
            }
        });

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonNode body = await ReadJsonAsync(response);
        Assert.Equal("application/vnd.microsoft.error", (string?)body["type"]);
        Assert.Equal("BadRequest", (string?)body["value"]!["code"]);
    }

    [Theory]
    [InlineData("composeExtension/query")]
    [InlineData("task/fetch")]
    [InlineData("")]
    public async Task Post_InvokeWithUnhandledName_Returns501(string name)
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Invoke(a => a["name"] = name);

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_HelpInChannelThread_RepliesOnceWithCardIntoTheThread()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest request = Assert.Single(host.Connector.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("127.0.0.1", request.Uri.Host);
        Assert.Equal(
            "/amer/v3/conversations/19%3Ae4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c%40thread.tacv2%3Bmessageid%3D1764321600123/activities/1764321600123",
            request.Uri.AbsolutePath);
        Assert.Null(request.Authorization);

        JsonNode reply = JsonNode.Parse(request.Body!)!;
        Assert.Equal("message", (string?)reply["type"]);
        Assert.Equal(TestActivities.ChannelMessageId, (string?)reply["replyToId"]);
        Assert.Equal(TestActivities.ChannelThreadId, (string?)reply["conversation"]!["id"]);
        Assert.Equal("28:5f1c9e2a-8b3d-4c7e-a6f0-2d9b8e1c4a73", (string?)reply["from"]!["id"]);
        Assert.Equal("29:1Xk9vQ2mZs7TnR4bWp8cLd3Fh6Jy0Gq5Ua1Ye2Io3Pa4Sd5Fg6Hj7Kl8Zx9Cv0Bn1Mq2Wr3Et4Yu5Ip6As7Df8", (string?)reply["recipient"]!["id"]);
        JsonNode attachment = Assert.Single(reply["attachments"]!.AsArray())!;
        Assert.Equal(AdaptiveCard.ContentType, (string?)attachment["contentType"]);
        Assert.Equal("AdaptiveCard", (string?)attachment["content"]!["type"]);
        Assert.Equal("en", (string?)attachment["content"]!["lang"]);
        Assert.Equal(BotTexts.En.HelpTitle, (string?)attachment["content"]!["body"]![0]!["text"]);
    }

    [Fact]
    public async Task Post_JapaneseHelpInPersonalChat_RepliesWithJapaneseCard()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.PersonalCommand("ヘルプ"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest request = Assert.Single(host.Connector.Requests);
        Assert.Equal(
            "/amer/v3/conversations/a%3A1Zx8Cv7Bn6Mq5Wr4Et3Yu2Ip1As0Df9Gh8Jk7Lz6Xc5Vb4Nm3Qa2Ws1Ed0Rf9Tg8Yh7Uj6Ik5Ol4Pz3/activities/1764324133456",
            request.Uri.AbsolutePath);
        JsonNode card = JsonNode.Parse(request.Body!)!["attachments"]![0]!["content"]!;
        Assert.Equal("ja", (string?)card["lang"]);
        Assert.Equal(BotTexts.Ja.HelpTitle, (string?)card["body"]![0]!["text"]);
    }

    [Fact]
    public async Task Post_UnknownCommandWithTypo_RepliesWithSuggestionText()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("subscibe"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest request = Assert.Single(host.Connector.Requests);
        string text = (string)JsonNode.Parse(request.Body!)!["text"]!;
        Assert.Contains("\"subscibe\"", text, StringComparison.Ordinal);
        Assert.Contains("**subscribe**", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[x](https://evil.example/pay)", "[x](")]
    [InlineData("&lt;at&gt;Boss&lt;/at&gt;", "<at>")]
    [InlineData("**now**", "**now**")]
    public async Task Post_UnknownCommandWithMarkup_EchoesItEscaped(string typed, string markup)
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand(typed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = (string)JsonNode.Parse(Assert.Single(host.Connector.Requests).Body!)!["text"]!;
        Assert.StartsWith("I don't know the command", text, StringComparison.Ordinal);
        Assert.DoesNotContain(markup, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SubscribeInChannelNamedWithMarkup_ConfirmsWithTheNameEscaped()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.ChannelCommand("subscribe");
        activity["channelData"]!["channel"]!["name"] = "[Pay here](https://evil.example/pay) <at>CEO</at>";

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = (string)JsonNode.Parse(host.Connector.Requests[0].Body!)!["text"]!;
        // This host runs no pipeline: the confirmation names the channel and says cards need setting up.
        Assert.Contains("is subscribed, but this deployment does not post alerts yet", text, StringComparison.Ordinal);
        Assert.Contains("Pay here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[Pay here](", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InstallationUpdateAdd_PostsWelcomeInTheInstallersLanguage()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.Fixture(FixtureFiles.InstallationUpdateAdd));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest request = Assert.Single(host.Connector.Requests);
        Assert.Equal(
            "/amer/v3/conversations/19%3Ae4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c%40thread.tacv2/activities/f%3A7a2b9c4d-6e1f-4a3b-9c8d-5e7f0a1b2c3d",
            request.Uri.AbsolutePath);
        Assert.Equal(BotTexts.Ja.Welcome, (string?)JsonNode.Parse(request.Body!)!["text"]);
    }

    [Fact]
    public async Task Post_ActionSubmitWithUnknownVerb_RepliesWithErrorCard()
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.Fixture(FixtureFiles.MessageWithSubmitValue));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest request = Assert.Single(host.Connector.Requests);
        JsonNode reply = JsonNode.Parse(request.Body!)!;
        Assert.Equal("1764322267777", (string?)reply["replyToId"]);
        JsonNode card = reply["attachments"]![0]!["content"]!;
        Assert.Equal("ja", (string?)card["lang"]);
        Assert.Contains(Json(BotTexts.Ja.ActionErrorTitle), card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ServiceUrlNotAllowed_Returns200AndSendsNothing()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.ChannelCommand("help");
        activity["serviceUrl"] = TestActivities.ForeignServiceUrl;

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
        Assert.Contains(host.Logs.GetSnapshot(), log => log.Id.Id == 1004 && log.Message.Contains("127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_TenantOnAllowList_IsServed()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:AllowedTenants:0"] = TestActivities.TenantId });

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_TenantNotOnAllowList_Returns403AndSendsNothing()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:AllowedTenants:0"] = TestActivities.TenantId });
        JsonObject activity = TestActivities.ChannelCommand("help");
        activity["channelData"]!["tenant"]!["id"] = OtherTenant;
        activity["conversation"]!["tenantId"] = OtherTenant;

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_NoTenantAndAllowListSet_Returns403()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["Bot:AllowedTenants:0"] = TestActivities.TenantId });
        JsonObject activity = TestActivities.ChannelCommand("help");
        activity["channelData"]!.AsObject().Remove("tenant");
        activity["conversation"]!.AsObject().Remove("tenantId");

        using HttpResponseMessage response = await PostAsync(host, activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_TenantOtherThanTheBotsOwnAndNoAllowList_Returns403AndSendsNothing()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["AzureAd:TenantId"] = OtherTenant });

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_BotsOwnTenantAndNoAllowList_IsServed()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?> { ["AzureAd:TenantId"] = TestActivities.TenantId.ToUpperInvariant() });

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_TenantListedBesideTheBotsOwn_IsServed()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?>
        {
            ["AzureAd:TenantId"] = OtherTenant,
            ["Bot:AllowedTenants:0"] = TestActivities.TenantId,
        });

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Test")]
    public async Task Start_AnyEnvironmentButDevelopmentWithAllowAnonymous_FailsNamingTheSetting(string environment)
    {
        await using var host = new BotTestHost(environment: environment, settings: new Dictionary<string, string?>
        {
            ["Triage:ActionSigningKey"] = Convert.ToBase64String(new byte[32]),
        });

        Exception error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Bot:AllowAnonymous", AllMessages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithAllowAnonymous_FailsNamingTheSetting()
    {
        await using var host = new BotTestHost(environment: "Production");

        Exception error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Bot:AllowAnonymous", AllMessages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithoutAppId_FailsNamingAzureAdClientId()
    {
        await using var host = new BotTestHost(environment: "Production", settings: new Dictionary<string, string?> { ["Bot:AllowAnonymous"] = "false" });

        Exception error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("AzureAd:ClientId", AllMessages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AppIdConfiguredAndNoToken_Returns401()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?>
        {
            ["Bot:AllowAnonymous"] = "false",
            ["AzureAd:ClientId"] = "5f1c9e2a-8b3d-4c7e-a6f0-2d9b8e1c4a73",
            ["AzureAd:TenantId"] = TestActivities.TenantId,
        });

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand("help"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    private static Task<HttpResponseMessage> PostAsync(BotTestHost host, JsonObject activity) =>
        PostRawAsync(host, activity.ToJsonString());

    private static async Task<HttpResponseMessage> PostRawAsync(BotTestHost host, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await host.CreateClient().PostAsync(Endpoint, content, Ct);
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    /// <summary>The activity as JSON, padded with an unknown field to exactly <paramref name="totalBytes"/>.</summary>
    private static byte[] Padded(JsonObject activity, int totalBytes)
    {
        activity["x-padding"] = string.Empty;
        int overhead = Encoding.UTF8.GetByteCount(activity.ToJsonString());
        activity["x-padding"] = new string('p', totalBytes - overhead);
        byte[] bytes = Encoding.UTF8.GetBytes(activity.ToJsonString());
        Assert.Equal(totalBytes, bytes.Length);
        return bytes;
    }

    /// <summary>A text as it appears inside serialized JSON (non-ASCII escaped by the web defaults).</summary>
    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];

    private static string AllMessages(Exception error)
    {
        var messages = new StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    messages.AppendLine(AllMessages(inner));
                }
            }
        }

        return messages.ToString();
    }
}
