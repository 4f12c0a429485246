using System.Net;
using System.Text.Json.Nodes;
using TeamsAlertBot.Core.Triage;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage.Bulk;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// Bulk triage from an <c>alerts …</c> list and from the backfill card, end to end on the HTTPS fakes
/// and a real Redis: a list with more matches than one page decides every alert it matches (each
/// once in Graph, each card edited, the progress on the list card); "every open alert detected more
/// than N days ago" decides exactly the old ones; two confirmations from different cards at once run
/// as one; only who proposed may confirm; the service alone (as a web API would call it) decides
/// explicit alert ids without any card.
/// </summary>
public sealed class BulkSelectionFlowTests(RedisServer redis) : IAsyncLifetime
{
    private const string Analyst = TriageScenario.Analyst;
    private const string Contoso = TriageScenario.CustomerTenantId;
    private const string Northwind = "6a1d2c3b-0000-4000-8000-00000000c002";
    private const string Channel = TeamsActivities.ChannelId;

    /// <summary>The thread of <see cref="TeamsActivities.ChannelMessage"/>: where a command's answer goes.</summary>
    private const string AskedIn = "1732791234567";

    private readonly List<BotApp> _bots = [];
    private readonly string _prefix = RedisServer.UniquePrefix();
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private RecordedRequest[] Patches => [.. _fakes.GraphRequests.Where(r => r.Method == "PATCH")];

    private string[] PatchedIds => [.. Patches.Select(p => p.RawTarget[(p.RawTarget.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal)];

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers[Contoso] = "Contoso Ltd";
        _fakes.Customers[Northwind] = "Northwind Traders";
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
    public async Task BulkIgnore_FromAlertsListOfTwoPages_EveryMatchingAlertPatchedOnceCardsEditedListShowsProgress()
    {
        BotApp bot = StartBot();
        await SubscribeAsync(bot, summary: false);
        string[] matching = [.. Enumerable.Range(1, 12).Select(i => $"alert-m{i:D2}")];
        string[] others = ["alert-x01", "alert-x02", "alert-x03"];
        for (int i = 0; i < matching.Length; i++)
        {
            _fakes.AddAlert(matching[i], i % 2 == 0 ? Contoso : Northwind);
        }

        foreach (string id in others)
        {
            _fakes.AddAlert(id, Contoso)["alertType"] = "CryptoMining";
        }

        _fakes.AddAlert("alert-m99", Contoso, status: "resolved");
        await WaitForAsync(() => matching.Concat(others).All(id => _fakes.Connector.AlertCards(Channel, id).Count == 1), TimeSpan.FromMinutes(2));

        DeliveredMessage list = await AskAsync(bot, "alerts type VM_Anomalous", "All 12 matching: Ignore");
        Assert.Contains("page 1 of 2", list.Json, StringComparison.Ordinal);
        JsonObject confirm = await ClickAsync(bot, list, Button(list.Activity, "All 12 matching: Ignore"));
        Assert.Contains("Mark 12 open alerts", confirm.ToJsonString(), StringComparison.Ordinal);
        JsonObject started = await ClickAsync(bot, list, Button(confirm, "Mark 12 alerts"));

        Assert.Contains("of 12 updated", started.ToJsonString(), StringComparison.Ordinal);
        await WaitForAsync(
            () => matching.All(CardShowsVerdict) && Shows(list, "12 of 12 updated Finished."), TimeSpan.FromMinutes(3));
        Assert.Equal(matching.Order(StringComparer.Ordinal), PatchedIds);
        Assert.All(Patches, p => Assert.Equal("ignore", (string?)p.Json!["resolvedReason"]));
        Assert.All(others, id => Assert.Equal("active", (string?)_fakes.Alerts[id]["status"]));
        Assert.Contains("every open alert that matches", Current(list).Json, StringComparison.Ordinal);
        Assert.Equal(0, _fakes.Connector.LimitViolations);
    }

    [Fact]
    public async Task BulkLegitimate_FromBackfillCardOlderThan60Days_OnlyTheOldOnesPatched()
    {
        string[] old = ["alert-o100", "alert-o070", "alert-o061"];
        string[] recent = ["alert-r040", "alert-r005"];
        foreach (string id in old.Concat(recent))
        {
            _fakes.AddAlert(id, Contoso, detected: DateTimeOffset.UtcNow.AddDays(-int.Parse(id[^3..], System.Globalization.CultureInfo.InvariantCulture)));
        }

        BotApp bot = StartBot();
        DeliveredMessage summary = await SubscribeAsync(bot);
        JsonObject button = Button(summary.Activity, "All of them: Legitimate");
        button[BulkActionData.AgeInputId] = "60";
        JsonObject confirm = await ClickAsync(bot, summary, button);
        Assert.Contains("Mark 3 open alerts (every open alert detected more than 60 days ago)", confirm.ToJsonString(), StringComparison.Ordinal);
        await ClickAsync(bot, summary, Button(confirm, "Mark 3 alerts"));

        await WaitForAsync(() => Shows(summary, "3 of 3 updated Finished."), TimeSpan.FromMinutes(2));
        Assert.Equal(old.Order(StringComparer.Ordinal), PatchedIds);
        Assert.All(recent, id => Assert.Equal("active", (string?)_fakes.Alerts[id]["status"]));
    }

    [Fact]
    public async Task BackfillAgeButton_AgeNotOffered_NothingProposed()
    {
        _fakes.AddAlert("alert-o100", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-100));
        BotApp bot = StartBot();
        DeliveredMessage summary = await SubscribeAsync(bot);
        JsonObject button = Button(summary.Activity, "All of them: Fraud");
        button[BulkActionData.AgeInputId] = "1";

        JsonObject answer = await ClickAsync(bot, summary, button);

        Assert.Contains("Choose how old the alerts must be", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(Button(answer, "Mark 1 alerts", required: false));
    }

    [Fact]
    public async Task Confirm_ListAndBackfillAtOnce_OneRunsTheOtherIsToldItIsBusy()
    {
        string[] ids = [.. Enumerable.Range(1, 4).Select(i => $"alert-c{i:D2}")];
        foreach (string id in ids)
        {
            _fakes.AddAlert(id, Contoso, detected: DateTimeOffset.UtcNow.AddDays(-100));
        }

        BotApp bot = StartBot();
        DeliveredMessage summary = await SubscribeAsync(bot);
        JsonObject age = Button(summary.Activity, "All of them: Fraud");
        age[BulkActionData.AgeInputId] = "90";
        JsonObject fraud = Button(await ClickAsync(bot, summary, age), "Mark 4 alerts");
        DeliveredMessage list = await AskAsync(bot, "alerts", "All 4 matching: Legitimate");
        JsonObject legitimate = Button(await ClickAsync(bot, list, Button(list.Activity, "All 4 matching: Legitimate")), "Mark 4 alerts");

        JsonObject[] answers = await Task.WhenAll(ClickAsync(bot, summary, fraud), ClickAsync(bot, list, legitimate));

        Assert.Single(answers, a => a.ToJsonString().Contains("is running a bulk action", StringComparison.Ordinal));
        await WaitForAsync(() => ids.All(id => (string?)_fakes.Alerts[id]["status"] == "resolved"), TimeSpan.FromMinutes(2));
        Assert.Equal(ids.Length, Patches.Length);
        Assert.Single(Patches.Select(p => (string?)p.Json!["resolvedReason"]).Distinct());
    }

    [Fact]
    public async Task Confirm_BySomeoneElse_RefusedAndNothingRuns()
    {
        _fakes.AddAlert("alert-n01", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-100));
        BotApp bot = StartBot(extraTriager: "0b9c8d7e-0000-4000-8000-0000000000b2");
        DeliveredMessage summary = await SubscribeAsync(bot);
        JsonObject age = Button(summary.Activity, "All of them: Ignore");
        age[BulkActionData.AgeInputId] = "90";
        JsonObject confirm = Button(await ClickAsync(bot, summary, age), "Mark 1 alerts");

        JsonObject answer = await ClickAsync(bot, summary, confirm, from: "0b9c8d7e-0000-4000-8000-0000000000b2");

        Assert.Contains("who asked for this bulk action, can confirm it", answer.ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(500, Ct);
        Assert.Empty(Patches);
    }

    [Fact]
    public async Task Service_ExplicitIdsWithoutACard_OnlyOpenOnesProposedOnlyTheProposerConfirmsProgressReadable()
    {
        _fakes.AddAlert("alert-i01", Contoso);
        _fakes.AddAlert("alert-i02", Northwind);
        _fakes.AddAlert("alert-i03", Contoso, status: "resolved");
        BotApp bot = StartBot();
        BulkTriageService service = bot.Services.GetRequiredService<BulkTriageService>();
        var actor = new BulkActor("Web API user", Analyst);

        BulkProposal proposal = await service.ProposeAsync(
            actor, BulkSelection.Ids(["alert-i01", "alert-i02", "alert-i03", "alert-unknown"]), TriageVerdict.Investigating, BulkOrigin.None(), Ct);

        Assert.Equal(["alert-i01", "alert-i02"], proposal.AlertIds);
        Assert.Equal(BulkConfirmOutcome.NotProposer, (await service.ConfirmAsync(proposal.Id, new BulkActor("Someone", "0b9c8d7e-0000-4000-8000-0000000000b2"))).Outcome);
        BulkConfirmation started = await service.ConfirmAsync(proposal.Id, actor);
        Assert.Equal(BulkConfirmOutcome.Started, started.Outcome);
        await WaitForAsync(() => service.GetRunAsync(started.Run!.Id).GetAwaiter().GetResult() is { Progress.Done: true }, TimeSpan.FromSeconds(30));
        BulkRunStatus status = (await service.GetRunAsync(started.Run!.Id))!;
        Assert.Equal((2, 2, 0), (status.Progress.Total, status.Progress.Updated, status.Progress.Failed.Count));
        Assert.Equal(["alert-i01", "alert-i02"], PatchedIds);
        Assert.Equal(BulkConfirmOutcome.Expired, (await service.ConfirmAsync(proposal.Id, actor)).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => service.ProposeAsync(actor, BulkSelection.Ids([]), TriageVerdict.Fraud, BulkOrigin.None(), Ct));
    }

    private BotApp StartBot(string? extraTriager = null)
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:DispatchIdleDelay"] = "00:00:00.050";
        // One card per alert: no storm threads in these tests.
        settings["Alerts:StormThreshold"] = "100";
        settings["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;
        if (extraTriager is not null)
        {
            settings["Triage:Authorization:TriageUserObjectIds:1"] = extraTriager;
        }

        settings["BulkTriage:ProgressInterval"] = "00:00:01";
        settings["BulkTriage:IdleDelay"] = "00:00:00.200";
        var bot = new BotApp(settings);
        _bots.Add(bot);
        _ = bot.Server;
        return bot;
    }

    /// <summary>Subscribes the channel; the backfill summary card it answers with (when there are open alerts).</summary>
    private async Task<DeliveredMessage> SubscribeAsync(BotApp bot, bool summary = true)
    {
        using (HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token))
        {
            response.EnsureSuccessStatusCode();
        }

        if (!summary)
        {
            return null!;
        }

        DeliveredMessage? card = null;
        await WaitForAsync(() => (card = _fakes.Connector.DeliveredTo(Channel).FirstOrDefault(m => m.ReplyToId == AskedIn && m.Json.Contains("open alert", StringComparison.OrdinalIgnoreCase))) is not null, TimeSpan.FromSeconds(30));
        return card!;
    }

    /// <summary>Asks a command in the channel; its answer, found by a text it must show.</summary>
    private async Task<DeliveredMessage> AskAsync(BotApp bot, string text, string shows)
    {
        using (HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, text), Token))
        {
            response.EnsureSuccessStatusCode();
        }

        DeliveredMessage? answer = null;
        await WaitForAsync(() => (answer = _fakes.Connector.DeliveredTo(Channel).LastOrDefault(m => m.ReplyToId == AskedIn && m.Json.Contains(shows, StringComparison.Ordinal))) is not null, TimeSpan.FromSeconds(30));
        return answer!;
    }

    private DeliveredMessage Current(DeliveredMessage message) => _fakes.Connector.DeliveredTo(Channel).Single(m => m.Id == message.Id);

    private bool Shows(DeliveredMessage message, string text) => Current(message).Json.Contains(text, StringComparison.Ordinal);

    private bool CardShowsVerdict(string alertId) =>
        _fakes.Connector.AlertCards(Channel, alertId) is [{ } card] && card.Json.Contains("Bulk ", StringComparison.Ordinal) && card.Json.Contains("Reopen", StringComparison.Ordinal);

    private static JsonObject Button(JsonNode card, string title) => Button(card, title, required: true)!;

    private static JsonObject? Button(JsonNode card, string title, bool required)
    {
        JsonObject? data = TriageScenario.FindAction(card, title);
        Assert.True(data is not null || !required, $"no button '{title}' in {card.ToJsonString()}");
        return data?.DeepClone().AsObject();
    }

    /// <summary>Clicks a bulk button on a message in the channel's command thread; the invoke's answer.</summary>
    private async Task<JsonObject> ClickAsync(BotApp bot, DeliveredMessage message, JsonObject data, string from = Analyst)
    {
        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, BulkActionData.BulkVerb, data);
        click["conversation"]!["id"] = $"{Channel};messageid={message.ReplyToId ?? message.Id}";
        click["replyToId"] = message.Id;
        click["from"]!["aadObjectId"] = from;
        using HttpResponseMessage response = await bot.PostActivityAsync(click, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
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
