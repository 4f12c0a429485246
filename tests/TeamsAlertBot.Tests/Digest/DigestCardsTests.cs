using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Tests.Cards;

namespace TeamsAlertBot.Tests.Digest;

public sealed partial class DigestCardsTests
{
    private static DigestReport Report(
        IReadOnlyList<PartnerSecurityAlert> open,
        IReadOnlyList<PartnerSecurityAlert>? resolved = null,
        Dictionary<string, TriageRecord>? records = null,
        int top = 5,
        int maxVerdicts = 10) => DigestReport.Build(new DigestInput
        {
            Open = open,
            Resolved = resolved ?? [],
            TriageRecords = records ?? [],
            CustomerNames = new Dictionary<string, string> { ["c-1"] = "Contoso Ltd" },
            Now = DigestReportTests.Now,
            TimeZone = DigestReportTests.Tokyo,
            Lookback = TimeSpan.FromDays(60),
            TopCount = top,
            MaxVerdicts = maxVerdicts,
        });

    private static DigestReport Full() => Report(
        [
            DigestReportTests.Alert("a1", hoursAgo: 30),
            DigestReportTests.Alert("a2", customer: "c-2", subscription: "s-2", hoursAgo: 3),
            DigestReportTests.Alert("a3", type: "networkConnectionsToCryptoMiningPools", hoursAgo: 0.5),
            DigestReportTests.Alert("a4", type: string.Empty, customer: string.Empty, hoursAgo: 200),
        ],
        [
            DigestReportTests.Resolved("r1", new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero), AlertResolvedReason.Fraud),
            DigestReportTests.Resolved("r2", new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero), AlertResolvedReason.Legitimate, by: null),
        ],
        top: 3,
        maxVerdicts: 1);

    private static DigestReport Empty() => Report([]);

    private static DigestReport AllTriaged() => Report(
        [DigestReportTests.Alert("a1")],
        records: new() { ["a1"] = new TriageRecord { Version = 2, State = TriageState.Applied, Verdict = TriageVerdict.Investigating } });

    private static DigestReport WithOlder() => Report(
        [DigestReportTests.Alert("a1", hoursAgo: 30), DigestReportTests.Alert("o1", hoursAgo: 24 * 61), DigestReportTests.Alert("o2", hoursAgo: 24 * 200)]);

    [Fact]
    public void Daily_OpenAlertsOlderThanTheWindow_CountedApartWithAListButton()
    {
        DigestReport report = WithOlder();
        AdaptiveCard card = DigestCards.Daily(DigestTexts.En, report, DigestReportTests.Tokyo);

        Assert.Equal((1, 2), (report.OpenCount, report.OlderOpenCount));
        string text = Json(card);
        Assert.Contains("2 open alerts were detected more than 60 days ago", text, StringComparison.Ordinal);
        Assert.Contains("List them", text, StringComparison.Ordinal);
        Assert.Contains("open older than 60d", text, StringComparison.Ordinal);
        Assert.DoesNotContain("older than 60d", Json(DigestCards.Daily(DigestTexts.En, Full(), DigestReportTests.Tokyo)), StringComparison.Ordinal);
    }

    /// <summary>The digest cards of the catalog the adaptivecards validator checks.</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (DigestTexts texts in DigestTexts.All)
        {
            cards[$"{nameof(DigestCards.Daily)}.full.{texts.Language}"] = DigestCards.Daily(texts, Full(), DigestReportTests.Tokyo);
            cards[$"{nameof(DigestCards.Daily)}.empty.{texts.Language}"] = DigestCards.Daily(texts, Empty(), DigestReportTests.Tokyo);
            cards[$"{nameof(DigestCards.Daily)}.all-triaged.{texts.Language}"] = DigestCards.Daily(texts, AllTriaged(), DigestReportTests.Tokyo);
            cards[$"{nameof(DigestCards.Daily)}.older-with-bulk.{texts.Language}"] = DigestCards.Daily(texts, WithOlder(), DigestReportTests.Tokyo, BulkCards.AgeButtons(
                texts.Language, v => new BulkActionData { Step = BulkStep.Propose, Verdict = v, Days = 60, Signature = "sig" }));
        }
    }

    /// <summary>Every string in the serialized card (decoded), one per line, as a reader would see the words.</summary>
    private static string Json(AdaptiveCard card)
    {
        List<string> strings = [];
        Collect(JsonNode.Parse(JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard)), strings);
        return string.Join("\n", strings);
    }

    private static void Collect(JsonNode? node, List<string> strings)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (KeyValuePair<string, JsonNode?> property in o)
                {
                    Collect(property.Value, strings);
                }

                break;
            case JsonArray a:
                foreach (JsonNode? item in a)
                {
                    Collect(item, strings);
                }

                break;
            case JsonValue v when v.TryGetValue(out string? text):
                strings.Add(text);
                break;
        }
    }

    [Fact]
    public void Daily_FullReport_ShowsTypesOldestWaitingWithAgeAndYesterdaysVerdicts()
    {
        string json = Json(DigestCards.Daily(DigestTexts.En, Full(), DigestReportTests.Tokyo));

        Assert.Contains("4 open alerts detected in the last 60 days; 4 of them have no verdict yet.", json, StringComparison.Ordinal);
        Assert.Contains("As of 2026-11-29 08:30 (Asia/Tokyo)", json, StringComparison.Ordinal);
        Assert.Contains("2 alerts · 2 customers · 2 subscriptions", json, StringComparison.Ordinal);
        Assert.Contains("Unknown alert type", json, StringComparison.Ordinal);
        Assert.Contains("Oldest alerts without a verdict (top 3)", json, StringComparison.Ordinal);
        Assert.Contains("waiting 8 d 8 h", json, StringComparison.Ordinal);
        Assert.Contains("waiting 30 h", json, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", json, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting 30 min", json, StringComparison.Ordinal);
        Assert.Contains("Verdicts yesterday (2026-11-28)", json, StringComparison.Ordinal);
        Assert.Contains("Legitimate 1 · Fraud 1", json, StringComparison.Ordinal);
        // The fraud verdict at 02:00 UTC = 11:00 in Tokyo, listed; the second is counted only.
        Assert.Contains("11:00 by kenji@partner.example", json, StringComparison.Ordinal);
        Assert.Contains("… and 1 more", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Daily_NothingOpenNothingResolved_SaysSo()
    {
        string json = Json(DigestCards.Daily(DigestTexts.En, Empty(), DigestReportTests.Tokyo));

        Assert.Contains("No open alerts were detected in the last 60 days.", json, StringComparison.Ordinal);
        Assert.Contains("No alerts were resolved yesterday.", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Oldest alerts", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Daily_EveryOpenAlertTriaged_SaysEveryAlertHasAVerdict()
    {
        string json = Json(DigestCards.Daily(DigestTexts.En, AllTriaged(), DigestReportTests.Tokyo));

        Assert.Contains("Every open alert has a verdict.", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Daily_Japanese_JapaneseTextsAndLang()
    {
        AdaptiveCard card = DigestCards.Daily(DigestTexts.Ja, Full(), DigestReportTests.Tokyo);
        string json = Json(card);

        Assert.Equal("ja", card.Lang);
        Assert.Contains("パートナー セキュリティ アラートの日次サマリー", json, StringComparison.Ordinal);
        Assert.Contains("昨日の判定 (2026-11-28)", json, StringComparison.Ordinal);
        Assert.Contains("30 時間 経過", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Verdicts yesterday", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_EveryDigestCardsBuilder_IsCoveredInEveryLanguage()
    {
        string[] builders = [.. typeof(DigestCards).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(AdaptiveCard)).Select(m => m.Name).Distinct()];

        Assert.NotEmpty(builders);
        foreach (string builder in builders)
        {
            foreach (DigestTexts texts in DigestTexts.All)
            {
                Assert.Contains(CardCatalog.All.Keys, name => name.StartsWith(builder + ".", StringComparison.Ordinal) && name.EndsWith("." + texts.Language, StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("ja", "ja")]
    [InlineData("ja-JP", "ja")]
    [InlineData("en-US", "en")]
    [InlineData("jav", "en")]
    [InlineData(null, "en")]
    public void For_LanguageOrLocale_JapaneseOrEnglish(string? language, string expected)
    {
        Assert.Equal(expected, DigestTexts.For(language).Language);
    }
}
