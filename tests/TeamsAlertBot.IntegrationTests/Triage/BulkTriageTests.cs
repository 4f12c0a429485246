using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// Bulk triage from a storm card, end to end on the HTTPS fakes and a real Redis: one click and a
/// confirmation that states the count mark every open alert of the customer in Graph, every card
/// shows the verdict, the storm card shows the progress, two concurrent bulk actions run as one, an
/// alert decided one by one meanwhile is left alone, and no send exceeds Teams' limits (the connector
/// fake enforces them). TEST_BULK_ALERTS sets the storm's size (default 12; the 120 takes
/// about two minutes at Teams' limits).
/// </summary>
public sealed class BulkTriageTests(RedisServer redis) : IAsyncLifetime
{
    private const string Analyst = TriageScenario.Analyst;
    private const string Customer = TriageScenario.CustomerTenantId;
    private const string CustomerName = "Contoso Ltd";
    private const string Channel = TeamsActivities.ChannelId;

    private static readonly int StormSize =
        int.TryParse(Environment.GetEnvironmentVariable("TEST_BULK_ALERTS"), out int size) && size > 0 ? size : 12;

    private readonly List<BotApp> _bots = [];
    private readonly string _prefix = RedisServer.UniquePrefix();
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private static string[] AlertIds => [.. Enumerable.Range(1, StormSize).Select(i => $"alert-{i:D4}")];

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
        foreach (BotApp bot in _bots)
        {
            await bot.DisposeAsync();
        }

        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task BulkFraud_FromStormCard_EveryAlertPatchedEveryCardShowsVerdictWithinTeamsLimits()
    {
        BotApp bot = await StartStormAsync();

        JsonObject confirm = await ProposeAsync(bot, "Fraud");
        Assert.NotNull(TriageScenario.FindAction(confirm, $"Mark {StormSize} alerts"));
        (HttpStatusCode status, JsonObject started) = await ClickRootAsync(bot, TriageScenario.FindAction(confirm, $"Mark {StormSize} alerts")!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"of {StormSize} updated", started.ToJsonString(), StringComparison.Ordinal);
        await WaitForAsync(() => AlertIds.All(CardShowsVerdict) && RootShows($"{StormSize} of {StormSize} updated Finished."), TimeSpan.FromMinutes(5));
        Assert.Equal(StormSize, Patches.Length);
        Assert.All(Patches, p => Assert.Equal("fraud", (string?)p.Json!["resolvedReason"]));
        Assert.Equal(StormSize, Patches.Select(p => p.RawTarget).Distinct().Count());
        AuditEntry audit = Assert.Single(await bot.Services.GetRequiredService<ITriageLedger>().ReadAuditAsync(AlertIds[^1]));
        Assert.Equal(("Fraud", AuditVocabulary.Applied, Analyst), (audit.Action, audit.Outcome, audit.ActorObjectId));
        Assert.StartsWith("Bulk Fraud of", audit.Comment, StringComparison.Ordinal);
        Assert.True(0 == _fakes.Connector.LimitViolations, string.Join("\n", _fakes.Connector.Attempts.Select(a => $"{a.At:HH:mm:ss.fff} {a.Method} {a.Fault} {a.AlertId}")));
    }

    [Fact]
    public async Task Confirm_TwoBulkActionsAtOnce_OneRunsTheOtherIsToldItIsBusy()
    {
        BotApp bot = await StartStormAsync();
        JsonObject fraud = TriageScenario.FindAction(await ProposeAsync(bot, "Fraud"), $"Mark {StormSize} alerts")!;
        JsonObject legitimate = TriageScenario.FindAction(await ProposeAsync(bot, "Legitimate"), $"Mark {StormSize} alerts")!;

        (HttpStatusCode, JsonObject)[] answers = await Task.WhenAll(ClickRootAsync(bot, fraud), ClickRootAsync(bot, legitimate));

        Assert.Single(answers, a => a.Item2.ToJsonString().Contains("is running a bulk action", StringComparison.Ordinal));
        await WaitForAsync(() => AlertIds.All(CardShowsVerdict), TimeSpan.FromMinutes(5));
        await WaitForAsync(() => bot.Services.GetRequiredService<TeamsAlertBot.Triage.Bulk.BulkTriageLedger>().GetActiveAsync().Result is null, TimeSpan.FromSeconds(30));
        Assert.Equal(StormSize, Patches.Length);
        Assert.Single(Patches.Select(p => (string?)p.Json!["resolvedReason"]).Distinct());
    }

    [Fact]
    public async Task Confirm_AlertDecidedOneByOneMeanwhile_IsLeftAlone()
    {
        BotApp bot = await StartStormAsync();
        JsonObject confirm = TriageScenario.FindAction(await ProposeAsync(bot, "Fraud"), $"Mark {StormSize} alerts")!;
        string decided = AlertIds[0];
        ITriageLedger triage = bot.Services.GetRequiredService<ITriageLedger>();
        TriageRecord before = await triage.GetAsync(decided);
        (ClaimOutcome outcome, _) = await triage.TryClaimAsync(decided, before.Version, TriageVerdict.Legitimate, "Kenji", "k", null, DateTimeOffset.UtcNow);
        Assert.Equal(ClaimOutcome.Won, outcome);

        await ClickRootAsync(bot, confirm);

        await WaitForAsync(() => RootShows("Finished."), TimeSpan.FromMinutes(5));
        Assert.Equal(StormSize - 1, Patches.Length);
        Assert.DoesNotContain(Patches, p => p.RawTarget.EndsWith("/" + decided, StringComparison.Ordinal));
        Assert.Equal(TriageVerdict.Legitimate, (await triage.GetAsync(decided)).Verdict);
        Assert.True(RootShows("1 left alone"));
    }

    [Fact]
    public async Task Run_InstanceStopsMidway_AnotherInstanceFinishesIt()
    {
        BotApp first = await StartStormAsync();
        // Graph answers slowly, so the first instance is stopped with most of the run still to do.
        _fakes.GraphPatchOverride = async _ =>
        {
            await Task.Delay(1000, CancellationToken.None);
            return null;
        };
        JsonObject confirm = TriageScenario.FindAction(await ProposeAsync(first, "Ignore"), $"Mark {StormSize} alerts")!;
        await ClickRootAsync(first, confirm);
        await WaitForAsync(() => Patches.Length >= 2, TimeSpan.FromSeconds(30));

        await first.DisposeAsync();
        _bots.Remove(first);
        int beforeTakeover = Patches.Length;
        Assert.True(beforeTakeover < StormSize, "the run finished before the instance stopped");
        _fakes.GraphPatchOverride = null;
        StartBot();

        await WaitForAsync(() => AlertIds.All(id => (string?)_fakes.Alerts[id]["status"] == "resolved") && RootShows("Finished."), TimeSpan.FromMinutes(5));
        Assert.All(AlertIds, id => Assert.Equal("ignore", (string?)_fakes.Alerts[id]["resolvedReason"]));
    }

    private BotApp StartBot()
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:DispatchIdleDelay"] = "00:00:00.050";
        settings["Alerts:StormThreshold"] = "3";
        settings["Alerts:StormWindow"] = "00:10:00";
        settings["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;
        settings["BulkTriage:ProgressInterval"] = "00:00:02";
        settings["BulkTriage:IdleDelay"] = "00:00:00.200";
        settings["BulkTriage:Lease"] = "00:00:03";
        var bot = new BotApp(settings);
        _bots.Add(bot);
        _ = bot.Server;
        return bot;
    }

    /// <summary>A bot with a subscribed channel and a storm of <see cref="StormSize"/> alerts of one customer, every card posted.</summary>
    private async Task<BotApp> StartStormAsync()
    {
        BotApp bot = StartBot();
        using (HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token))
        {
            response.EnsureSuccessStatusCode();
        }

        foreach (string id in AlertIds)
        {
            _fakes.AddAlert(id, Customer);
        }

        await WaitForAsync(() => AlertIds.All(id => _fakes.Connector.AlertCards(Channel, id).Count == 1), TimeSpan.FromMinutes(3));
        return bot;
    }

    private DeliveredMessage Root => Assert.Single(_fakes.Connector.StormRoots(Channel, Customer, CustomerName));

    private bool RootShows(string text) => Root.Json.Contains(text, StringComparison.Ordinal);

    private bool CardShowsVerdict(string alertId) =>
        _fakes.Connector.AlertCards(Channel, alertId) is [{ } card] && card.Json.Contains("Bulk ", StringComparison.Ordinal) && card.Json.Contains("Reopen", StringComparison.Ordinal);

    /// <summary>Clicks "All open: {verdict}" on the storm card; the confirmation card.</summary>
    private async Task<JsonObject> ProposeAsync(BotApp bot, string verdict)
    {
        JsonObject button = TriageScenario.FindAction(Root.Activity, $"All open: {verdict}") ?? throw new InvalidOperationException("no bulk button");
        (HttpStatusCode status, JsonObject answer) = await ClickRootAsync(bot, button);
        Assert.Equal(HttpStatusCode.OK, status);
        return answer;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ClickRootAsync(BotApp bot, JsonObject data)
    {
        DeliveredMessage root = Root;
        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, BulkActionData.BulkVerb, data);
        click["conversation"]!["id"] = $"{Channel};messageid={root.Id}";
        click["replyToId"] = root.Id;
        click["from"]!["aadObjectId"] = Analyst;
        using HttpResponseMessage response = await bot.PostActivityAsync(click, Token);
        string text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }

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
