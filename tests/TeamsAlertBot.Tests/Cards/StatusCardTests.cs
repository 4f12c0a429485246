using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Cards;

public sealed class StatusCardTests
{
    private static StatusReport Report => new(
        "Security Operations > General", true, "Aiko Tanaka", new DateTimeOffset(2026, 11, 28, 9, 5, 0, TimeSpan.Zero), "Redis", true, TimeSpan.FromMilliseconds(1.5), 3);

    [Theory]
    [InlineData("en", "UTC", "Subscribed — by Aiko Tanaka, 2026-11-28 09:05 (+00:00)")]
    [InlineData("en", "Asia/Tokyo", "by Aiko Tanaka, 2026-11-28 18:05 (+09:00)")]
    [InlineData("ja", "Asia/Tokyo", "Aiko Tanaka が 2026-11-28 18:05 (+09:00) に購読")]
    public void Status_SubscriptionTime_IsShownInTheDisplayTimeZone(string language, string zone, string expected)
    {
        AdaptiveCard card = BotCards.Status(BotTexts.ForLanguage(language), Report with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone) });

        IEnumerable<string> values = card.Body.OfType<ColumnSet>()
            .SelectMany(row => row.Columns[1].Items.OfType<RichTextBlock>())
            .SelectMany(block => block.Inlines.Select(run => run.Text));
        Assert.Contains(values, v => v.Contains(expected, StringComparison.Ordinal));
    }

    internal static OperatorStatus Operations(DateTimeOffset now) => new()
    {
        PipelineOff = [],
        Poller = "bot-7f9c:41:ab12",
        PollerIsThisInstance = false,
        LastPoll = now - TimeSpan.FromMinutes(9),
        PollInterval = TimeSpan.FromMinutes(2),
        Now = now,
        Graph = new ServiceCallState([]) { LastAnswer = (200, now - TimeSpan.FromSeconds(40)), LastFailure = ("timeout", now - TimeSpan.FromSeconds(5)) },
        PartnerCenter = new ServiceCallState(["AzureAd:ClientId"]),
        Triage = new RoleHolders("8d2f1c3a-0b4e-4c5d-9e6f-7a8b9c0d1e2f", 2, EveryoneInDevelopment: false),
        Mitigation = new RoleHolders(null, 0, EveryoneInDevelopment: false),
        DelegatedGrant = new DelegatedGrantState(null, null),
    };

    [Theory]
    [InlineData("en", "LATE: a poll is due every 2 min")]
    [InlineData("en", "no answer (timeout), 5 s ago; answered HTTP 200, 40 s ago")]
    [InlineData("en", "not set up, never called: set AzureAd:ClientId")]
    [InlineData("en", "members of group 8d2f1c3a-0b4e-4c5d-9e6f-7a8b9c0d1e2f, 2 allow-listed users")]
    [InlineData("en", "nobody — set Triage:Authorization:MitigationGroupId / MitigationUserObjectIds")]
    [InlineData("en", "not granted: a partner admin signs in at /admin/graph-consent")]
    [InlineData("ja", "遅延: ポーリングは 2 分 ごとのはずです")]
    [InlineData("ja", "未設定のため呼び出していません: AzureAd:ClientId を設定してください")]
    public void Status_OperatorRows_SayWhatTheOperatorMustKnow(string language, string expected)
    {
        DateTimeOffset now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

        AdaptiveCard card = BotCards.Status(BotTexts.ForLanguage(language), Report with { Operator = Operations(now) });

        Assert.Contains(Values(card), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Status_PipelineOff_SaysWhichSettingsKeepItOffAndShowsNoPollRows()
    {
        DateTimeOffset now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        OperatorStatus off = Operations(now) with
        {
            PipelineOff = [new PipelineOffReason("Alerts:Enabled", TurnedOff: true), new PipelineOffReason("Redis:ConnectionString", TurnedOff: false)],
        };

        AdaptiveCard card = BotCards.Status(BotTexts.En, Report with { Operator = off });

        Assert.Contains("off: Alerts:Enabled is false; Redis:ConnectionString is not set", Values(card));
        Assert.DoesNotContain(Values(card), v => v.Contains("poll", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Status_WithoutOperatorRows_ShowsNoneOfThem()
    {
        AdaptiveCard card = BotCards.Status(BotTexts.En, Report);

        Assert.DoesNotContain(Values(card), v => v.Contains("Who may triage", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Values(AdaptiveCard card) => card.Body.OfType<ColumnSet>()
        .SelectMany(row => row.Columns.SelectMany(c => c.Items.OfType<RichTextBlock>()))
        .SelectMany(block => block.Inlines.Select(run => run.Text));
}
