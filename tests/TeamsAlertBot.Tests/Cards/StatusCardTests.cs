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
}
