using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Cards;

public sealed partial class AlertCardsTests
{
    private const string Tenant = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string Subscription = "9e8d7c6b-0000-4000-8000-00000000a001";

    private static readonly DateTimeOffset Now = AlertCardSamples.Now;
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>Stands in for the server's signature of the backfill button (the host signs; the card carries it).</summary>
    private static string Sign(int page) => $"signature-of-page-{page}";

    public static TheoryData<string> TextProperties => [.. StringProperties().Select(p => p.Name)];

    // ---- the realistic alert, in both languages ----

    [Fact]
    public void Alert_RealisticAlertInEnglish_ShowsEveryFactInTokyoTime()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic, AlertCardSamples.Enriched);

        Assert.Equal("en", card.Root["lang"]!.GetValue<string>());
        Assert.Equal("Full", card.Root["msteams"]!["width"]!.GetValue<string>());
        Assert.Equal("Action Required: Suspicious network connections to crypto mining pools", card.Heading);
        Assert.Equal(["Severity", "High", "Confidence", "Medium", "Status", "Active"], card.HeaderTexts);
        Assert.Equal("Network connections to crypto mining pools networkConnectionsToCryptoMiningPools", card.Row("Alert type"));
        Assert.Equal($"Contoso Pharmaceuticals contoso-pharma.onmicrosoft.com {Tenant}", card.Row("Customer"));
        Assert.Equal("Fabrikam Cloud Services, Northwind Traders", card.Row("Reseller"));
        Assert.Equal($"Contoso Production Azure plan {Subscription}", card.Row("Subscription"));
        Assert.Equal("2026-11-28 15:00 (UTC+09:00) · 3 h ago", card.Row("Detected"));
        Assert.Equal("2026-11-28 14:12 (UTC+09:00) · 3 h ago", card.Row("First observed"));
        Assert.Equal("2026-11-28 14:58 (UTC+09:00) · 3 h ago", card.Row("Last observed"));
        Assert.Null(card.Row("Verdict"));
        Assert.Contains("Affected resources (2)", card.TextBlocks);
        Assert.Contains($"vm-build-07 /subscriptions/{Subscription}/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/vm-build-07", card.RichTexts);
        Assert.Equal("10.0.4.7, 10.0.4.8", card.Row("VM_IP"));
        Assert.Equal("203.0.113.50", card.Row("MiningPool_IP"));
        Assert.Equal("1342", card.Row("ConnectionCount"));
        Assert.Null(card.Row("@odata.type"));
        Assert.Contains(card.RichTexts, t => t.StartsWith("Azure Defender detected network connections", StringComparison.Ordinal));
        Assert.Equal(5, card.RichTexts.Count(t => ChecklistStep().IsMatch(t)));
        Assert.Contains(card.RichTexts, t => t.Contains("Enforce multifactor authentication", StringComparison.Ordinal));
        Assert.Equal($"Alert {AlertCardSamples.Realistic.Id} · card version 3 · updated 2026-11-28 18:00 (UTC+09:00)", card.RichTexts[^1]);
        Assert.Equal(
            ["Subscription overview", "Activity log", "Cost analysis", "Sign-in logs", "Partner Center"],
            card.TopLevelActions.Select(a => a["title"]!.GetValue<string>()));
        Assert.Equal(
            "High severity · Active · Network connections to crypto mining pools · customer Contoso Pharmaceuticals · subscription Contoso Production · detected 3 h ago",
            card.Root["speak"]!.GetValue<string>());
    }

    [Fact]
    public void Alert_RealisticAlertInJapanese_ShowsJapaneseLabelsValuesAndAges()
    {
        CardView card = Render(AlertTexts.Ja, AlertCardSamples.Realistic, AlertCardSamples.Enriched);

        Assert.Equal("ja", card.Root["lang"]!.GetValue<string>());
        Assert.Equal(["重大度", "高", "信頼度", "中", "状態", "アクティブ"], card.HeaderTexts);
        Assert.Equal($"Contoso Pharmaceuticals contoso-pharma.onmicrosoft.com {Tenant}", card.Row("顧客"));
        Assert.Equal("2026-11-28 15:00 (UTC+09:00) · 3 時間前", card.Row("検出日時"));
        Assert.Contains("影響を受けるリソース (2)", card.TextBlocks);
        Assert.Contains("対応チェックリスト", card.TextBlocks);
        Assert.Contains(card.RichTexts, t => t.Contains("多要素認証", StringComparison.Ordinal));
        Assert.Equal(
            ["サブスクリプションの概要", "アクティビティ ログ", "コスト分析", "サインイン ログ", "パートナー センター"],
            card.TopLevelActions.Select(a => a["title"]!.GetValue<string>()));
        Assert.StartsWith("重大度 高 · アクティブ · ", card.Root["speak"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_RealisticAlert_DeepLinksPointAtTheCustomersTenantAndSubscription()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic, AlertCardSamples.Enriched);

        Assert.All(card.TopLevelActions, a => Assert.Equal("Action.OpenUrl", a["type"]!.GetValue<string>()));
        Assert.Equal(
            [
                $"https://portal.azure.com/#@{Tenant}/resource/subscriptions/{Subscription}/overview",
                $"https://portal.azure.com/#@{Tenant}/resource/subscriptions/{Subscription}/activitylog",
                $"https://portal.azure.com/#@{Tenant}/resource/subscriptions/{Subscription}/costanalysis",
                $"https://entra.microsoft.com/{Tenant}/#view/Microsoft_AAD_IAM/SignInEventsV3Blade",
                $"https://partner.microsoft.com/dashboard/v2/customers/{Tenant}/servicemanagementpage",
            ],
            card.TopLevelActions.Select(a => a["url"]!.GetValue<string>()));
    }

    // ---- severity, confidence, status ----

    [Theory]
    [InlineData(AlertSeverity.High, "attention", "attention")]
    [InlineData(AlertSeverity.Medium, "warning", "warning")]
    [InlineData(AlertSeverity.Low, "default", "emphasis")]
    [InlineData(AlertSeverity.Informational, "good", "emphasis")]
    [InlineData(AlertSeverity.Unknown, "default", "emphasis")]
    public void Alert_Severity_ColouredByLevel(AlertSeverity severity, string textColor, string headerStyle)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { Severity = severity });

        Assert.Equal(textColor, card.HeaderValueColor(0));
        Assert.Equal(headerStyle, card.Header["style"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(AlertConfidence.High, "attention")]
    [InlineData(AlertConfidence.Medium, "warning")]
    [InlineData(AlertConfidence.Low, "default")]
    [InlineData(AlertConfidence.Unknown, "default")]
    public void Alert_Confidence_ColouredByLevel(AlertConfidence confidence, string textColor)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { ConfidenceLevel = confidence });

        Assert.Equal(textColor, card.HeaderValueColor(1));
    }

    [Theory]
    [InlineData("en", "Unknown")]
    [InlineData("ja", "不明")]
    public void Alert_UnknownEnumValues_RenderUnknown(string language, string unknown)
    {
        PartnerSecurityAlert alert = Parse("""
            {"id":"a1","displayName":"Future alert","status":"escalatedToMicrosoft","severity":"unknownFutureValue",
             "confidenceLevel":"veryHigh","resolvedReason":"somethingElse","isTest":false}
            """);

        CardView card = Render(AlertTexts.For(language), alert);

        Assert.Equal(unknown, card.HeaderTexts[1]);
        Assert.Equal(unknown, card.HeaderTexts[3]);
        Assert.Equal(unknown, card.HeaderTexts[5]);
        Assert.Equal(unknown, card.Row(AlertTexts.For(language).AlertTypeLabel));
        Assert.Equal(unknown, card.Row(AlertTexts.For(language).DetectedLabel));
    }

    [Fact]
    public void Alert_IsTest_ShowsTestMarkerAboveTheTitle()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { IsTest = true });

        JsonNode marker = card.Body[0]!;
        Assert.Equal("Container", marker["type"]!.GetValue<string>());
        Assert.Equal("accent", marker["style"]!.GetValue<string>());
        Assert.Equal("TEST ALERT", marker["items"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith("[TEST] ", card.Root["speak"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_NotTest_NoTestMarker()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic);

        Assert.DoesNotContain("TEST ALERT", card.TextBlocks);
        Assert.Same(card.Header, card.Body[0]);
    }

    [Fact]
    public void Alert_ResolvedAsFraud_ShowsVerdictWhoAndWhen()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Resolved, AlertCardSamples.Enriched);

        Assert.Equal("Resolved", card.HeaderTexts[5]);
        Assert.Equal("good", card.HeaderValueColor(2));
        Assert.Equal("Fraud", card.Row("Verdict"));
        Assert.Equal("attention", card.RowRuns("Verdict")[0]["color"]!.GetValue<string>());
        Assert.Equal("aiko.tanaka@fabrikam-csp.example", card.Row("Resolved by"));
        Assert.Equal("2026-11-28 17:30 (UTC+09:00) · 30 min ago", card.Row("Resolved"));
    }

    [Fact]
    public void Alert_ResolvedWithoutDetails_ShowsUnknownVerdictResolverAndTime()
    {
        CardView card = Render(
            AlertTexts.Ja,
            AlertCardSamples.Realistic with { Status = AlertStatus.Resolved, ResolvedReason = null, ResolvedBy = null, ResolvedOnDateTime = null });

        Assert.Equal("不明", card.Row("判定"));
        Assert.Equal("不明", card.Row("解決したユーザー"));
        Assert.Equal("不明", card.Row("解決日時"));
    }

    [Theory]
    [InlineData(AlertStatus.Active)]
    [InlineData(AlertStatus.Investigating)]
    public void Alert_OpenAlert_NoResolutionRows(AlertStatus status)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Resolved with { Status = status });

        Assert.Null(card.Row("Verdict"));
        Assert.Null(card.Row("Resolved by"));
        Assert.Null(card.Row("Resolved"));
    }

    // ---- enrichment ----

    [Fact]
    public void Alert_NoEnrichment_ShowsTheAlertsIds()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic, AlertCardContext.None);

        Assert.Equal(Tenant, card.Row("Customer"));
        Assert.Equal($"MS-AZR-0017G {Subscription}", card.Row("Subscription"));
        Assert.Equal("None", card.Row("Reseller"));
        Assert.Contains("customer " + Tenant, card.Root["speak"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_ValueAddedResellerWithoutName_ShowsItsTenantId()
    {
        const string reseller = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { ValueAddedResellerTenantId = reseller }, AlertCardContext.None);

        Assert.Equal(reseller, card.Row("Reseller"));
    }

    [Fact]
    public void Alert_NoIdsAndNoEnrichment_ShowsUnknown()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { CustomerTenantId = null, SubscriptionId = null, CatalogOfferId = null }, AlertCardContext.None);

        Assert.Equal("Unknown", card.Row("Customer"));
        Assert.Equal("Unknown", card.Row("Subscription"));
        Assert.Null(card.Root["actions"]);
    }

    // ---- deep links ----

    [Theory]
    [InlineData("contoso.onmicrosoft.com", Subscription)]
    [InlineData("6a1d2c3b-0000-4000-8000-00000000c001/../../evil", Subscription)]
    [InlineData("00000000-0000-0000-0000-000000000000", Subscription)]
    [InlineData("{6a1d2c3b-0000-4000-8000-00000000c001}", Subscription)]
    [InlineData("", Subscription)]
    public void Alert_NonGuidTenantId_NoDeepLinks(string tenant, string subscription)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { CustomerTenantId = tenant, SubscriptionId = subscription }, AlertCardContext.None);

        Assert.Null(card.Root["actions"]);
    }

    [Theory]
    [InlineData("Azure plan 1")]
    [InlineData("9e8d7c6b-0000-4000-8000-00000000a001?x=1")]
    [InlineData("9e8d7c6b-0000-4000-8000-00000000a001%2F..")]
    [InlineData(null)]
    public void Alert_NonGuidSubscriptionId_OnlyTenantLinks(string? subscription)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { SubscriptionId = subscription });

        Assert.Equal(
            [
                $"https://entra.microsoft.com/{Tenant}/#view/Microsoft_AAD_IAM/SignInEventsV3Blade",
                $"https://partner.microsoft.com/dashboard/v2/customers/{Tenant}/servicemanagementpage",
            ],
            card.TopLevelActions.Select(a => a["url"]!.GetValue<string>()));
    }

    [Fact]
    public void DeepLinks_UpperCaseGuids_NormalisedToLowerCase()
    {
        IReadOnlyList<OpenUrlAction> links = AlertCards.DeepLinks(
            AlertTexts.En,
            AlertCardSamples.Realistic with { CustomerTenantId = Tenant.ToUpperInvariant(), SubscriptionId = Subscription.ToUpperInvariant() },
            AlertCardContext.None);

        Assert.Equal($"https://portal.azure.com/#@{Tenant}/resource/subscriptions/{Subscription}/overview", links[0].Url.OriginalString);
    }

    [Fact]
    public void DeepLinks_AlertWithoutTenant_UsesTheContextsTenant()
    {
        IReadOnlyList<OpenUrlAction> links = AlertCards.DeepLinks(
            AlertTexts.En,
            AlertCardSamples.Realistic with { CustomerTenantId = null },
            new AlertCardContext { CustomerTenantId = Tenant });

        Assert.Equal(5, links.Count);
        Assert.All(links, l => Assert.Contains(Tenant, l.Url.OriginalString, StringComparison.Ordinal));
    }

    // ---- times ----

    [Theory]
    [InlineData("UTC", "2026-11-28 06:00 (UTC) · 3 h ago")]
    [InlineData("Asia/Tokyo", "2026-11-28 15:00 (UTC+09:00) · 3 h ago")]
    [InlineData("America/New_York", "2026-11-28 01:00 (UTC-05:00) · 3 h ago")]
    [InlineData("Asia/Kolkata", "2026-11-28 11:30 (UTC+05:30) · 3 h ago")]
    public void Alert_DisplayTimeZone_ConvertsDetectedTime(string zone, string expected)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic, zone: TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(expected, card.Row("Detected"));
    }

    [Fact]
    public void Alert_DisplayTimeZoneWithSummerTime_UsesTheOffsetOfThatDate()
    {
        var summer = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        CardView card = Render(
            AlertTexts.En,
            AlertCardSamples.Realistic with { DetectedDateTime = summer },
            now: summer.AddDays(2),
            zone: TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

        Assert.Equal("2026-07-01 08:00 (UTC-04:00) · 2 d ago", card.Row("Detected"));
    }

    [Theory]
    [InlineData(0, "just now", "たった今")]
    [InlineData(59, "just now", "たった今")]
    [InlineData(60, "1 min ago", "1 分前")]
    [InlineData(59 * 60 + 59, "59 min ago", "59 分前")]
    [InlineData(3600, "1 h ago", "1 時間前")]
    [InlineData(3 * 3600 + 1799, "3 h ago", "3 時間前")]
    [InlineData(24 * 3600 - 1, "23 h ago", "23 時間前")]
    [InlineData(24 * 3600, "1 d ago", "1 日前")]
    [InlineData(45 * 24 * 3600, "45 d ago", "45 日前")]
    [InlineData(-600, "just now", "たった今")]
    public void Age_ElapsedSeconds_WholeUnitsRoundedDown(int seconds, string english, string japanese)
    {
        DateTimeOffset at = Now.AddSeconds(-seconds);

        Assert.Equal(english, AlertTexts.En.Age(at, Now));
        Assert.Equal(japanese, AlertTexts.Ja.Age(at, Now));
    }

    // ---- resources, details, description: bounded ----

    [Fact]
    public void Alert_ManyResources_ShowsFirstFiveAndCountsTheRest()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Huge);

        Assert.Contains("Affected resources (200)", card.TextBlocks);
        Assert.Equal(AlertCards.MaxShownResources, card.RichTexts.Count(t => t.StartsWith("vm-", StringComparison.Ordinal)));
        Assert.Contains("vm-000 ", card.RichTexts.First(t => t.StartsWith("vm-", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("…and 195 more", card.TextBlocks);
    }

    [Fact]
    public void Alert_NoResources_SaysToReviewTheWholeSubscription()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { AffectedResources = null });

        Assert.Contains("Affected resources (0)", card.TextBlocks);
        Assert.Contains("No resources listed: review the whole subscription.", card.TextBlocks);
    }

    [Theory]
    [InlineData(null, "Unknown")]
    [InlineData("vm7", "vm7")]
    [InlineData("/subscriptions/s1/resourceGroups/rg1/", "rg1 /subscriptions/s1/resourceGroups/rg1/")]
    public void Alert_ResourceIdWithoutAPath_ShownOnce(string? resourceId, string expected)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { AffectedResources = [new AffectedResource { ResourceId = resourceId }] });

        Assert.Contains(expected, card.RichTexts);
    }

    [Fact]
    public void Alert_ManyDetails_ShowsFirstTenAndCountsTheRest()
    {
        CardView card = Render(AlertTexts.Ja, AlertCardSamples.Huge);

        Assert.NotNull(card.Row("Detail000"));
        Assert.NotNull(card.Row("Detail009"));
        Assert.Null(card.Row("Detail010"));
        Assert.Contains("…他 90 件", card.TextBlocks);
    }

    [Fact]
    public void Alert_LongDetailValue_CutAt200CharactersWithEllipsis()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Huge);

        string value = card.Row("Detail000")!;
        Assert.Equal(AlertCards.MaxValueLength, value.Length);
        Assert.EndsWith("…", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_LongDescription_CutWithEllipsisOnOneLine()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Huge);

        string description = card.RichTexts.Single(t => t.StartsWith("Line ", StringComparison.Ordinal));
        Assert.Equal(AlertCards.MaxDescriptionLength, description.Length);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', description);
    }

    [Fact]
    public void Alert_DetailValueCutInsideASurrogatePair_KeepsThePairWhole()
    {
        string value = new string('a', AlertCards.MaxValueLength - 2) + "😀😀😀";
        PartnerSecurityAlert alert = AlertCardSamples.Realistic with { AdditionalDetails = Json($$"""{"Emoji":"{{value}}"}""") };

        string shown = Render(AlertTexts.En, alert).Row("Emoji")!;

        Assert.Equal(new string('a', AlertCards.MaxValueLength - 2) + "…", shown);
    }

    [Theory]
    [InlineData("""{"Ips":"[\"10.0.0.1\", \"10.0.0.2\"]"}""", "10.0.0.1, 10.0.0.2")]
    [InlineData("""{"Ips":"[1, 2, [3, \"x\"]]"}""", "1, 2, 3, x")]
    [InlineData("""{"Ips":"[not json]"}""", "[not json]")]
    [InlineData("""{"Ips":["a","b"]}""", "a, b")]
    [InlineData("""{"Ips":42}""", "42")]
    [InlineData("""{"Ips":{"a":1}}""", """{"a":1}""")]
    [InlineData("""{"Ips":null}""", "—")]
    [InlineData("""{"Ips":"line one\r\nline two"}""", "line one line two")]
    public void Alert_AdditionalDetailValue_ShownReadable(string details, string expected)
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { AdditionalDetails = Json(details) });

        Assert.Equal(expected, card.Row("Ips"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void Alert_200ResourcesAnd100Details_SerializedCardUnder28KB(string language)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(Render(AlertTexts.For(language), AlertCardSamples.Huge).Card, CardJsonContext.Default.AdaptiveCard);

        Assert.True(json.Length < 28 * 1024, $"{json.Length} bytes");
    }

    // ---- untrusted text ----

    [Fact]
    public void Alert_MarkdownInNamesAndDetails_NeverReachesATextBlock()
    {
        const string link = "[Verify your account](https://evil.example/login)";
        PartnerSecurityAlert alert = AlertCardSamples.Realistic with
        {
            DisplayName = "Action Required: " + link,
            Description = link,
            ResolvedBy = link,
            Status = AlertStatus.Resolved,
            AdditionalDetails = Json($$"""{"{{link}}":"{{link}}"}"""),
            AffectedResources = [new AffectedResource { ResourceId = link }],
        };
        var context = new AlertCardContext { CustomerName = link, CustomerDomain = link, ResellerNames = [link], SubscriptionName = link, SubscriptionOffer = link };

        CardView card = Render(AlertTexts.En, alert, context);

        Assert.DoesNotContain(card.TextBlocks, t => UnescapedBracket().IsMatch(t));
        Assert.Equal(@"Action Required: \[Verify your account\](https://evil.example/login)", card.Heading);
        Assert.Contains(link, card.Row("Customer"), StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_UnderscoresInTheTitle_Escaped()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { DisplayName = "VM_Anomalous_Deployment *now*" });

        Assert.Equal(@"VM\_Anomalous\_Deployment \*now\*", card.Heading);
    }

    [Fact]
    public void Alert_NoDisplayName_TitleIsTheHumanisedType()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic with { DisplayName = "  ", AlertType = "VM_AnomalousDeployment" });

        Assert.Equal("VM anomalous deployment", card.Heading);
    }

    [Fact]
    public void Alert_NoDisplayNameAndNoType_FallbackTitle()
    {
        CardView card = Render(AlertTexts.Ja, AlertCardSamples.Realistic with { DisplayName = null, AlertType = null });

        Assert.Equal("パートナー セキュリティ アラート", card.Heading);
    }

    // ---- the actions slot ----

    [Fact]
    public void Alert_WithActions_RendersThemInAnActionSetRightUnderTheFacts()
    {
        CardView card = Render(AlertTexts.En, AlertCardSamples.Realistic, actions: AlertCardSamples.TriageActions);

        int facts = card.Body.IndexOf(card.FactsContainer);
        JsonNode actionSet = card.Body[facts + 1]!;
        Assert.Equal("ActionSet", actionSet["type"]!.GetValue<string>());
        Assert.Equal(["alert.triage.a", "alert.triage.b"], actionSet["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()));
        Assert.Equal(5, card.TopLevelActions.Count);
    }

    [Fact]
    public void Alert_NoActions_NoActionSet()
    {
        Assert.DoesNotContain(Render(AlertTexts.En, AlertCardSamples.Realistic, actions: []).Body, e => e!["type"]!.GetValue<string>() == "ActionSet");
        Assert.DoesNotContain(Render(AlertTexts.En, AlertCardSamples.Realistic, actions: null).Body, e => e!["type"]!.GetValue<string>() == "ActionSet");
    }

    [Fact]
    public void Alert_MoreActionsThanTeamsShows_Throws()
    {
        CardAction[] seven = [.. Enumerable.Range(0, 7).Select(i => new ExecuteAction { Verb = "v" + i, Title = "B" + i })];

        Assert.Throws<ArgumentException>(() => AlertCards.Alert(AlertTexts.En, AlertCardSamples.Realistic, AlertCardContext.None, Now, Tokyo, 1, seven));
    }

    [Fact]
    public void Alert_NegativeCardVersion_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertCards.Alert(AlertTexts.En, AlertCardSamples.Realistic, AlertCardContext.None, Now, Tokyo, -1));
    }

    // ---- alert type names ----

    [Theory]
    [InlineData("networkConnectionsToCryptoMiningPools", "Network connections to crypto mining pools")]
    [InlineData("VM_AnomalousDeployment", "VM anomalous deployment")]
    [InlineData("ARM_AnomalousResourceConsumption", "ARM anomalous resource consumption")]
    [InlineData("AzureMachineLearning_AnomalousDeployment", "Azure machine learning anomalous deployment")]
    [InlineData("usageAnomalyDetection", "Usage anomaly detection")]
    [InlineData("CryptoMining", "Crypto mining")]
    [InlineData("VMDeployment", "VM deployment")]
    [InlineData("ARM", "ARM")]
    [InlineData("x", "X")]
    [InlineData("suspicious-login [beta](x)", "Suspicious login beta x")]
    [InlineData("___", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void HumanizeAlertType_RawType_WordsForPeople(string? raw, string? expected)
    {
        Assert.Equal(expected, AlertCards.HumanizeAlertType(raw));
    }

    // ---- summary line ----

    [Fact]
    public void SummaryLine_RealisticAlertInEnglish_OneLineWithTheEssentials()
    {
        Assert.Equal(
            "High severity · Active · Network connections to crypto mining pools · customer Contoso Pharmaceuticals · subscription Contoso Production · detected 3 h ago",
            AlertCards.SummaryLine(AlertTexts.En, AlertCardSamples.Realistic, AlertCardSamples.Enriched, Now));
    }

    [Fact]
    public void SummaryLine_ResolvedTestAlertInJapanese_PrefixAndVerdict()
    {
        Assert.Equal(
            "[テスト] 重大度 高 · 解決済み (不正) · Network connections to crypto mining pools · 顧客 Contoso Pharmaceuticals · サブスクリプション Contoso Production · 3 時間前に検出",
            AlertCards.SummaryLine(AlertTexts.Ja, AlertCardSamples.Resolved with { IsTest = true }, AlertCardSamples.Enriched, Now));
    }

    [Fact]
    public void SummaryLine_NoEnrichmentAndNoTimes_IdsAndUnknown()
    {
        string line = AlertCards.SummaryLine(
            AlertTexts.En,
            AlertCardSamples.Realistic with { DetectedDateTime = null, AlertType = null, DisplayName = "Odd\nalert" },
            AlertCardContext.None,
            Now);

        Assert.Equal($"High severity · Active · Odd alert · customer {Tenant} · subscription {Subscription} · detected Unknown", line);
    }

    [Fact]
    public void SummaryLine_VeryLongCustomerName_CutSoTheLineStaysShort()
    {
        string line = AlertCards.SummaryLine(
            AlertTexts.En, AlertCardSamples.Realistic, AlertCardSamples.Enriched with { CustomerName = new string('C', 5000) }, Now);

        Assert.True(line.Length < 400, $"{line.Length} characters");
        Assert.Contains("C… · subscription Contoso Production", line, StringComparison.Ordinal);
    }

    // ---- backfill summary ----

    [Fact]
    public void BackfillSummary_ElevenAlerts_CountsByTypeCustomerAndAge()
    {
        CardView card = new(AlertCards.BackfillSummary(AlertTexts.En, AlertCardSamples.Backlog, AlertCardSamples.CustomerNames, Now, Tokyo, pageSize: 5, signPage: Sign));

        Assert.Equal("Open partner security alerts", card.Heading);
        Assert.Contains("11 open alerts are waiting for a verdict.", card.TextBlocks);
        Assert.Equal("6", card.CountRow("Network connections to crypto mining pools"));
        Assert.Equal("4", card.CountRow("VM anomalous deployment"));
        Assert.Equal("1", card.CountRow("Unknown"));
        Assert.Equal("7", card.CountRow("Contoso Pharmaceuticals"));
        Assert.Equal("3", card.CountRow(AlertCardSamples.OtherTenant));
        Assert.Equal("1", card.CountRow("Unknown", occurrence: 1));
        Assert.Equal("3", card.CountRow("Less than 24 h"));
        Assert.Equal("3", card.CountRow("1–7 days"));
        Assert.Equal("2", card.CountRow("7–30 days"));
        Assert.Equal("2", card.CountRow("More than 30 days"));
        Assert.Equal("1", card.CountRow("Detection time unknown"));
        Assert.Contains("2026-09-29 18:00 (UTC+09:00) · 60 d ago", card.RichTexts);
        Assert.Contains("VM anomalous deployment · Contoso Pharmaceuticals", card.RichTexts);
    }

    [Fact]
    public void BackfillSummary_ElevenAlertsFivePerPage_ExecuteButtonForPageOneOfThree()
    {
        CardView card = new(AlertCards.BackfillSummary(AlertTexts.En, AlertCardSamples.Backlog, AlertCardSamples.CustomerNames, Now, Tokyo, pageSize: 5, signPage: Sign));

        JsonNode button = Assert.Single(card.TopLevelActions);
        Assert.Equal("Action.Execute", button["type"]!.GetValue<string>());
        Assert.Equal("Post these alerts (page 1 of 3)", button["title"]!.GetValue<string>());
        Assert.Equal(AlertCards.BackfillPageVerb, button["verb"]!.GetValue<string>());
        Assert.Equal("alerts.backfill.page", AlertCards.BackfillPageVerb);
        Assert.Equal("""{"page":1,"signature":"signature-of-page-1"}""", button["data"]!.ToJsonString());
        Assert.Equal("Action.Submit", button["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("""{"page":1,"signature":"signature-of-page-1","verb":"alerts.backfill.page"}""", button["fallback"]!["data"]!.ToJsonString());
    }

    [Fact]
    public void BackfillSummary_ButtonData_ReadsBackAsTheTypedRecord()
    {
        CardView card = new(AlertCards.BackfillSummary(AlertTexts.Ja, AlertCardSamples.Backlog, null, Now, Tokyo, pageSize: 100, signPage: Sign));

        JsonNode button = Assert.Single(card.TopLevelActions);
        Assert.Equal("これらのアラートを投稿 (1/1 ページ)", button["title"]!.GetValue<string>());
        BackfillPageData? data = button["fallback"]!["data"].Deserialize(AlertCardJsonContext.Default.BackfillPageData);
        Assert.Equal(new BackfillPageData(1, "signature-of-page-1") { Verb = AlertCards.BackfillPageVerb }, data);
    }

    [Fact]
    public void BackfillSummary_FifteenCustomers_TopTenThenOtherCustomers()
    {
        PartnerSecurityAlert[] alerts =
        [
            .. Enumerable.Range(0, 15).SelectMany(i => Enumerable.Repeat(
                AlertCardSamples.Realistic with { CustomerTenantId = $"00000000-0000-4000-8000-{i:D12}" }, 15 - i)),
        ];

        CardView card = new(AlertCards.BackfillSummary(AlertTexts.En, alerts, null, Now, Tokyo, pageSize: 10, signPage: Sign));

        Assert.Equal("15", card.CountRow("00000000-0000-4000-8000-000000000000"));
        Assert.Equal("6", card.CountRow("00000000-0000-4000-8000-000000000009"));
        Assert.Null(card.CountRow("00000000-0000-4000-8000-000000000010"));
        Assert.Equal("15", card.CountRow("Other customers"));
        Assert.Contains("By customer (top 10)", card.TextBlocks);
    }

    [Fact]
    public void BackfillSummary_NoAlerts_SaysSoWithoutAButton()
    {
        CardView card = new(AlertCards.BackfillSummary(AlertTexts.En, [], null, Now, Tokyo, pageSize: 10, signPage: Sign));

        Assert.Contains("There are no open partner security alerts.", card.TextBlocks);
        Assert.Null(card.Root["actions"]);
    }

    [Fact]
    public void BackfillSummary_ZeroPageSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertCards.BackfillSummary(AlertTexts.En, AlertCardSamples.Backlog, null, Now, Tokyo, pageSize: 0, signPage: Sign));
    }

    // ---- the catalog and the texts ----

    [Fact]
    public void Catalog_EveryAlertCardsBuilder_IsCoveredInEveryLanguage()
    {
        IEnumerable<string> builders = typeof(AlertCards)
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(AdaptiveCard))
            .Select(m => m.Name)
            .Distinct();

        Assert.NotEmpty(builders);
        foreach (string builder in builders)
        {
            foreach (string language in AlertTexts.All.Select(t => t.Language))
            {
                Assert.Contains(
                    CardCatalog.All.Keys,
                    name => name.StartsWith(builder + ".", StringComparison.Ordinal) && name.EndsWith("." + language, StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("ja", "ja")]
    [InlineData("ja-JP", "ja")]
    [InlineData("JA_jp", "ja")]
    [InlineData("en", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData("jav", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void For_LanguageOrLocale_JapaneseOrEnglish(string? language, string expected)
    {
        Assert.Equal(expected, AlertTexts.For(language).Language);
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void Ja_EveryText_NonEmptyAndTranslated(string property)
    {
        string en = Text(AlertTexts.En, property);
        string ja = Text(AlertTexts.Ja, property);

        Assert.False(string.IsNullOrWhiteSpace(en), $"En.{property} is empty");
        Assert.False(string.IsNullOrWhiteSpace(ja), $"Ja.{property} is empty");
        Assert.NotEqual(en, ja);
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void EnAndJa_EveryText_SamePlaceholders(string property)
    {
        Assert.Equal(Placeholders(Text(AlertTexts.En, property)), Placeholders(Text(AlertTexts.Ja, property)));
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void Format_EveryTextWithItsPlaceholders_IsAValidCompositeFormat(string property)
    {
        foreach (AlertTexts texts in AlertTexts.All)
        {
            string format = Text(texts, property);
            int count = Placeholders(format).Select(p => p.Index + 1).DefaultIfEmpty(0).Max();

            string formatted = texts.Format(format, [.. Enumerable.Range(0, count).Select(i => (object)i)]);

            Assert.DoesNotContain("{", formatted, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TextProperties_Reflection_FindsTheCatalog()
    {
        Assert.Contains(nameof(AlertTexts.ChecklistEnforceMfa), TextProperties.Select(row => row.Data));
        Assert.True(TextProperties.Count > 60);
    }

    [Fact]
    public void AllEnumMembers_EveryLanguage_HaveTheirOwnWord()
    {
        foreach (AlertTexts texts in AlertTexts.All)
        {
            Assert.Equal(Enum.GetValues<AlertSeverity>().Length, Enum.GetValues<AlertSeverity>().Select(texts.Severity).Distinct().Count());
            Assert.Equal(Enum.GetValues<AlertConfidence>().Length, Enum.GetValues<AlertConfidence>().Select(texts.Confidence).Distinct().Count());
            Assert.Equal(Enum.GetValues<AlertStatus>().Length, Enum.GetValues<AlertStatus>().Select(texts.Status).Distinct().Count());
            Assert.Equal(Enum.GetValues<AlertResolvedReason>().Length, Enum.GetValues<AlertResolvedReason>().Select(v => texts.Verdict(v)).Distinct().Count());
        }
    }

    // ---- helpers ----

    private static CardView Render(
        AlertTexts texts,
        PartnerSecurityAlert alert,
        AlertCardContext? context = null,
        DateTimeOffset? now = null,
        TimeZoneInfo? zone = null,
        IReadOnlyList<CardAction>? actions = null) =>
        new(AlertCards.Alert(texts, alert, context ?? AlertCardContext.None, now ?? Now, zone ?? Tokyo, 3, actions));

    private static PartnerSecurityAlert Parse(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.PartnerSecurityAlert)!;

    private static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static IEnumerable<PropertyInfo> StringProperties() =>
        typeof(AlertTexts).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string));

    private static string Text(AlertTexts texts, string property) =>
        (string)typeof(AlertTexts).GetProperty(property)!.GetValue(texts)!;

    private static List<(int Index, string Spec)> Placeholders(string format) =>
        [.. PlaceholderPattern().Matches(format)
            .Select(m => (int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture), m.Groups["spec"].Value))
            .Order()];

    [GeneratedRegex(@"\{(?<index>\d+)(?<spec>[^}]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"(?<!\\)[\[\]]")]
    private static partial Regex UnescapedBracket();

    [GeneratedRegex(@"^[1-5]\. ")]
    private static partial Regex ChecklistStep();

    /// <summary>The serialized card, read the way a person reads it.</summary>
    private sealed class CardView
    {
        public CardView(AdaptiveCard card)
        {
            Card = card;
            Root = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard))!.AsObject();
        }

        public AdaptiveCard Card { get; }

        public JsonObject Root { get; }

        public JsonArray Body => Root["body"]!.AsArray();

        /// <summary>The container that holds the title and the severity/confidence/status columns.</summary>
        public JsonNode Header => Body.First(e => e!["type"]!.GetValue<string>() == "Container" && e["items"]![0]!["style"]?.GetValue<string>() == "heading")!;

        public JsonNode FactsContainer => Body.First(e => e!["type"]!.GetValue<string>() == "Container" && e["items"]![0]!["type"]!.GetValue<string>() == "ColumnSet")!;

        public string Heading => Descendants(Root).Single(n => n["style"]?.GetValue<string>() == "heading")["text"]!.GetValue<string>();

        public IReadOnlyList<string> HeaderTexts =>
            [.. Header["items"]![1]!["columns"]!.AsArray().SelectMany(c => c!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()))];

        public List<JsonNode> TopLevelActions => Root["actions"] is JsonArray actions ? [.. actions.Select(a => a!)] : [];

        public List<string> TextBlocks =>
            [.. Descendants(Root).Where(n => n["type"]?.GetValue<string>() == "TextBlock").Select(n => n["text"]!.GetValue<string>())];

        /// <summary>Each RichTextBlock's runs joined.</summary>
        public List<string> RichTexts =>
            [.. Descendants(Root).Where(n => n["type"]?.GetValue<string>() == "RichTextBlock").Select(RunsText)];

        public string HeaderValueColor(int column) =>
            Header["items"]![1]!["columns"]![column]!["items"]![1]!["color"]!.GetValue<string>();

        /// <summary>The value of the label/value row with this label (its lines joined by spaces); null when there is none.</summary>
        public string? Row(string label) =>
            FindRow(label) is { } row ? string.Join(" ", row["columns"]![1]!["items"]!.AsArray().Select(i => ElementText(i!))) : null;

        public List<JsonNode> RowRuns(string label) =>
            [.. FindRow(label)!["columns"]![1]!["items"]![0]!["inlines"]!.AsArray().Select(r => r!)];

        /// <summary>The count of a backfill breakdown row; null when there is none.</summary>
        public string? CountRow(string label, int occurrence = 0) =>
            Rows().Where(r => ElementText(r["columns"]![0]!["items"]![0]!) == label)
                .Skip(occurrence)
                .Select(r => r["columns"]![1]!["items"]![0]!["text"]!.GetValue<string>())
                .FirstOrDefault();

        private JsonNode? FindRow(string label) =>
            Rows().FirstOrDefault(r => r["columns"]![0]!["items"]!.AsArray().Count == 1 && ElementText(r["columns"]![0]!["items"]![0]!) == label);

        private IEnumerable<JsonNode> Rows() =>
            Descendants(Root).Where(n => n["type"]?.GetValue<string>() == "ColumnSet" && n["columns"]!.AsArray().Count == 2);

        private static string ElementText(JsonNode element) =>
            element["type"]!.GetValue<string>() == "RichTextBlock" ? RunsText(element) : element["text"]!.GetValue<string>();

        private static string RunsText(JsonNode richText) =>
            string.Concat(richText["inlines"]!.AsArray().Select(r => r!["text"]!.GetValue<string>()));

        private static IEnumerable<JsonObject> Descendants(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                yield return obj;
                foreach ((string key, JsonNode? child) in obj)
                {
                    if (child is not null && key != "data")
                    {
                        foreach (JsonObject d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }
            }
            else if (node is JsonArray array)
            {
                foreach (JsonNode? child in array)
                {
                    if (child is not null)
                    {
                        foreach (JsonObject d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }
            }
        }
    }
}

/// <summary>
/// Alerts modelled on the Graph docs' <c>partnerSecurityAlert</c> samples, and the alert cards
/// built from them for the validation catalog (<see cref="CardCatalog"/>).
/// </summary>
internal static class AlertCardSamples
{
    public const string OtherTenant = "2b7e1f00-0000-4000-8000-00000000c002";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An active, high-severity crypto mining alert, as Graph (beta) returns it.</summary>
    public static PartnerSecurityAlert Realistic { get; } = JsonSerializer.Deserialize("""
        {
          "@odata.type": "#microsoft.graph.partner.security.partnerSecurityAlert",
          "id": "9e8d7c6b-0000-4000-8000-00000000a001-5f1c2a9e-7b3d-4e8f-a6c1-2d4b6f8e0a13",
          "displayName": "Action Required: Suspicious network connections to crypto mining pools",
          "description": "Azure Defender detected network connections from virtual machines in this subscription to known crypto currency mining pools.\nReview the virtual machines and stop any you did not deploy.",
          "alertType": "networkConnectionsToCryptoMiningPools",
          "status": "active",
          "severity": "high",
          "confidenceLevel": "medium",
          "customerTenantId": "6a1d2c3b-0000-4000-8000-00000000c001",
          "subscriptionId": "9e8d7c6b-0000-4000-8000-00000000a001",
          "valueAddedResellerTenantId": null,
          "catalogOfferId": "MS-AZR-0017G",
          "detectedDateTime": "2026-11-28T06:00:00Z",
          "firstObservedDateTime": "2026-11-28T05:12:00Z",
          "lastObservedDateTime": "2026-11-28T05:58:00Z",
          "resolvedReason": null,
          "resolvedOnDateTime": null,
          "resolvedBy": null,
          "isTest": "false",
          "affectedResources": [
            {
              "resourceId": "/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/vm-build-07",
              "resourceType": "AzureResource"
            },
            {
              "resourceId": "/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/vm-build-08",
              "resourceType": "AzureResource"
            }
          ],
          "activityLogs": [],
          "additionalDetails": {
            "@odata.type": "#microsoft.graph.partner.security.additionalDataDictionary",
            "VM_IP": "[\"10.0.4.7\",\"10.0.4.8\"]",
            "MiningPool_IP": "[\"203.0.113.50\"]",
            "ConnectionCount": "1342",
            "CryptoCurrencyMiningPoolDomainName": "pool.minexmr.example"
          }
        }
        """, AlertJsonContext.Default.PartnerSecurityAlert)!;

    /// <summary>The same alert after a partner user resolved it as fraud.</summary>
    public static PartnerSecurityAlert Resolved { get; } = Realistic with
    {
        Status = AlertStatus.Resolved,
        ResolvedReason = AlertResolvedReason.Fraud,
        ResolvedBy = "aiko.tanaka@fabrikam-csp.example",
        ResolvedOnDateTime = new DateTimeOffset(2026, 11, 28, 8, 30, 0, TimeSpan.Zero),
    };

    /// <summary>200 affected resources, 100 long details and a long multi-line description.</summary>
    public static PartnerSecurityAlert Huge { get; } = Realistic with
    {
        AffectedResources =
        [
            .. Enumerable.Range(0, 200).Select(i => new AffectedResource
            {
                ResourceId = $"/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/resourceGroups/rg-{new string('x', 60)}/providers/Microsoft.Compute/virtualMachines/vm-{i:D3}",
                ResourceType = "AzureResource",
            }),
        ],
        AdditionalDetails = JsonDocument.Parse(
            "{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"Detail{i:D3}\":\"{new string((char)('a' + (i % 26)), 1000)}\"")) + "}").RootElement,
        Description = string.Join("\n", Enumerable.Range(0, 500).Select(i => $"Line {i} of a very long description.")),
    };

    public static AlertCardContext Enriched { get; } = new()
    {
        CustomerName = "Contoso Pharmaceuticals",
        CustomerDomain = "contoso-pharma.onmicrosoft.com",
        ResellerNames = ["Fabrikam Cloud Services", "Northwind Traders"],
        SubscriptionName = "Contoso Production",
        SubscriptionOffer = "Azure plan",
    };

    public static IReadOnlyList<CardAction> TriageActions { get; } =
    [
        new ExecuteAction { Title = "A", Verb = "alert.triage.a" },
        new ExecuteAction { Title = "B", Verb = "alert.triage.b" },
    ];

    public static IReadOnlyDictionary<string, string> CustomerNames { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["6a1d2c3b-0000-4000-8000-00000000c001"] = "Contoso Pharmaceuticals" };

    /// <summary>Eleven open alerts: two types and an unknown one, two customers and one without a tenant, every age bucket.</summary>
    public static IReadOnlyList<PartnerSecurityAlert> Backlog { get; } =
    [
        Aged(TimeSpan.FromHours(1)),
        Aged(TimeSpan.FromHours(5)),
        Aged(TimeSpan.FromHours(23)),
        Aged(TimeSpan.FromDays(1)),
        Aged(TimeSpan.FromDays(3)) with { CustomerTenantId = OtherTenant },
        Aged(TimeSpan.FromDays(6.9)) with { CustomerTenantId = OtherTenant },
        Aged(TimeSpan.FromDays(7)) with { AlertType = "VM_AnomalousDeployment", CustomerTenantId = OtherTenant },
        Aged(TimeSpan.FromDays(29)) with { AlertType = "VM_AnomalousDeployment", CustomerTenantId = null },
        Aged(TimeSpan.FromDays(30)) with { AlertType = "VM_AnomalousDeployment" },
        Aged(TimeSpan.FromDays(60)) with { AlertType = "VM_AnomalousDeployment" },
        Realistic with { DetectedDateTime = null, AlertType = null, Status = AlertStatus.Investigating },
    ];

    /// <summary>Every alert card variant, in every language, for the validator.</summary>
    public static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        TimeZoneInfo tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        foreach (AlertTexts texts in AlertTexts.All)
        {
            string lang = texts.Language;
            cards[$"{nameof(AlertCards.Alert)}.realistic.{lang}"] = AlertCards.Alert(texts, Realistic, Enriched, Now, tokyo, 1);
            cards[$"{nameof(AlertCards.Alert)}.not-enriched.{lang}"] = AlertCards.Alert(texts, Realistic, AlertCardContext.None, Now, TimeZoneInfo.Utc, 1);
            cards[$"{nameof(AlertCards.Alert)}.test-with-actions.{lang}"] = AlertCards.Alert(texts, Realistic with { IsTest = true }, Enriched, Now, tokyo, 2, TriageActions);
            cards[$"{nameof(AlertCards.Alert)}.resolved.{lang}"] = AlertCards.Alert(texts, Resolved, Enriched, Now, tokyo, 4);
            cards[$"{nameof(AlertCards.Alert)}.huge.{lang}"] = AlertCards.Alert(texts, Huge, Enriched, Now, tokyo, 1);
            cards[$"{nameof(AlertCards.Alert)}.bare.{lang}"] = AlertCards.Alert(
                texts, new PartnerSecurityAlert { Id = "x" }, AlertCardContext.None, Now, tokyo, 0);
            cards[$"{nameof(AlertCards.BackfillSummary)}.backlog.{lang}"] = AlertCards.BackfillSummary(texts, Backlog, CustomerNames, Now, tokyo, 5, p => $"signature-of-page-{p}");
            cards[$"{nameof(AlertCards.BackfillSummary)}.empty.{lang}"] = AlertCards.BackfillSummary(texts, [], null, Now, tokyo, 5, p => $"signature-of-page-{p}");
        }
    }

    private static PartnerSecurityAlert Aged(TimeSpan age) => Realistic with { DetectedDateTime = Now - age };
}
