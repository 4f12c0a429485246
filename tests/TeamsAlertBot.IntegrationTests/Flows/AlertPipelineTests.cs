using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>
/// The alert pipeline end to end: HTTPS fakes for Graph, Partner Center, identity and the connector,
/// a real redis-server, and the bot's own poller and dispatcher running as in production.
/// Every alert becomes exactly one card per subscribed channel — across restarts and with two
/// instances at once — and a change made elsewhere edits the card.
/// </summary>
public sealed partial class AlertPipelineTests(RedisServer redis) : IAsyncLifetime
{
    private const string CustomerA = "6a1d2c3b-0000-4000-8000-00000000c001";
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly List<BotApp> _bots = [];
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers[CustomerA] = "Contoso Ltd";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (BotApp bot in _bots)
        {
            await bot.DisposeAsync();
        }

        await _fakes.DisposeAsync();
    }

    private BotApp StartBot(string pollInterval = "00:00:00.200")
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:PollInterval"] = pollInterval;
        settings["Alerts:BackfillPageSize"] = "2";
        settings["PartnerCenter:Webhook:CertificateHosts:0"] = _fakes.BaseUrl.Authority;
        settings["PartnerCenter:Webhook:RequiredIssuerOrganization"] = TestCertificateAuthority.IssuerOrganization;
        // The test CA publishes no revocation list.
        settings["PartnerCenter:Webhook:RevocationMode"] = "NoCheck";
        var bot = new BotApp(settings);
        _bots.Add(bot);
        _ = bot.Server; // starts the host, and with it the poller and the dispatcher
        return bot;
    }

    private async Task SubscribeAsync(BotApp bot)
    {
        string token = "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);
        using HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), token);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many alert cards the connector received, per alert id.</summary>
    private Dictionary<string, int> CardsPerAlert() =>
        _fakes.ConnectorRequests
            .Where(r => r.Method == "POST")
            .SelectMany(r => AlertIdPattern().Matches(r.Body).Select(m => m.Value).Distinct())
            .GroupBy(id => id)
            .ToDictionary(g => g.Key, g => g.Count());

    private async Task<Dictionary<string, int>> WaitForCardsAsync(int alerts)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (CardsPerAlert().Count < alerts && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        // Let any duplicate that is on its way arrive before counting.
        await Task.Delay(1500, Ct);
        return CardsPerAlert();
    }

    [Fact]
    public async Task NewAlerts_AcrossRestartAndTwoInstances_EachPostedExactlyOnce()
    {
        BotApp first = StartBot();
        await SubscribeAsync(first);
        for (int i = 1; i <= 4; i++)
        {
            _fakes.AddAlert($"alert-{i:D4}", $"0000000{i}-0000-4000-8000-00000000c00{i}");
        }

        Dictionary<string, int> cards = await WaitForCardsAsync(4);
        Assert.Equal(4, cards.Count);
        Assert.All(cards.Values, count => Assert.Equal(1, count));

        // Restart: a new process with the same Redis state.
        await first.DisposeAsync();
        BotApp restarted = StartBot();
        for (int i = 5; i <= 7; i++)
        {
            _fakes.AddAlert($"alert-{i:D4}", $"0000000{i}-0000-4000-8000-00000000c00{i}");
        }

        cards = await WaitForCardsAsync(7);
        Assert.Equal(7, cards.Count);
        Assert.All(cards.Values, count => Assert.Equal(1, count));

        // A second instance beside it: both poll and dispatch, alerts still post once.
        StartBot();
        for (int i = 8; i <= 9; i++)
        {
            _fakes.AddAlert($"alert-{i:D4}", $"0000000{i}-0000-4000-8000-00000000c00{i}");
        }

        cards = await WaitForCardsAsync(9);
        Assert.Equal(9, cards.Count);
        Assert.All(cards.Values, count => Assert.Equal(1, count));
        Assert.NotNull(restarted);
    }

    [Fact]
    public async Task AlertResolvedElsewhere_CardIsEditedInPlace()
    {
        BotApp bot = StartBot();
        await SubscribeAsync(bot);
        _fakes.AddAlert("alert-0100", CustomerA);
        Assert.Single(await WaitForCardsAsync(1));
        RecordedRequest created = _fakes.ConnectorRequests.Single(r => r.Body.Contains("alert-0100", StringComparison.Ordinal));
        Assert.EndsWith("/v3/conversations", created.RawTarget, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", created.Body, StringComparison.Ordinal);

        // Someone resolves it on the Partner Center dashboard.
        _fakes.Alerts["alert-0100"]["status"] = "resolved";
        _fakes.Alerts["alert-0100"]["resolvedReason"] = "fraud";
        _fakes.Alerts["alert-0100"]["resolvedBy"] = "kenji@partner.example";

        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        RecordedRequest? edit = null;
        while (edit is null && DateTime.UtcNow < deadline)
        {
            edit = _fakes.ConnectorRequests.FirstOrDefault(r => r.Method == "PUT");
            await Task.Delay(50, Ct);
        }

        Assert.NotNull(edit);
        Assert.Contains("kenji@partner.example", edit.Body, StringComparison.Ordinal);
        JsonNode? createdBody = created.Json;
        string threadRoot = Uri.EscapeDataString($"{TeamsActivities.ChannelId};messageid=");
        Assert.Contains(threadRoot, edit.RawTarget, StringComparison.Ordinal);
        Assert.NotNull(createdBody);
    }

    [Fact]
    public async Task StormForOneCustomer_GroupsLaterAlertsInOneThread()
    {
        BotApp bot = StartBot();
        await SubscribeAsync(bot);
        for (int i = 1; i <= 8; i++)
        {
            _fakes.AddAlert($"storm-{i:D4}", CustomerA, severity: i % 2 == 0 ? "high" : "low");
        }

        Dictionary<string, int> cards = await WaitForCardsAsync(8);
        Assert.Equal(8, cards.Count);
        Assert.All(cards.Values, count => Assert.Equal(1, count));
        RecordedRequest[] newThreads = [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST" && r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal))];
        RecordedRequest[] threaded = [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST" && r.RawTarget.Contains("%3Bmessageid%3D", StringComparison.Ordinal) && AlertIdPattern().IsMatch(r.Body))];
        // Up to the threshold each alert opens a thread; then one storm thread holds the rest.
        Assert.Equal(5 + 1, newThreads.Length);
        Assert.Equal(3, threaded.Length);
        Assert.Single(threaded.Select(r => r.RawTarget).Distinct());
    }

    [Fact]
    public async Task Subscribe_WithOldOpenAlerts_PostsOneSummaryThenAlertsPageByPage()
    {
        for (int i = 1; i <= 5; i++)
        {
            _fakes.AddAlert($"alert-{i:D4}", CustomerA, detected: DateTimeOffset.UtcNow.AddDays(-i * 3));
        }

        _fakes.AddAlert("alert-0099", CustomerA, status: "resolved", detected: DateTimeOffset.UtcNow.AddDays(-2));
        BotApp bot = StartBot();
        await SubscribeAsync(bot);

        // The old alerts are summarised, not posted one by one (no flood), and the poller leaves them alone.
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        RecordedRequest? summary = null;
        while (summary is null && DateTime.UtcNow < deadline)
        {
            summary = _fakes.ConnectorRequests.FirstOrDefault(r => r.Body.Contains("Open partner security alerts", StringComparison.Ordinal));
            await Task.Delay(50, Ct);
        }

        Assert.NotNull(summary);
        Assert.Contains("5 open alerts", summary.Body, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", summary.Body, StringComparison.Ordinal);
        await Task.Delay(1000, Ct);
        Assert.Empty(CardsPerAlert());

        // Page 1 (page size 2): the two most severe / oldest alerts, threaded where the summary is.
        string token = "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);
        // The button's data as posted: signed for this page in this channel.
        JsonObject data = summary.Json!["attachments"]![0]!["content"]!["actions"]![0]!["data"]!.DeepClone().AsObject();
        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, "alerts.backfill.page", data);
        using HttpResponseMessage answer = await bot.PostActivityAsync(click, token);
        string answerBody = await answer.Content.ReadAsStringAsync(Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("page 2 of 3", answerBody, StringComparison.Ordinal);

        // The page's cards are queued (durable, like any card) and follow the answer.
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (CardsPerAlert().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Dictionary<string, int> cards = CardsPerAlert();
        Assert.Equal(["alert-0005", "alert-0004"], cards.Keys.Order(StringComparer.Ordinal).Reverse());

        // Clicking page 1 again (a double click) posts nothing twice.
        using HttpResponseMessage again = await bot.PostActivityAsync(click, token);
        await Task.Delay(1000, Ct);
        Assert.Equal(2, CardsPerAlert().Count);
        Assert.All(CardsPerAlert().Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Dispatch_EntriesOfDifferentPartitionsWithTheSameStreamId_AreAllPosted()
    {
        // Stream ids are unique within one stream only: four partitions can each hold an entry "1-1".
        BotApp bot = StartBot(pollInterval: "01:00:00");
        await SubscribeAsync(bot);
        var keys = new TeamsAlertBot.State.RedisKeys(_prefix);
        StackExchange.Redis.IDatabase db = bot.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        Dictionary<int, string> byPartition = [];
        for (int i = 0; byPartition.Count < TeamsAlertBot.State.RedisKeys.WorkPartitions; i++)
        {
            byPartition.TryAdd(TeamsAlertBot.State.RedisKeys.PartitionOf($"alert-{i:D4}"), $"alert-{i:D4}");
        }

        foreach ((int partition, string alertId) in byPartition)
        {
            // Seen already, so only the entries written here can post the cards.
            await db.StringSetAsync(keys.AlertSeen(alertId), "1");
            _fakes.AddAlert(alertId, CustomerA);
            await db.StreamAddAsync(
                keys.Work(partition),
                [new("kind", "Post"), new("alert", alertId), new("conv", TeamsActivities.ChannelId)],
                messageId: "1-1");
        }

        Dictionary<string, int> cards = await WaitForCardsAsync(byPartition.Count);
        Assert.Equal(byPartition.Values.Order(StringComparer.Ordinal), cards.Keys.Order(StringComparer.Ordinal));
        Assert.All(cards.Values, count => Assert.Equal(1, count));
    }

    private static byte[] FraudEventBody(string subscriptionId) => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"EventName":"azure-fraud-event-detected","ResourceUri":"https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId={{subscriptionId}}&EventStatus=Active","AuditUri":null,"ResourceChangeUtcDate":"2026-11-28T10:00:00.000Z"}""");

    private static async Task<HttpResponseMessage> PostWebhookAsync(BotApp bot, byte[] body, string signature, string certificateUrl)
    {
        using HttpClient client = bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partnercenter/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"Signature {signature}");
        request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", certificateUrl);
        request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", "rsa-sha256");
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task SignedFraudWebhook_PollsAtOnceAndPostsTheCard_DuplicatesHarmless()
    {
        BotApp bot = StartBotWithSlowPolling();
        await SubscribeAsync(bot);
        await Task.Delay(500, Ct); // let the first (empty) poll pass
        _fakes.AddAlert("alert-0200", CustomerA);
        byte[] body = FraudEventBody("9e8d7c6b-0000-4000-8000-00000000a001");
        string signature = LoopbackFakes.SignWebhook(body);

        HttpResponseMessage[] deliveries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostWebhookAsync(bot, body, signature, _fakes.WebhookCertificateUrl)));

        Assert.All(deliveries, d => Assert.Equal(System.Net.HttpStatusCode.OK, d.StatusCode));
        // The poll interval is an hour: only the webhook can have brought the card this quickly.
        Dictionary<string, int> cards = await WaitForCardsAsync(1);
        Assert.Equal(1, cards.GetValueOrDefault("alert-0200"));
        Assert.Empty(LoopbackOnlyHandler.RefusedRequests);
    }

    [Fact]
    public async Task Webhook_BadSignatureOrForeignCertificateHost_401AndNothingPosted()
    {
        BotApp bot = StartBotWithSlowPolling();
        await SubscribeAsync(bot);
        await Task.Delay(500, Ct);
        _fakes.AddAlert("alert-0300", CustomerA);
        byte[] body = FraudEventBody("9e8d7c6b-0000-4000-8000-00000000a001");
        byte[] tampered = [.. body];
        tampered[^3] ^= 0x01;
        string foreignCertificate = new Uri(_fakes.ForeignBaseUrl, "cert/pcnotifications-dispatch.test.cer").ToString();

        using HttpResponseMessage badSignature = await PostWebhookAsync(bot, tampered, LoopbackFakes.SignWebhook(body), _fakes.WebhookCertificateUrl);
        using HttpResponseMessage foreignHost = await PostWebhookAsync(bot, body, LoopbackFakes.SignWebhook(body), foreignCertificate);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, badSignature.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, foreignHost.StatusCode);
        Assert.Empty(_fakes.ForeignRequests);
        await Task.Delay(1500, Ct);
        Assert.Empty(CardsPerAlert());
    }

    private BotApp StartBotWithSlowPolling() => StartBot(pollInterval: "01:00:00");

    [GeneratedRegex(@"(alert|storm)-\d{4}")]
    private static partial Regex AlertIdPattern();
}
