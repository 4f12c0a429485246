using System.Text.Json;
using System.Text.Json.Nodes;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Cards;

/// <summary>
/// Names and text that users, Teams or Microsoft's services control never reach a card as markdown
/// (a TextBlock or a fact): they go into text runs, which Teams shows as they are — or, for a heading,
/// escaped. A channel named <c>[Pay here](https://…)</c> must not become a link.
/// </summary>
public sealed class UserTextInCardsTests
{
    private const string Link = "[Pay here](https://evil.example/pay)";
    private const string Markup = Link + " **urgent** <at>CEO</at>";
    private static readonly DateTimeOffset At = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Status_ConversationAndSubscriberNames_AreTextRuns()
    {
        var report = new StatusReport(Markup, true, Markup, At, "Redis", true, TimeSpan.FromMilliseconds(1), 1);

        AdaptiveCard card = BotCards.Status(BotTexts.En, report);

        AssertOnlyInTextRuns(card, Markup);
    }

    [Fact]
    public void Error_MessageNamingWhatTheUserSent_IsATextRun()
    {
        AdaptiveCard card = BotCards.Error(BotTexts.En, BotTexts.En.Format(BotTexts.En.UnknownAction, Markup));

        AssertOnlyInTextRuns(card, Markup);
    }

    [Fact]
    public void ConfirmFraud_AlertTitleFromGraph_IsATextRun()
    {
        var data = new TriageActionData { AlertId = "a-1", Verdict = TriageVerdict.Fraud, Version = 1, Signature = "s" };

        AdaptiveCard card = TriageCards.ConfirmFraud(TriageTexts.En, Markup, data, data with { Cancel = true });

        AssertOnlyInTextRuns(card, Markup);
    }

    [Fact]
    public void StormRoot_CustomerNameInTheHeading_IsEscaped()
    {
        AdaptiveCard card = StormCards.Root(StormTexts.En, "6a1d2c3b-0000-4000-8000-00000000c001", Markup, 5, TimeSpan.FromMinutes(15), At, TimeZoneInfo.Utc);

        Assert.All(MarkdownTexts(card), text =>
        {
            Assert.DoesNotContain("[Pay here](", text, StringComparison.Ordinal);
            Assert.DoesNotContain("**urgent**", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
        });
    }

    /// <summary><paramref name="text"/> appears in a text run, and in nothing Teams reads as markdown.</summary>
    private static void AssertOnlyInTextRuns(AdaptiveCard card, string text)
    {
        JsonNode root = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard))!;
        Assert.Contains(Descendants(root), n => n["type"]?.GetValue<string>() == "TextRun" && n["text"]!.GetValue<string>().Contains(text, StringComparison.Ordinal));
        Assert.All(MarkdownTexts(card), t => Assert.DoesNotContain("[Pay here](", t, StringComparison.Ordinal));
    }

    /// <summary>Every string of the card that Teams renders as markdown: TextBlock texts and facts.</summary>
    private static List<string> MarkdownTexts(AdaptiveCard card)
    {
        JsonNode root = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard))!;
        return
        [
            .. Descendants(root).Where(n => n["type"]?.GetValue<string>() == "TextBlock").Select(n => n["text"]!.GetValue<string>()),
            .. Descendants(root).Where(n => n["type"]?.GetValue<string>() == "FactSet")
                .SelectMany(n => n["facts"]!.AsArray().SelectMany(f => new[] { f!["title"]!.GetValue<string>(), f["value"]!.GetValue<string>() })),
        ];
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Descendants(p.Value))],
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };
}
