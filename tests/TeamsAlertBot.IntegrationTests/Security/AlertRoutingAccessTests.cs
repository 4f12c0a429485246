using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Security;

/// <summary>
/// Routing alerts is a privilege: subscribing, unsubscribing and posting old alerts need the triage
/// role, chats receive alerts only when a setting allows it, and the backfill button is signed for its
/// conversation. The whole bot on the loopback fakes with a real redis-server.
/// </summary>
public sealed class AlertRoutingAccessTests(RedisServer redis) : IAsyncLifetime
{
    private const string Stranger = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

    private LoopbackFakes _fakes = null!;
    private BotApp? _bot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fakes = await LoopbackFakes.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _fakes.DisposeAsync();
    }

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private IConversationStore Store => _bot!.Services.GetRequiredService<IConversationStore>();

    /// <summary>The bot with the alert pipeline on (Graph and Partner Center on the fakes); <paramref name="configure"/> adds settings.</summary>
    private BotApp StartBot(Action<Dictionary<string, string?>>? configure = null)
    {
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
        settings["Alerts:Enabled"] = "true";
        settings["Alerts:PollInterval"] = "01:00:00";
        settings["Alerts:BackfillPageSize"] = "2";
        settings["Graph:BaseUrl"] = _fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl;
        configure?.Invoke(settings);
        _bot = new BotApp(settings);
        return _bot;
    }

    private async Task<string> SayAsync(JsonObject activity)
    {
        int before = _fakes.ConnectorRequests.Count;
        using HttpResponseMessage response = await _bot!.PostActivityAsync(activity, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest[] requests = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, before + 1);
        return (string?)requests[before].Json?["text"] ?? requests[before].Body;
    }

    [Fact]
    public async Task Subscribe_UserNotInTriageRole_IsRefusedAndNothingIsStored()
    {
        StartBot(s => s["Triage:Authorization:TriageUserObjectIds:0"] = Stranger);

        string reply = await SayAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"));

        Assert.Equal(BotTexts.En.RoutingNotAllowed, reply);
        Assert.Null(await Store.GetSubscriptionAsync(TeamsActivities.ChannelId, Ct));
        Assert.Empty(await Store.ListSubscriptionsAsync(Ct));
    }

    [Fact]
    public async Task Subscribe_UserNotInTriageRole_IsToldInJapanese()
    {
        StartBot(s => s["Triage:Authorization:TriageUserObjectIds:0"] = Stranger);

        string reply = await SayAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "購読", locale: "ja-JP"));

        Assert.Equal(BotTexts.Ja.RoutingNotAllowed, reply);
    }

    [Fact]
    public async Task Subscribe_NobodyConfiguredForTheRole_SaysSo()
    {
        StartBot(s => s.Remove("Triage:Authorization:TriageUserObjectIds:0"));

        string reply = await SayAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"));

        Assert.Equal(BotTexts.En.RoutingNotConfigured, reply);
        Assert.Empty(await Store.ListSubscriptionsAsync(Ct));
    }

    [Fact]
    public async Task Unsubscribe_UserNotInTriageRole_IsRefusedAndTheChannelStaysSubscribed()
    {
        StartBot();
        await SayAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"));
        JsonObject stranger = TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "unsubscribe");
        stranger["from"]!["aadObjectId"] = Stranger;

        string reply = await SayAsync(stranger);

        Assert.Equal(BotTexts.En.RoutingNotAllowed, reply);
        Assert.NotNull(await Store.GetSubscriptionAsync(TeamsActivities.ChannelId, Ct));
    }

    [Theory]
    [InlineData("groupChat")]
    [InlineData("personal")]
    public async Task Subscribe_InAChat_IsRefusedByDefault(string conversationType)
    {
        StartBot();

        string reply = await SayAsync(TeamsActivities.ChatMessage(_fakes.ServiceUrl, "subscribe", conversationType));

        Assert.Equal(BotTexts.En.AlertsOnlyInChannels, reply);
        Assert.Empty(await Store.ListSubscriptionsAsync(Ct));
    }

    [Fact]
    public async Task Subscribe_InAGroupChatWhenChatsAreAllowed_Subscribes()
    {
        StartBot(s => s["TeamsAlertBot:AllowAlertsInChats"] = "true");

        string reply = await SayAsync(TeamsActivities.ChatMessage(_fakes.ServiceUrl, "subscribe", "groupChat"));

        Assert.Matches(TeamsActivities.SubscribedReply, reply);
        Assert.NotNull(await Store.GetSubscriptionAsync(TeamsActivities.GroupChatId, Ct));
    }

    [Fact]
    public async Task Subscribe_WhileGraphCannotListAlerts_SubscribesAndAnswers200()
    {
        StartBot(s => s["Graph:BaseUrl"] = new Uri(_fakes.BaseUrl, "no-such-graph/beta").ToString());

        string reply = await SayAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"));

        Assert.Matches(TeamsActivities.SubscribedReply, reply);
        Assert.NotNull(await Store.GetSubscriptionAsync(TeamsActivities.ChannelId, Ct));
    }

    [Fact]
    public async Task BackfillButton_ForgedData_PostsNothing()
    {
        AddOpenAlerts();
        StartBot();
        await SubscribeAndGetBackfillButtonAsync();

        JsonObject forged = TeamsActivities.CardAction(
            _fakes.ServiceUrl, "alerts.backfill.page", new JsonObject { ["page"] = 1, ["signature"] = "bm90IGEgc2lnbmF0dXJlIG9mIHRoaXMgc2VydmVyIGF0IGFsbA" });
        string answer = await ClickAsync(forged);
        JsonObject unsigned = TeamsActivities.CardAction(_fakes.ServiceUrl, "alerts.backfill.page", new JsonObject { ["page"] = 1 });
        using HttpResponseMessage refused = await _bot!.PostActivityAsync(unsigned, Token);

        Assert.Contains(Core.Triage.TriageTexts.En.Tampered, answer, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(await AlertCardsPostedAfterAWhileAsync(0));
    }

    [Fact]
    public async Task BackfillButton_SignedForAnotherConversation_PostsNothing()
    {
        AddOpenAlerts();
        StartBot(s => s["TeamsAlertBot:AllowAlertsInChats"] = "true");
        JsonObject data = await SubscribeAndGetBackfillButtonAsync();

        JsonObject elsewhere = TeamsActivities.CardAction(_fakes.ServiceUrl, "alerts.backfill.page", data);
        elsewhere["conversation"]!["id"] = TeamsActivities.GroupChatId;
        elsewhere["conversation"]!["conversationType"] = "groupChat";
        string answer = await ClickAsync(elsewhere);

        Assert.Contains(Core.Triage.TriageTexts.En.Tampered, answer, StringComparison.Ordinal);
        Assert.Empty(await AlertCardsPostedAfterAWhileAsync(0));
    }

    [Fact]
    public async Task BackfillButton_ClickedByUserNotInTriageRole_PostsNothing()
    {
        AddOpenAlerts();
        StartBot();
        JsonObject data = await SubscribeAndGetBackfillButtonAsync();

        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, "alerts.backfill.page", data);
        click["from"]!["aadObjectId"] = Stranger;
        string answer = await ClickAsync(click);

        Assert.Contains(BotTexts.En.RoutingNotAllowed, answer, StringComparison.Ordinal);
        Assert.Empty(await AlertCardsPostedAfterAWhileAsync(0));
    }

    [Fact]
    public async Task BackfillButton_SignedAndClickedByAnalyst_PostsThePage()
    {
        AddOpenAlerts();
        StartBot();
        JsonObject data = await SubscribeAndGetBackfillButtonAsync();

        string answer = await ClickAsync(TeamsActivities.CardAction(_fakes.ServiceUrl, "alerts.backfill.page", data));

        Assert.Contains("page 2 of 2", answer, StringComparison.Ordinal);
        Assert.Equal(2, (await AlertCardsPostedAfterAWhileAsync(2)).Length);
    }

    private void AddOpenAlerts()
    {
        for (int i = 1; i <= 3; i++)
        {
            _fakes.AddAlert($"old-{i}", "6a1d2c3b-0000-4000-8000-00000000b001", detected: DateTimeOffset.UtcNow.AddDays(-2 - i));
        }
    }

    /// <summary>Subscribes the channel and returns the data of the backfill summary's button.</summary>
    private async Task<JsonObject> SubscribeAndGetBackfillButtonAsync()
    {
        using (HttpResponseMessage response = await _bot!.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        RecordedRequest summary = (await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, 2))
            .Single(r => r.Body.Contains("alerts.backfill.page", StringComparison.Ordinal));
        JsonNode button = summary.Json!["attachments"]![0]!["content"]!["actions"]![0]!;
        return button["data"]!.DeepClone().AsObject();
    }

    private async Task<string> ClickAsync(JsonObject click)
    {
        using HttpResponseMessage response = await _bot!.PostActivityAsync(click, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Alert cards the connector received (the summary is a reply; alert cards carry the triage buttons).</summary>
    /// <summary>
    /// The alert cards posted once <paramref name="expected"/> arrived or a few seconds passed: the page's
    /// cards are queued and follow the click's answer, so "none" is only known after a while.
    /// </summary>
    private async Task<RecordedRequest[]> AlertCardsPostedAfterAWhileAsync(int expected)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(expected == 0 ? 2 : 10);
        while (DateTime.UtcNow < deadline && (expected == 0 || AlertCardsPosted().Length < expected))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return AlertCardsPosted();
    }

    private RecordedRequest[] AlertCardsPosted() =>
        [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST" && r.Body.Contains("alert.triage", StringComparison.Ordinal))];
}
