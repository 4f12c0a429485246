using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Cards;

/// <summary>The storm card's live overview: how alerts are counted, the capped rows, the per-subscription bulk buttons, both languages, the size.</summary>
public sealed class StormOverviewCardsTests
{
    private const string Customer = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string SubA = "9e8d7c6b-0000-4000-8000-00000000a001";
    private const string SubB = "9e8d7c6b-0000-4000-8000-00000000b002";
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An HMAC-SHA256 in base64url is 43 characters: the size tests use real lengths.</summary>
    private static readonly string Signature = new('S', 43);

    [Fact]
    public void Of_MixedAlerts_CountsBySeverityTypeSubscriptionOpenDecidedOldestNewest()
    {
        PartnerSecurityAlert[] alerts =
        [
            Alert("a1", AlertSeverity.High, "VM_AnomalousDeployment", SubA, AlertStatus.Active, At.AddHours(-3)),
            Alert("a2", AlertSeverity.High, "VM_AnomalousDeployment", SubA, AlertStatus.Investigating, At.AddHours(-1)),
            Alert("a3", AlertSeverity.Medium, "networkConnectionsToCryptoMiningPools", SubB, AlertStatus.Resolved, At.AddHours(-2)),
            Alert("a4", AlertSeverity.Low, "VM_AnomalousDeployment", null, AlertStatus.Active, At.AddMinutes(-5)),
        ];

        StormOverview overview = StormOverview.Of(alerts, At.AddDays(-1), At);

        Assert.Equal((4, 3, 1, 1), (overview.Total, overview.Open, overview.Investigating, overview.Decided));
        Assert.Equal(
            [new StormOverviewRow("High", 2, 2), new StormOverviewRow("Medium", 1, 0), new StormOverviewRow("Low", 1, 1)],
            overview.BySeverity);
        Assert.Equal(
            [new StormOverviewRow("VM_AnomalousDeployment", 3, 3), new StormOverviewRow("networkConnectionsToCryptoMiningPools", 1, 0)],
            overview.ByType);
        Assert.Equal([new StormOverviewRow(SubA, 2, 2), new StormOverviewRow(string.Empty, 1, 1), new StormOverviewRow(SubB, 1, 0)], overview.BySubscription);
        Assert.Equal((At.AddHours(-3), At.AddMinutes(-5)), (overview.OldestDetected, overview.NewestDetected));
    }

    [Fact]
    public void Of_SameAlertListedTwice_CountedOnceAsFirstListed()
    {
        PartnerSecurityAlert resolved = Alert("a1", AlertSeverity.High, "t", SubA, AlertStatus.Resolved, At);
        PartnerSecurityAlert stillOpen = resolved with { Status = AlertStatus.Active };

        StormOverview overview = StormOverview.Of([resolved, stillOpen], At, At);

        Assert.Equal((1, 0, 1), (overview.Total, overview.Open, overview.Decided));
    }

    [Fact]
    public void Section_MoreRowsThanShown_CapsRowsAndSaysHowManyMore()
    {
        StormOverview overview = Many(types: 12, subscriptions: 11);

        string json = Serialize(Section(StormOverviewTexts.En, overview));

        Assert.Contains("and 4 more (4 alerts)", json, StringComparison.Ordinal);
        Assert.Contains("and 3 more (3 alerts)", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Type 12", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_SubscriptionBulk_OnlyOpenSubscriptionsCappedEachButtonBoundToItsSubscription()
    {
        StormOverview overview = Many(types: 1, subscriptions: 7) with
        {
            BySubscription = [.. Many(types: 1, subscriptions: 7).BySubscription, new StormOverviewRow("decided-only-sub", 3, 0)],
        };

        JsonNode card = JsonNode.Parse(Serialize(Section(StormOverviewTexts.En, overview)))!;

        JsonObject[] showCards = [.. Nodes(card).OfType<JsonObject>().Where(o => (string?)o["type"] == "Action.ShowCard")];
        Assert.Equal(StormOverviewCards.MaxSubscriptionActions, showCards.Length);
        foreach (JsonObject show in showCards)
        {
            JsonObject[] buttons = [.. Nodes(show["card"]).OfType<JsonObject>().Where(o => (string?)o["type"] == "Action.Execute")];
            Assert.Equal(BulkCards.Verdicts.Count, buttons.Length);
            string subscription = (string)buttons[0]["data"]!["subscription"]!;
            Assert.All(buttons, b => Assert.Equal(subscription, (string?)b["data"]!["subscription"]));
            Assert.All(buttons, b => Assert.Equal("Propose", (string?)b["data"]!["step"]));
            Assert.StartsWith(subscription[..8], (string)show["title"]!, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("decided-only-sub", string.Concat(showCards.Select(s => s.ToJsonString())), StringComparison.Ordinal);
        Assert.Contains("2 more subscriptions with open alerts", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Section_Japanese_CountsAndHeadingsInJapanese()
    {
        string json = Regex.Unescape(Serialize(Section(StormOverviewTexts.Ja, Many(types: 2, subscriptions: 2))));

        Assert.Contains("概要", json, StringComparison.Ordinal);
        Assert.Contains("重大度別", json, StringComparison.Ordinal);
        Assert.Contains("このサブスクリプションの未対応: 不正", json, StringComparison.Ordinal);
        Assert.DoesNotContain("By subscription", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void Root_ManyTypesSubscriptionsLongNameAndFailedBulkRun_UnderTeamsCardLimit(string language)
    {
        AdaptiveCard card = WorstCase(language);

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard);

        Assert.True(json.Length < 28 * 1024, $"{json.Length} bytes");
    }

    /// <summary>The storm cards with the overview for the validator and the size check (<see cref="CardCatalog"/>).</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (string language in new[] { "en", "ja" })
        {
            cards[$"{nameof(StormCards)}.root-with-overview.{language}"] = Root(language, Many(types: 3, subscriptions: 2), progress: null);
            cards[$"{nameof(StormCards)}.root-with-overview-worst-case.{language}"] = WorstCase(language);
        }
    }

    private static AdaptiveCard WorstCase(string language)
    {
        BulkTexts bulk = BulkTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        var failures = Enumerable.Range(1, 40).Select(i => ($"alert-{i:D4}-0000-4000-8000-000000000000", "503")).ToList();
        IReadOnlyList<CardElement> progress = BulkCards.Progress(
            bulk, verdicts, TriageVerdict.Fraud, new string('あ', 60), new BulkProgress(1000, 960, 0, failures, Done: true), Data(TriageVerdict.Fraud, null) with { Step = BulkStep.Retry });
        StormOverview overview = Many(types: 40, subscriptions: 60, typeName: i => "VeryLongAlertTypeNameForTheSizeTest_" + new string('x', 60) + i);
        return Root(language, overview, progress, customerName: new string('顧', 80));
    }

    private static AdaptiveCard Root(string language, StormOverview overview, IReadOnlyList<CardElement>? progress, string customerName = "Contoso Ltd")
    {
        BulkTexts bulk = BulkTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        return StormCards.Root(
            StormTexts.For(language), Customer, customerName, 5, TimeSpan.FromMinutes(15), At, TimeZoneInfo.Utc,
            [.. Section(StormOverviewTexts.For(language), overview), .. progress ?? []],
            BulkCards.Buttons(bulk, verdicts, v => Data(v, null, customerName)));
    }

    private static IReadOnlyList<CardElement> Section(StormOverviewTexts texts, StormOverview overview) =>
        StormOverviewCards.Section(
            texts, AlertTexts.For(texts.Language), BulkTexts.For(texts.Language), TriageTexts.For(texts.Language), overview, TimeZoneInfo.Utc,
            (subscription, verdict) => Data(verdict, subscription, customerName: null));

    private static BulkActionData Data(TriageVerdict verdict, string? subscription, string? customerName = "Contoso Ltd") => new()
    {
        Step = BulkStep.Propose, Verdict = verdict, Customer = Customer, CustomerName = customerName, Subscription = subscription, Signature = Signature,
    };

    /// <summary>An overview with one alert per type and per subscription (each open).</summary>
    private static StormOverview Many(int types, int subscriptions, Func<int, string>? typeName = null) => new()
    {
        Total = Math.Max(types, subscriptions),
        Open = Math.Max(types, subscriptions),
        Investigating = 0,
        Decided = 0,
        BySeverity = [new StormOverviewRow("High", Math.Max(types, subscriptions), Math.Max(types, subscriptions))],
        ByType = [.. Enumerable.Range(1, types).Select(i => new StormOverviewRow(typeName?.Invoke(i) ?? $"Type {i}", 1, 1))],
        BySubscription = [.. Enumerable.Range(1, subscriptions).Select(i => new StormOverviewRow($"9e8d7c6b-0000-4000-8000-{i:D12}", 1, 1))],
        OldestDetected = At.AddHours(-2),
        NewestDetected = At,
        CountedSince = At.AddDays(-1),
        AsOf = At,
    };

    private static PartnerSecurityAlert Alert(string id, AlertSeverity severity, string type, string? subscription, AlertStatus status, DateTimeOffset detected) => new()
    {
        Id = id,
        Severity = severity,
        AlertType = type,
        SubscriptionId = subscription,
        Status = status,
        CustomerTenantId = Customer,
        DetectedDateTime = detected,
    };

    private static IEnumerable<JsonNode> Nodes(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Nodes(p.Value))],
        JsonArray a => a.SelectMany(Nodes),
        _ => [],
    };

    private static string Serialize(IReadOnlyList<CardElement> elements) =>
        JsonSerializer.Serialize(new AdaptiveCard { Body = elements }, CardJsonContext.Default.AdaptiveCard);
}
