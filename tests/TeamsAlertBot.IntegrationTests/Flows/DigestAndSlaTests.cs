using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Digest;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>
/// The daily summary, the <c>summary</c> command and the SLA reminders end to end: the whole bot on
/// the loopback fakes and a real redis-server, two instances where it matters, and the schedules
/// driven by a fake clock (the bot's schedule clock; everything else runs on the real one).
/// </summary>
public sealed class DigestAndSlaTests(RedisServer redis) : IAsyncLifetime
{
    private const string CustomerA = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string EnglishTitle = "Daily partner security alert summary";
    private const string JapaneseTitle = "パートナー セキュリティ アラートの日次サマリー";
    private const string OnCallId = "29:1OnCallPersonTeamsId";
    private const string LeadObjectId = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b0a";
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    private BotApp StartBot(FakeTimeProvider? clock, Action<Dictionary<string, string?>>? configure = null)
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, _prefix);
        settings["Alerts:DisplayTimeZone"] = "Asia/Tokyo";
        configure?.Invoke(settings);
        var bot = new BotApp(settings, testServices: clock is null ? null : services =>
            services.AddKeyedSingleton<TimeProvider>(ScheduleClock.Key, clock));
        _bots.Add(bot);
        _ = bot.Server;
        return bot;
    }

    private static void DigestOn(Dictionary<string, string?> settings)
    {
        settings["Digest:Enabled"] = "true";
        settings["Digest:SendAt"] = "08:30";
        settings["Digest:TimeZone"] = "Asia/Tokyo";
        settings["Digest:CheckInterval"] = "00:05:00";
    }

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private async Task SayAsync(BotApp bot, string text, string locale = "en-US")
    {
        using HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, text, locale), Token);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Connector posts whose (decoded) body contains <paramref name="text"/>.</summary>
    private RecordedRequest[] Posts(string text) =>
        [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST" && Decoded(r).Contains(text, StringComparison.Ordinal))];

    private static string Decoded(RecordedRequest request) =>
        request.Json?.ToJsonString(Readable) ?? request.Body;

    /// <summary>08:00 in Tokyo, two days from now (so every subscription made now precedes its send time).</summary>
    private static DateTimeOffset TokyoMorning()
    {
        DateOnly day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Tokyo).DateTime).AddDays(2);
        return DigestSchedule.ToInstant(day.ToDateTime(new TimeOnly(8, 0)), Tokyo);
    }

    /// <summary>Moves the clock on by <paramref name="step"/> at a time (letting the bots run in between) up to <paramref name="until"/>.</summary>
    private static async Task AdvanceToAsync(FakeTimeProvider clock, DateTimeOffset until, TimeSpan step, Func<bool>? stopWhen = null)
    {
        while (clock.GetUtcNow() < until && stopWhen?.Invoke() != true)
        {
            TimeSpan left = until - clock.GetUtcNow();
            clock.Advance(left < step ? left : step);
            await Task.Delay(60, Ct);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, int seconds = 15)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition(), "timed out waiting");
    }

    [Fact]
    public async Task DailySummary_TwoInstances_SentOncePerDayPerChannelAtTheLocalTime()
    {
        DateTimeOffset morning = TokyoMorning();
        var clock = new FakeTimeProvider(morning);
        _fakes.AddAlert("alert-0600", CustomerA, detected: morning.AddHours(-30));
        BotApp first = StartBot(clock, DigestOn);
        StartBot(clock, DigestOn);
        await SayAsync(first, "subscribe");

        // Until 08:29 nothing, whatever the two instances check.
        await AdvanceToAsync(clock, morning.AddMinutes(29), TimeSpan.FromMinutes(1));
        await Task.Delay(1000, Ct);
        Assert.Empty(Posts(EnglishTitle));

        // 08:30: exactly one summary, as a new thread in the channel, with the day's content.
        await AdvanceToAsync(clock, morning.AddMinutes(45), TimeSpan.FromMinutes(1), () => Posts(EnglishTitle).Length > 0);
        await WaitForAsync(() => Posts(EnglishTitle).Length > 0);
        await AdvanceToAsync(clock, morning.AddHours(3), TimeSpan.FromMinutes(5));
        await Task.Delay(1500, Ct);
        RecordedRequest summary = Assert.Single(Posts(EnglishTitle));
        Assert.EndsWith("/v3/conversations", summary.RawTarget, StringComparison.Ordinal);
        string body = Decoded(summary);
        Assert.Contains("1 open alerts detected in the last 60 days; 1 of them have no verdict yet.", body, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", body, StringComparison.Ordinal);
        Assert.Contains("waiting 30 h", body, StringComparison.Ordinal);

        // The next day: one more, not before its 08:30.
        clock.Advance(morning.AddDays(1) - clock.GetUtcNow());
        await AdvanceToAsync(clock, morning.AddDays(1).AddMinutes(29), TimeSpan.FromMinutes(1));
        await Task.Delay(1000, Ct);
        Assert.Single(Posts(EnglishTitle));
        await AdvanceToAsync(clock, morning.AddDays(1).AddHours(2), TimeSpan.FromMinutes(5), () => Posts(EnglishTitle).Length > 1);
        await WaitForAsync(() => Posts(EnglishTitle).Length > 1);
        await AdvanceToAsync(clock, morning.AddDays(1).AddHours(4), TimeSpan.FromMinutes(5));
        await Task.Delay(1500, Ct);
        Assert.Equal(2, Posts(EnglishTitle).Length);
    }

    [Fact]
    public async Task DailySummary_NoInstanceAtSendTime_SentOnceWhenOneStartsLaterThatDay_InTheChannelsLanguage()
    {
        DateTimeOffset morning = TokyoMorning();
        var clock = new FakeTimeProvider(morning);
        BotApp before = StartBot(clock, DigestOn);
        await SayAsync(before, "購読", locale: "ja-JP");
        await Task.Delay(500, Ct);
        await before.DisposeAsync();
        _bots.Remove(before);

        // Nobody runs at 08:30; an instance starts at 11:00 the same day and sends at once.
        clock.Advance(TimeSpan.FromHours(3));
        BotApp later = StartBot(clock, DigestOn);
        StartBot(clock, DigestOn);
        await WaitForAsync(() => Posts(JapaneseTitle).Length > 0);
        await AdvanceToAsync(clock, morning.AddHours(5), TimeSpan.FromMinutes(5));
        await Task.Delay(1500, Ct);

        RecordedRequest summary = Assert.Single(Posts(JapaneseTitle));
        Assert.Contains("過去 60 日間に検出された未解決のアラートはありません。", Decoded(summary), StringComparison.Ordinal);
        Assert.Empty(Posts(EnglishTitle));
        Assert.NotNull(later);
    }

    [Fact]
    public async Task DailySummary_DeadClaimantThenFailedSend_RetriedAndDeliveredOnce()
    {
        DateTimeOffset morning = TokyoMorning();
        var clock = new FakeTimeProvider(morning);
        void Settings(Dictionary<string, string?> settings)
        {
            DigestOn(settings);
            settings["Digest:ClaimDuration"] = "00:00:03";
        }

        BotApp first = StartBot(clock, Settings);
        StartBot(clock, Settings);
        await SayAsync(first, "subscribe");

        // An instance claimed today's send and died before the connector accepted it.
        DateOnly day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(morning, Tokyo).DateTime);
        StackExchange.Redis.RedisKey key = first.Services.GetRequiredService<TeamsAlertBot.State.RedisKeys>().DigestSent(day, TeamsActivities.ChannelId);
        StackExchange.Redis.IDatabase redis = first.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        await redis.StringSetAsync(key, "claim:dead-instance", TimeSpan.FromMinutes(1));
        // And the first attempt after its claim lapses fails at the connector.
        int attempts = 0;
        _fakes.ConnectorOverride = r => Decoded(r).Contains(EnglishTitle, StringComparison.Ordinal) && Interlocked.Increment(ref attempts) == 1
            ? Microsoft.AspNetCore.Http.Results.StatusCode(500)
            : null;

        await AdvanceToAsync(clock, morning.AddMinutes(31), TimeSpan.FromMinutes(1));
        await Task.Delay(500, Ct);
        Assert.Empty(Posts(EnglishTitle));

        // The dead claim lapses (its expiry, brought forward: a slow machine must not let it lapse before
        // the check above), the failed attempt releases its claim, the next check delivers.
        await redis.KeyDeleteAsync(key);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (attempts < 2 && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(200, Ct);
        }

        await AdvanceToAsync(clock, clock.GetUtcNow().AddHours(1), TimeSpan.FromMinutes(5));
        await Task.Delay(1500, Ct);
        Assert.Equal(2, Posts(EnglishTitle).Length);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task SummaryCommand_EnglishAndJapanese_AnswersWithTheSummaryCardInTheConversation()
    {
        _fakes.AddAlert("alert-0650", CustomerA, detected: DateTimeOffset.UtcNow.AddHours(-5));
        BotApp bot = StartBot(clock: null);

        await SayAsync(bot, "summary");
        await SayAsync(bot, "サマリー", locale: "ja-JP");

        await WaitForAsync(() => Posts(EnglishTitle).Length > 0 && Posts(JapaneseTitle).Length > 0);
        RecordedRequest english = Assert.Single(Posts(EnglishTitle));
        RecordedRequest japanese = Assert.Single(Posts(JapaneseTitle));
        // A reply in the asking conversation (the command's thread), not a new thread.
        Assert.Contains(Uri.EscapeDataString(TeamsActivities.ChannelId), english.RawTarget, StringComparison.Ordinal);
        Assert.Contains("/activities", english.RawTarget, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", Decoded(english), StringComparison.Ordinal);
        Assert.Contains("waiting 5 h", Decoded(english), StringComparison.Ordinal);
        Assert.Contains("5 時間 経過", Decoded(japanese), StringComparison.Ordinal);
    }

    private static void SlaOn(Dictionary<string, string?> settings)
    {
        settings["Sla:Enabled"] = "true";
        settings["Sla:ReminderAfter:0"] = "04:00:00";
        settings["Sla:ReminderAfter:1"] = "12:00:00";
        settings["Sla:EscalateAfter"] = "1.00:00:00";
        settings["Sla:CheckInterval"] = "00:01:00";
        settings["Sla:OnCall:0:Id"] = OnCallId;
        settings["Sla:OnCall:0:Name"] = "Oncall One";
        settings["Sla:Escalation:0:Id"] = LeadObjectId;
        settings["Sla:Escalation:0:Name"] = "Lead Person";
    }

    [Fact]
    public async Task SlaReminders_TwoInstances_AtFourTwelveAndTwentyFourHoursOnceEach_MentioningOnCall_NotForTriaged()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        BotApp first = StartBot(clock, SlaOn);
        StartBot(clock, SlaOn);
        await SayAsync(first, "subscribe");
        _fakes.AddAlert("alert-0700", CustomerA, detected: start);
        _fakes.AddAlert("alert-0701", CustomerA, detected: start);

        IAlertLedger ledger = first.Services.GetRequiredService<IAlertLedger>();
        AlertCardPost? waiting = null;
        AlertCardPost? triaged = null;
        await WaitForAsync(() =>
        {
            waiting ??= ledger.GetCardAsync("alert-0700", TeamsActivities.ChannelId).GetAwaiter().GetResult();
            triaged ??= ledger.GetCardAsync("alert-0701", TeamsActivities.ChannelId).GetAwaiter().GetResult();
            return waiting is not null && triaged is not null;
        });

        // alert-0701 gets a verdict through the bot (Investigating: still open in Graph).
        ITriageLedger triage = first.Services.GetRequiredService<ITriageLedger>();
        (ClaimOutcome outcome, TriageRecord record) = await triage.TryClaimAsync("alert-0701", 1, TriageVerdict.Investigating, "Aiko Analyst", "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f", null, start);
        Assert.Equal(ClaimOutcome.Won, outcome);
        Assert.True(await triage.CompleteAsync("alert-0701", record.Version, TriageState.Applied));

        RecordedRequest[] Replies(AlertCardPost card) =>
            [.. _fakes.ConnectorRequests.Where(r => r.Method == "POST"
                && r.RawTarget.Contains(Uri.EscapeDataString(card.CardConversationId), StringComparison.Ordinal)
                && (r.Body.Contains("Reminder:", StringComparison.Ordinal) || r.Body.Contains("Escalation:", StringComparison.Ordinal)))];

        // Not before 4 hours.
        clock.Advance(TimeSpan.FromHours(3.9));
        await AdvanceToAsync(clock, start.AddMinutes(239), TimeSpan.FromMinutes(1));
        await Task.Delay(1000, Ct);
        Assert.Empty(Replies(waiting!));

        // At 4 hours: one reminder in the card's thread, mentioning the on-call person.
        await AdvanceToAsync(clock, start.AddMinutes(250), TimeSpan.FromMinutes(1), () => Replies(waiting!).Length > 0);
        await WaitForAsync(() => Replies(waiting!).Length > 0);
        await AdvanceToAsync(clock, start.AddHours(11.9), TimeSpan.FromMinutes(30));
        await Task.Delay(1000, Ct);
        RecordedRequest reminder = Assert.Single(Replies(waiting!));
        JsonNode reply = reminder.Json!;
        Assert.StartsWith("<at>Oncall One</at> Reminder:", (string?)reply["text"], StringComparison.Ordinal);
        JsonNode mention = reply["entities"]![0]!;
        Assert.Equal("mention", (string?)mention["type"]);
        Assert.Equal("<at>Oncall One</at>", (string?)mention["text"]);
        Assert.Equal(OnCallId, (string?)mention["mentioned"]!["id"]);
        Assert.Equal("Oncall One", (string?)mention["mentioned"]!["name"]);

        // At 12 hours the second reminder.
        await AdvanceToAsync(clock, start.AddHours(12.2), TimeSpan.FromMinutes(1), () => Replies(waiting!).Length > 1);
        await WaitForAsync(() => Replies(waiting!).Length > 1);
        await AdvanceToAsync(clock, start.AddHours(23.9), TimeSpan.FromMinutes(30));
        await Task.Delay(1000, Ct);
        Assert.Equal(2, Replies(waiting!).Length);

        // At 24 hours the escalation, mentioning the escalation contact, then nothing more.
        await AdvanceToAsync(clock, start.AddHours(24.2), TimeSpan.FromMinutes(1), () => Replies(waiting!).Length > 2);
        await WaitForAsync(() => Replies(waiting!).Length > 2);
        await AdvanceToAsync(clock, start.AddHours(30), TimeSpan.FromMinutes(30));
        await Task.Delay(1500, Ct);
        RecordedRequest[] all = Replies(waiting!);
        Assert.Equal(3, all.Length);
        JsonNode escalation = all[2].Json!;
        Assert.StartsWith("<at>Lead Person</at> Escalation:", (string?)escalation["text"], StringComparison.Ordinal);
        Assert.Equal(LeadObjectId, (string?)escalation["entities"]![0]!["mentioned"]!["id"]);
        Assert.Contains("Reminder:", all[1].Body, StringComparison.Ordinal);

        // The triaged alert never got one.
        Assert.Empty(Replies(triaged!));
    }

    [Fact]
    public async Task SlaReminders_AnAlertWhoseCardAppearedAlreadyOverdue_IsNotPingedForStagesItPassedBefore()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        // Alerts up to two days old still count as new (e.g. the first poll's look-back, or Graph showing them late).
        BotApp bot = StartBot(clock, settings =>
        {
            SlaOn(settings);
            settings["Alerts:OverlapWindow"] = "2.00:00:00";
        });
        await SayAsync(bot, "subscribe");
        _fakes.AddAlert("alert-0800", CustomerA, detected: start.AddHours(-30));
        _fakes.AddAlert("alert-0801", CustomerA, detected: start.AddHours(-3.95));
        IAlertLedger ledger = bot.Services.GetRequiredService<IAlertLedger>();
        AlertCardPost? old = null;
        AlertCardPost? fresh = null;
        await WaitForAsync(() =>
        {
            old ??= ledger.GetCardAsync("alert-0800", TeamsActivities.ChannelId).GetAwaiter().GetResult();
            fresh ??= ledger.GetCardAsync("alert-0801", TeamsActivities.ChannelId).GetAwaiter().GetResult();
            return old is not null && fresh is not null;
        });

        int RepliesIn(AlertCardPost card) => _fakes.ConnectorRequests.Count(r => r.Method == "POST"
            && r.RawTarget.Contains(Uri.EscapeDataString(card.CardConversationId), StringComparison.Ordinal)
            && (r.Body.Contains("Reminder:", StringComparison.Ordinal) || r.Body.Contains("Escalation:", StringComparison.Ordinal)));

        // The fresh alert crosses 4 hours while its card is up: reminded. The old one was past every stage when posted.
        await AdvanceToAsync(clock, start.AddMinutes(10), TimeSpan.FromMinutes(1), () => RepliesIn(fresh!) > 0);
        await WaitForAsync(() => RepliesIn(fresh!) > 0);
        await AdvanceToAsync(clock, start.AddMinutes(20), TimeSpan.FromMinutes(1));
        await Task.Delay(1000, Ct);

        Assert.Equal(1, RepliesIn(fresh!));
        Assert.Equal(0, RepliesIn(old!));
    }
}
