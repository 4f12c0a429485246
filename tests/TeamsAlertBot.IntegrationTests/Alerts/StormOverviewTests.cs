using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.Triage;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>
/// The storm card as a live overview, end to end on the HTTPS fakes and a real Redis (each topology
/// the run uses), with the connector fake enforcing Teams' per-conversation limits: a storm of one
/// customer's alerts gives one storm card, edited a bounded number of times, that ends showing the
/// right counts; single triage, a Graph change the poller sees and a per-subscription bulk run update
/// them (the bulk run touching only that subscription's alerts); a deleted storm card is not edited
/// again. TEST_STORM_ALERTS sets the storm's size (default 24; the 120 takes about two
/// minutes, most of it posting the 120 cards at Teams' 60 per 30 s).
/// </summary>
public sealed class StormOverviewTests(RedisServer redis) : IAsyncLifetime
{
    private const string Analyst = TriageScenario.Analyst;
    private const string Customer = TriageScenario.CustomerTenantId;
    private const string CustomerName = "Contoso Ltd";
    private const string Channel = TeamsActivities.ChannelId;
    private const string CryptoType = "networkConnectionsToCryptoMiningPools";
    private const string VmType = "VM_AnomalousDeployment";
    private static readonly TimeSpan EditInterval = TimeSpan.FromSeconds(2);

    private static readonly int StormSize =
        int.TryParse(Environment.GetEnvironmentVariable("TEST_STORM_ALERTS"), out int size) && size >= 6 ? size : 24;

    /// <summary>Detection times well inside the first poll's look-back, one minute apart.</summary>
    private static readonly DateTimeOffset FirstDetected = WholeMinute(DateTimeOffset.UtcNow.AddHours(-4));

    private readonly string _prefix = RedisServer.UniquePrefix();
    private BotApp? _bot;
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private static string[] AlertIds => [.. Enumerable.Range(1, StormSize).Select(Id)];

    private static string Id(int i) => $"alert-{i:D4}";

    private static int Number(string alertId) => int.Parse(alertId.AsSpan(6), CultureInfo.InvariantCulture);

    /// <summary>Three subscriptions whose ids differ in their first group (the button shows it).</summary>
    private static string Subscription(int i) => string.Concat(Enumerable.Repeat((char)('a' + (i % 3)), 8)) + "-0000-4000-8000-00000000000" + (i % 3);

    private static string Severity(int i) => i % 2 == 0 ? "high" : "medium";

    private static string Type(int i) => i % 4 == 0 ? CryptoType : VmType;

    private static DateTimeOffset Detected(int i) => FirstDetected.AddMinutes(i);

    private static DateTimeOffset WholeMinute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private RecordedRequest[] Patches => [.. _fakes.GraphRequests.Where(r => r.Method == "PATCH")];

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers[Customer] = CustomerName;
        _fakes.GraphPageSize = 50;
        _fakes.Connector.EnforceTeamsLimits = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task Storm_OneCustomer_OneStormCardEditedBoundedTimesShowsTheCounts()
    {
        DateTime start = DateTime.UtcNow;
        await StartStormAsync();

        await WaitForAsync(() => RootShows(Totals(StormSize, StormSize, 0)), TimeSpan.FromMinutes(2));
        await SettledAsync();
        TimeSpan elapsed = DateTime.UtcNow - start;

        Assert.Single(_fakes.Connector.StormRoots(Channel, Customer, CustomerName));
        Dictionary<string, string> facts = Facts();
        foreach (IGrouping<string, int> severity in Enumerable.Range(1, StormSize).GroupBy(Severity))
        {
            Assert.Equal(Row(severity.Count(), severity.Count()), facts[CultureInfo.InvariantCulture.TextInfo.ToTitleCase(severity.Key)]);
        }

        foreach (IGrouping<string, int> type in Enumerable.Range(1, StormSize).GroupBy(Type))
        {
            Assert.Equal(Row(type.Count(), type.Count()), facts[AlertCards.HumanizeAlertType(type.Key)!]);
        }

        foreach (IGrouping<string, int> subscription in Enumerable.Range(1, StormSize).GroupBy(Subscription))
        {
            Assert.Equal(Row(subscription.Count(), subscription.Count()), facts[subscription.Key]);
        }

        Assert.Equal(Local(Detected(1)), facts["Oldest detected"]);
        Assert.Equal(Local(Detected(StormSize)), facts["Newest detected"]);
        // Debounced: at most one edit per interval (plus the first), however many alerts arrived.
        int edits = RootEdits();
        TestContext.Current.TestOutputHelper?.WriteLine($"{StormSize} alerts: the storm card was edited {edits} times in {elapsed.TotalSeconds:F0} s");
        Assert.InRange(edits, 1, (int)(elapsed / EditInterval) + 2);
        await Task.Delay(EditInterval * 2, Ct);
        Assert.Equal(edits, RootEdits());
        Assert.True(0 == _fakes.Connector.LimitViolations, Describe());
    }

    [Fact]
    public async Task Decisions_SingleGraphChangeAndBulkForOneSubscription_CountsFollowOnlyThatSubscriptionTouched()
    {
        await StartStormAsync();
        await WaitForAsync(() => RootShows(Totals(StormSize, StormSize, 0)), TimeSpan.FromMinutes(2));

        // One by one on its card.
        string single = Id(1);
        (HttpStatusCode status, _) = await ClickAlertAsync(single, "Legitimate");
        Assert.Equal(HttpStatusCode.OK, status);
        await WaitForAsync(() => RootShows(Totals(StormSize, StormSize - 1, 1)), TimeSpan.FromMinutes(1));

        // Decided in Partner Center (Graph), seen by the poller.
        string elsewhere = Id(4);
        _fakes.Alerts[elsewhere]["status"] = "resolved";
        _fakes.Alerts[elsewhere]["resolvedReason"] = "ignore";
        await WaitForAsync(() => RootShows(Totals(StormSize, StormSize - 2, 2)), TimeSpan.FromMinutes(1));

        // All open alerts of one subscription, from the storm card.
        string subscription = Subscription(2);
        string[] expected = [.. AlertIds.Where(a => Subscription(Number(a)) == subscription && a != single && a != elsewhere)];
        JsonObject ignore = SubscriptionButton(subscription, "Subscription's open: Ignore");
        (_, JsonObject confirm) = await ClickRootAsync(ignore);
        JsonObject mark = TriageScenario.FindAction(confirm, $"Mark {expected.Length} alerts") ?? throw new InvalidOperationException(confirm.ToJsonString());
        int patchesBefore = Patches.Length;
        (status, _) = await ClickRootAsync(mark);
        Assert.Equal(HttpStatusCode.OK, status);

        int decided = 2 + expected.Length;
        await WaitForAsync(() => RootShows("Finished.") && RootShows(Totals(StormSize, StormSize - decided, decided)), TimeSpan.FromMinutes(3));
        RecordedRequest[] bulk = Patches[patchesBefore..];
        Assert.Equal(expected.Order(StringComparer.Ordinal), bulk.Select(p => p.RawTarget[(p.RawTarget.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        Assert.All(bulk, p => Assert.Equal("ignore", (string?)p.Json!["resolvedReason"]));
        Assert.All(AlertIds.Except([single, elsewhere, .. expected]), a => Assert.Equal("active", (string?)_fakes.Alerts[a]["status"]));
        Assert.Equal(Row(AlertIds.Count(a => Subscription(Number(a)) == subscription), 0), Facts()[subscription]);
        Assert.True(RootShows("Bulk for one subscription"));
        Assert.True(0 == _fakes.Connector.LimitViolations, Describe());
    }

    [Fact]
    public async Task StormCardDeleted_NextRenderFindsItGone_NeverEditedAgain()
    {
        await StartStormAsync();
        await WaitForAsync(() => RootShows(Totals(StormSize, StormSize, 0)), TimeSpan.FromMinutes(2));
        DeliveredMessage root = Root;
        root.Delete(DateTimeOffset.UtcNow);

        _fakes.Alerts[Id(2)]["status"] = "investigating";
        await WaitForAsync(() => _fakes.Connector.Attempts.Any(a => a.Method == "PUT" && a.ActivityId == root.Id && a.Outcome == SendOutcome.NotDelivered), TimeSpan.FromMinutes(1));
        IStormOverviewLedger ledger = _bot!.Services.GetRequiredService<IStormOverviewLedger>();
        await WaitForAsync(() => !ledger.IsPendingAsync(Customer, Channel).Result, TimeSpan.FromSeconds(30));
        int attempts = RootAttempts(root.Id);

        int cardEdits = _fakes.Connector.Attempts.Count(a => a.Method == "PUT" && a.AlertId == Id(3));
        _fakes.Alerts[Id(3)]["status"] = "investigating";
        await WaitForAsync(() => _fakes.Connector.Attempts.Count(a => a.Method == "PUT" && a.AlertId == Id(3)) > cardEdits, TimeSpan.FromMinutes(1));
        await SettledAsync();

        Assert.Null(await ledger.GetRootAsync(Customer, Channel));
        Assert.Equal(attempts, RootAttempts(root.Id));
    }

    private void StartBot()
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:StormThreshold"] = "3";
        settings["Alerts:StormWindow"] = "00:10:00";
        settings["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;
        settings["StormOverview:EditInterval"] = "00:00:02";
        settings["StormOverview:CheckInterval"] = "00:00:00.200";
        settings["BulkTriage:ProgressInterval"] = "00:00:02";
        settings["BulkTriage:IdleDelay"] = "00:00:00.200";
        _bot = new BotApp(settings);
        _ = _bot.Server;
    }

    /// <summary>A bot with a subscribed channel and a storm of <see cref="StormSize"/> alerts of one customer, every card posted.</summary>
    private async Task StartStormAsync()
    {
        StartBot();
        using (HttpResponseMessage response = await _bot!.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token))
        {
            response.EnsureSuccessStatusCode();
        }

        for (int i = 1; i <= StormSize; i++)
        {
            JsonObject alert = _fakes.AddAlert(Id(i), Customer, Severity(i), detected: Detected(i));
            alert["subscriptionId"] = Subscription(i);
            alert["alertType"] = Type(i);
        }

        await WaitForAsync(() => AlertIds.All(id => _fakes.Connector.AlertCards(Channel, id).Count == 1), TimeSpan.FromMinutes(3));
    }

    private DeliveredMessage Root => Assert.Single(_fakes.Connector.StormRoots(Channel, Customer, CustomerName));

    private bool RootShows(string text) => _fakes.Connector.StormRoots(Channel, Customer, CustomerName) is [{ } root] && root.Json.Contains(text, StringComparison.Ordinal);

    private int RootEdits() => RootAttempts(Root.Id);

    private int RootAttempts(string rootId) => _fakes.Connector.Attempts.Count(a => a.Method == "PUT" && a.ActivityId == rootId);

    private static string Totals(int total, int open, int decided) => $"{total} alerts: {open} open (0 investigating), {decided} decided";

    private static string Row(int total, int open) => $"{total} ({open} open)";

    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC)";

    /// <summary>Every fact on the storm card's overview, title → value.</summary>
    private Dictionary<string, string> Facts()
    {
        JsonNode overview = Find(Root.Activity, o => (string?)o["id"] == "tab-storm-overview") ?? throw new InvalidOperationException("no overview on the storm card");
        return Objects(overview)
            .Where(o => (string?)o["type"] == "FactSet")
            .SelectMany(o => o["facts"]!.AsArray())
            .ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!, StringComparer.Ordinal);
    }

    /// <summary>A verdict button in a subscription's bulk choice on the storm card.</summary>
    private JsonObject SubscriptionButton(string subscription, string title)
    {
        JsonNode show = Find(Root.Activity, o => (string?)o["type"] == "Action.ShowCard" && ((string?)o["title"] ?? string.Empty).StartsWith(subscription[..8], StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no bulk choice for {subscription}");
        return TriageScenario.FindAction(show, title) ?? throw new InvalidOperationException($"no {title}");
    }

    private static JsonObject? Find(JsonNode? node, Func<JsonObject, bool> match) => Objects(node).FirstOrDefault(match);

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Objects(p.Value))],
        JsonArray a => a.SelectMany(Objects),
        _ => [],
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> ClickRootAsync(JsonObject data)
    {
        DeliveredMessage root = Root;
        return await ClickAsync(BulkActionData.BulkVerb, data, $"{Channel};messageid={root.Id}", root.Id);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ClickAlertAsync(string alertId, string title)
    {
        AlertCardPost card = (await _bot!.Services.GetRequiredService<IAlertLedger>().GetCardAsync(alertId, Channel))!;
        JsonObject data = TriageScenario.FindAction(_fakes.Connector.AlertCards(Channel, alertId).Single().Activity, title) ?? throw new InvalidOperationException($"no {title}");
        return await ClickAsync(TriageActionData.TriageVerb, data, card.CardConversationId, card.ActivityId);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ClickAsync(string verb, JsonObject data, string conversation, string replyTo)
    {
        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, verb, data);
        click["conversation"]!["id"] = conversation;
        click["replyToId"] = replyTo;
        click["from"]!["aadObjectId"] = Analyst;
        using HttpResponseMessage response = await _bot!.PostActivityAsync(click, Token);
        string text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }

    /// <summary>Waits until no storm card render is due or running and a few edit intervals passed without one.</summary>
    private async Task SettledAsync()
    {
        IStormOverviewLedger ledger = _bot!.Services.GetRequiredService<IStormOverviewLedger>();
        await WaitForAsync(() => !ledger.IsPendingAsync(Customer, Channel).Result, TimeSpan.FromSeconds(30));
        await Task.Delay(EditInterval * 3, Ct);
        Assert.False(await ledger.IsPendingAsync(Customer, Channel));
    }

    private string Describe() =>
        string.Join("\n", _fakes.Connector.Attempts.Select(a => $"{a.At:HH:mm:ss.fff} {a.Method} {a.Fault} {a.AlertId} {a.ActivityId}"));

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(condition(), "timed out waiting");
    }
}
