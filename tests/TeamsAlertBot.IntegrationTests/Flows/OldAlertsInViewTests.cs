using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Digest;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.Triage;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>
/// Old alerts stay in view (issue 12, deliverable 6), end to end on the HTTPS fakes and a real Redis:
/// the daily summary counts the open alerts detected before its 60-day window and its button lists
/// them; alerts that passed the 24-hour target while no card for them existed get one grouped
/// reminder per conversation — not one each, not silence — even with two instances and a restart.
/// </summary>
public sealed class OldAlertsInViewTests(RedisServer redis) : IAsyncLifetime
{
    private const string Contoso = TriageScenario.CustomerTenantId;
    private const string LeadObjectId = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b0a";
    private const string Grouped = "open alerts have waited more than";
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly List<BotApp> _bots = [];
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers[Contoso] = "Contoso Ltd";
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
    public async Task Summary_OpenAlertsOlderThanItsWindow_CountedAndItsButtonListsExactlyThem()
    {
        _fakes.AddAlert("alert-d090", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-90));
        _fakes.AddAlert("alert-d070", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-70));
        _fakes.AddAlert("alert-d005", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-5));
        BotApp bot = StartBot(clock: null, s => s["Triage:Authorization:TriageUserObjectIds:0"] = TriageScenario.Analyst);

        await SayAsync(bot, "summary");

        await WaitForAsync(() => Posts("open alerts were detected more than 60 days ago").Length > 0);
        JsonNode card = Assert.Single(Posts("open alerts were detected more than 60 days ago")).Json!["attachments"]![0]!["content"]!;
        Assert.Contains("2 open alerts were detected more than 60 days ago", Text(card), StringComparison.Ordinal);
        // Where bulk triage runs, the summary also offers to decide them all.
        Assert.NotNull(TriageScenario.FindAction(card, "All of them: Ignore"));
        JsonObject list = TriageScenario.FindAction(card, "List them")!;

        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, QueryCards.RunVerb, list);
        using HttpResponseMessage response = await bot.PostActivityAsync(click, Token);
        string answer = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, answer);
        Assert.Contains("alert-d090", answer, StringComparison.Ordinal);
        Assert.Contains("alert-d070", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-d005", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_Japanese_OlderCountInJapanese()
    {
        _fakes.AddAlert("alert-d080", Contoso, detected: DateTimeOffset.UtcNow.AddDays(-80));
        BotApp bot = StartBot(clock: null);

        await SayAsync(bot, "サマリー", locale: "ja-JP");

        await WaitForAsync(() => Posts("60 日以上前に検出された未対応アラートが 1 件あります").Length > 0);
        Assert.NotNull(TriageScenario.FindAction(Assert.Single(Posts("60 日以上前に検出された未対応アラートが 1 件あります")).Json, "一覧を表示"));
    }

    [Fact]
    public async Task GroupedReminder_AlertsOverdueWithoutACard_OnePerConversationAcrossTwoInstancesAndARestart()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        // Detected before the bot was added to the channel: no card is posted for them.
        _fakes.AddAlert("alert-g050", Contoso, detected: start.AddHours(-50));
        _fakes.AddAlert("alert-g030", Contoso, detected: start.AddHours(-30));
        _fakes.AddAlert("alert-g002", Contoso, detected: start.AddHours(-2));
        BotApp first = StartBot(clock, SlaOn);
        StartBot(clock, SlaOn);
        await SayAsync(first, "subscribe");

        await AdvanceAsync(clock, TimeSpan.FromMinutes(5), () => Posts(Grouped).Length > 0);
        await WaitForAsync(() => Posts(Grouped).Length > 0);
        await AdvanceAsync(clock, TimeSpan.FromMinutes(5));
        await Task.Delay(1000, Ct);
        RecordedRequest reminder = Assert.Single(Posts(Grouped));
        string text = (string)reminder.Json!["activity"]!["text"]!;
        Assert.StartsWith("<at>Lead Person</at> Reminder: 2 open alerts", text, StringComparison.Ordinal);
        Assert.Contains("alert-g050", text, StringComparison.Ordinal);
        Assert.Contains("alert-g030", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-g002", text, StringComparison.Ordinal);
        Assert.Equal(LeadObjectId, (string?)reminder.Json!["activity"]!["entities"]![0]!["mentioned"]!["id"]);

        // A restart (both instances gone, a new one): nothing is repeated.
        foreach (BotApp bot in _bots.ToArray())
        {
            await bot.DisposeAsync();
            _bots.Remove(bot);
        }

        StartBot(clock, SlaOn);
        await AdvanceAsync(clock, TimeSpan.FromMinutes(5));
        await Task.Delay(1500, Ct);
        Assert.Single(Posts(Grouped));

        // An alert that passes the target later without a card (missed) gets a reminder of its own, not silence.
        _fakes.AddAlert("alert-g026", Contoso, detected: clock.GetUtcNow().AddHours(-26));
        await AdvanceAsync(clock, TimeSpan.FromMinutes(5), () => Posts(Grouped).Length > 1);
        await WaitForAsync(() => Posts(Grouped).Length > 1);
        string second = (string)Posts(Grouped)[1].Json!["activity"]!["text"]!;
        Assert.Contains("alert-g026", second, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-g050", second, StringComparison.Ordinal);
    }

    private BotApp StartBot(FakeTimeProvider? clock, Action<Dictionary<string, string?>>? configure = null)
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:PollInterval"] = "00:00:00.200";
        configure?.Invoke(settings);
        var bot = new BotApp(settings, testServices: clock is null ? null : services =>
            services.AddKeyedSingleton<TimeProvider>(ScheduleClock.Key, clock));
        _bots.Add(bot);
        _ = bot.Server;
        return bot;
    }

    private static void SlaOn(Dictionary<string, string?> settings)
    {
        settings["Sla:Enabled"] = "true";
        settings["Sla:EscalateAfter"] = "1.00:00:00";
        settings["Sla:CheckInterval"] = "00:01:00";
        settings["Sla:ClaimDuration"] = "00:00:05";
        settings["Sla:Escalation:0:Id"] = LeadObjectId;
        settings["Sla:Escalation:0:Name"] = "Lead Person";
    }

    private async Task SayAsync(BotApp bot, string text, string locale = "en-US")
    {
        using HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, text, locale), Token);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Connector posts whose (decoded) body contains <paramref name="text"/>.</summary>
    private RecordedRequest[] Posts(string text) =>
        [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST" && (r.Json?.ToJsonString(Readable) ?? r.Body).Contains(text, StringComparison.Ordinal))];

    private static string Text(JsonNode node) => node.ToJsonString(Readable);

    /// <summary>Moves the schedule clock on a minute at a time (letting the bots run in between).</summary>
    private static async Task AdvanceAsync(FakeTimeProvider clock, TimeSpan by, Func<bool>? stopWhen = null)
    {
        DateTimeOffset until = clock.GetUtcNow() + by;
        while (clock.GetUtcNow() < until && stopWhen?.Invoke() != true)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(150, Ct);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, int seconds = 20)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition(), "timed out waiting");
    }
}
