using System.Reflection;
using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Tests.Cards;

namespace TeamsAlertBot.Tests.Queries;

public sealed class QueryCardsTests
{
    private const string Tenant = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string ResellerTenant = "5c4b3a29-0000-4000-8000-0000000000e1";
    private static readonly DateTimeOffset Now = AlertCardSamples.Now;
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    internal static CustomerView Contoso { get; } = new()
    {
        TenantId = Tenant,
        CompanyName = "Contoso Ltd",
        Domain = "contoso.onmicrosoft.com",
        RelationshipToPartner = "reseller",
        AllowDelegatedAccess = true,
        AssociatedPartnerId = ResellerTenant,
    };

    internal static IReadOnlyList<ResellerView> Resellers { get; } =
    [
        new ResellerView { TenantId = ResellerTenant, Name = "Fabrikam Reseller KK", RelationshipType = "IsIndirectResellerOf", State = "Active", MpnId = "6543210" },
    ];

    internal static SubscriptionView AzurePlan { get; } = new()
    {
        Customer = Contoso,
        Id = "a1b2c3d4-0000-4000-8000-0000000000p1",
        FriendlyName = "Azure plan",
        OfferId = "DZH318Z0BCZC:0001",
        OfferName = "Azure plan",
        Status = "active",
        BillingCycle = "monthly",
        CreationDate = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero),
        EffectiveStartDate = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero),
        IsAzurePlan = true,
        AzureSubscriptions =
        [
            new AzureSubscriptionView { Id = "9e8d7c6b-0000-4000-8000-00000000a001", FriendlyName = "Production", Status = "active" },
            new AzureSubscriptionView { Id = "9e8d7c6b-0000-4000-8000-00000000a002", FriendlyName = "Dev/Test", Status = "suspended" },
        ],
        AskedAzureSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a001",
    };

    internal static SubscriptionView License { get; } = new()
    {
        Customer = Contoso,
        Id = "1f2e3d4c-0000-4000-8000-0000000000s1",
        FriendlyName = "Microsoft 365 E3",
        OfferName = "Microsoft 365 E3",
        Status = "active",
        Quantity = 25,
        BillingCycle = "annual",
        TermDuration = "P1Y",
        AutoRenewEnabled = true,
        CommitmentEndDate = new DateTimeOffset(2027, 3, 31, 0, 0, 0, TimeSpan.Zero),
    };

    internal static OrganizationProfileView Profile { get; } = new()
    {
        Id = "3b1d7c2e-0000-4000-8000-0000000000f0",
        CompanyName = "Fabrikam CSP",
        TenantId = "7d6c1e52-4c3b-4f0f-9b1a-2a5b3c4d5e6f",
        Domain = "fabrikam-csp.onmicrosoft.com",
        Email = "partner-admin@fabrikam-csp.example",
        Language = "ja",
        Culture = "ja-JP",
        Address = "1-2-3 Marunouchi, Chiyoda-ku, Tokyo, 100-0005, JP",
    };

    private static IReadOnlyList<PartnerSecurityAlert> OpenAlerts { get; } =
    [
        AlertCardSamples.Realistic,
        AlertCardSamples.Realistic with { Id = "b-2", Severity = AlertSeverity.Low, Status = AlertStatus.Investigating, AlertType = "VM_AnomalousDeployment" },
    ];

    /// <summary>Every query card in both languages, for the validation catalog.</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (QueryTexts texts in QueryTexts.All)
        {
            string lang = texts.Language;
            AlertTexts alertTexts = AlertTexts.For(lang);
            cards[$"Query.{nameof(QueryCards.Customer)}.{lang}"] = QueryCards.Customer(texts, Contoso, Resellers, OpenAlerts, Now);
            cards[$"Query.{nameof(QueryCards.Customer)}.unknowns.{lang}"] = QueryCards.Customer(texts, new CustomerView { TenantId = Tenant }, null, null, Now);
            cards[$"Query.{nameof(QueryCards.CustomerChoice)}.{lang}"] = Choice(texts, 12);
            cards[$"Query.{nameof(QueryCards.Subscription)}.azure-plan.{lang}"] = QueryCards.Subscription(texts, AzurePlan, OpenAlerts, Now, Tokyo);
            cards[$"Query.{nameof(QueryCards.Subscription)}.license.{lang}"] = QueryCards.Subscription(texts, License, [], Now, Tokyo);
            cards[$"Query.{nameof(QueryCards.Resellers)}.{lang}"] = QueryCards.Resellers(texts, Contoso, Resellers);
            cards[$"Query.{nameof(QueryCards.Resellers)}.none.{lang}"] = QueryCards.Resellers(texts, Contoso with { AssociatedPartnerId = null }, []);
            cards[$"Query.{nameof(QueryCards.Profile)}.{lang}"] = QueryCards.Profile(texts, Profile);
            cards[$"Query.{nameof(QueryCards.AlertWithHistory)}.{lang}"] = History(texts, alertTexts, audit: Audit);
            cards[$"Query.{nameof(QueryCards.AlertWithHistory)}.audit-unavailable.{lang}"] = History(texts, alertTexts, audit: null);
            cards[$"Query.{nameof(QueryCards.AlertList)}.{lang}"] = List(texts, total: 23, page: 1);
            cards[$"Query.{nameof(QueryCards.AlertList)}.last-page.{lang}"] = List(texts, total: 23, page: 3);
            cards[$"Query.{nameof(QueryCards.AlertList)}.empty.{lang}"] = List(texts, total: 0, page: 1);
            cards[$"Query.{nameof(QueryCards.AlertList)}.past-end.{lang}"] = List(texts, total: 3, page: 4);
            foreach (QueryProblemKind kind in Enum.GetValues<QueryProblemKind>())
            {
                cards[$"Query.{nameof(QueryCards.Problem)}.{kind}.{lang}"] = QueryCards.Problem(texts, SampleProblem(kind));
            }
        }
    }

    private static readonly IReadOnlyList<AuditLine> Audit =
    [
        new AuditLine(new DateTimeOffset(2026, 11, 28, 8, 10, 0, TimeSpan.Zero), "investigating", "Aiko Analyst", "Checking with the customer", "applied"),
    ];

    private static AdaptiveCard Choice(QueryTexts texts, int count) => QueryCards.CustomerChoice(
        texts,
        "Contoso",
        [.. Enumerable.Range(1, count).Select(i => new CustomerView { TenantId = $"6a1d2c3b-0000-4000-8000-0000000000{i:D2}", CompanyName = $"Contoso {i}", Domain = $"contoso{i}.onmicrosoft.com" })],
        tenant => new QueryActionData("customer", tenant));

    private static AdaptiveCard History(QueryTexts texts, AlertTexts alertTexts, IReadOnlyList<AuditLine>? audit)
    {
        PartnerSecurityAlert alert = AlertCardSamples.Resolved with
        {
            ActivityLogs =
            [
                new AlertActivityLog { StatusFrom = AlertStatus.Active, StatusTo = AlertStatus.Investigating, UpdatedBy = "aiko@fabrikam-csp.example", UpdatedDateTime = new DateTimeOffset(2026, 11, 28, 8, 10, 5, TimeSpan.Zero) },
                new AlertActivityLog { StatusFrom = AlertStatus.Investigating, StatusTo = AlertStatus.Resolved, UpdatedBy = "aiko@fabrikam-csp.example", UpdatedDateTime = new DateTimeOffset(2026, 11, 28, 8, 30, 0, TimeSpan.Zero) },
            ],
        };
        AdaptiveCard card = AlertCards.Alert(alertTexts, alert, AlertCardContext.None, Now, Tokyo, cardVersion: 1);
        return QueryCards.AlertWithHistory(texts, alertTexts, card, alert.ActivityLogs!, audit, Tokyo);
    }

    private static AdaptiveCard List(QueryTexts texts, int total, int page)
    {
        var request = new AlertListRequest { Status = AlertListStatus.Investigating, Customer = Tenant, AlertType = "VM", OlderThan = TimeSpan.FromHours(24), Page = page };
        int shown = Math.Clamp(total - ((page - 1) * 10), 0, 10);
        return QueryCards.AlertList(
            texts,
            new AlertListPage
            {
                Request = request,
                CustomerLabel = "Contoso Ltd",
                Alerts = [.. Enumerable.Range(0, shown).Select(i => AlertCardSamples.Realistic with { Id = $"alert-{page}-{i}" })],
                Total = total,
                PageSize = 10,
                CustomerNames = new Dictionary<string, string> { [Tenant] = "Contoso Ltd" },
            },
            Now);
    }

    private static QueryProblem SampleProblem(QueryProblemKind kind) => new(kind)
    {
        Command = CommandKind.Alerts,
        Detail = kind == QueryProblemKind.Usage ? QueryTexts.En.Format(QueryTexts.En.AlertsUnknownWord, "frobnicate") : null,
        Subject = "contoso.example",
        Context = "Contoso Ltd",
        RetryAfter = TimeSpan.FromSeconds(42),
        StatusCode = 403,
        RequestIds = "MS-RequestId 1, MS-CorrelationId 2",
    };

    [Fact]
    public void Catalog_EveryQueryCardsBuilder_IsCoveredInBothLanguages()
    {
        string[] builders = [.. typeof(QueryCards).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(AdaptiveCard)).Select(m => m.Name).Distinct()];

        Assert.NotEmpty(builders);
        foreach (string builder in builders)
        {
            foreach (string language in QueryTexts.All.Select(t => t.Language))
            {
                Assert.Contains(CardCatalog.All.Keys, name => name.StartsWith($"Query.{builder}.", StringComparison.Ordinal) && name.EndsWith("." + language, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Customer_Normal_ShowsNamesRelationshipResellerAlertsAndLinks()
    {
        string json = Json(QueryCards.Customer(QueryTexts.En, Contoso, Resellers, OpenAlerts, Now));

        Assert.Contains("Contoso Ltd", json, StringComparison.Ordinal);
        Assert.Contains("contoso.onmicrosoft.com", json, StringComparison.Ordinal);
        Assert.Contains("\"Reseller\"", json, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Reseller KK", json, StringComparison.Ordinal);
        Assert.Contains("Open alerts (2)", json, StringComparison.Ordinal);
        Assert.Contains($"https://partner.microsoft.com/dashboard/commerce2/customers/{Tenant}/subscriptions", json, StringComparison.Ordinal);
        ExecuteAction list = Assert.IsType<ExecuteAction>(QueryCards.Customer(QueryTexts.En, Contoso, Resellers, OpenAlerts, Now).Actions![0]);
        Assert.Equal(QueryCards.RunVerb, list.Verb);
        Assert.Equal(new QueryActionData("alerts", $"open customer {Tenant}"), list.Data!.Value.Deserialize(QueryCardJsonContext.Default.QueryActionData));
    }

    [Fact]
    public void Customer_GraphUnavailable_SaysSoInsteadOfZero()
    {
        string json = Json(QueryCards.Customer(QueryTexts.En, Contoso, Resellers, openAlerts: null, Now));

        Assert.Contains("could not be read from Microsoft Graph", json, StringComparison.Ordinal);
        Assert.DoesNotContain("No open alerts", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_Japanese_JapaneseLabels()
    {
        string json = Json(QueryCards.Customer(QueryTexts.Ja, Contoso, Resellers, [], Now));

        Assert.Contains("\"lang\":\"ja\"", json, StringComparison.Ordinal);
        Assert.Contains("間接リセラー", json, StringComparison.Ordinal);
        Assert.Contains("未対応のアラートはありません", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_NameWithMarkdown_IsPlainText()
    {
        AdaptiveCard card = QueryCards.Customer(QueryTexts.En, Contoso with { CompanyName = "[Click](https://evil.example)" }, [], [], Now);

        Assert.DoesNotContain(card.Body.OfType<TextBlock>(), t => t.Text.Contains("evil", StringComparison.Ordinal));
        Assert.Contains("[Click](https://evil.example)", Json(card), StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerChoice_ManyMatches_ButtonPerShownCustomerRerunningWithTenantId()
    {
        AdaptiveCard card = Choice(QueryTexts.En, 12);
        ExecuteAction[] buttons = [.. Descendants(card).OfType<ActionSet>().SelectMany(s => s.Actions).OfType<ExecuteAction>()];

        Assert.Equal(QueryCards.MaxChoices, buttons.Length);
        Assert.All(buttons, b => Assert.Equal(QueryCards.RunVerb, b.Verb));
        QueryActionData first = buttons[0].Data!.Value.Deserialize(QueryCardJsonContext.Default.QueryActionData)!;
        Assert.Equal(new QueryActionData("customer", "6a1d2c3b-0000-4000-8000-000000000001"), first);
        SubmitAction fallback = Assert.IsType<SubmitAction>(buttons[0].Fallback);
        Assert.Equal(QueryCards.RunVerb, fallback.Data!.Value.GetProperty("verb").GetString());
        Assert.Contains("Only the first 8", Json(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_AzurePlan_ListsAzureSubscriptionsMarksTheAskedOneAndLinksThePortal()
    {
        AdaptiveCard card = QueryCards.Subscription(QueryTexts.En, AzurePlan, OpenAlerts, Now, Tokyo);
        string json = Json(card);

        Assert.Contains("Azure subscriptions under this plan (2)", json, StringComparison.Ordinal);
        Assert.Contains("Dev/Test", json, StringComparison.Ordinal);
        Assert.Contains("Suspended", json, StringComparison.Ordinal);
        Assert.Contains("9e8d7c6b-0000-4000-8000-00000000a001 is an Azure subscription under this Azure plan.", json, StringComparison.Ordinal);
        Assert.Contains($"https://portal.azure.com/#@{Tenant}/resource/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/overview", json, StringComparison.Ordinal);
        Assert.Contains("2025-04-01 09:00 (UTC+09:00)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_License_QuantityBillingAndRenewal()
    {
        string json = Json(QueryCards.Subscription(QueryTexts.Ja, License, [], Now, Tokyo));

        Assert.Contains("\"25\"", json, StringComparison.Ordinal);
        Assert.Contains("annual · P1Y", json, StringComparison.Ordinal);
        Assert.Contains("自動更新", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Azure サブスクリプション (", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Resellers_AssociatedPartnerMarked()
    {
        string json = Json(QueryCards.Resellers(QueryTexts.En, Contoso, Resellers));

        Assert.Contains("Indirect resellers of Contoso Ltd", json, StringComparison.Ordinal);
        Assert.Contains("(associated partner)", json, StringComparison.Ordinal);
        Assert.Contains("6543210", json, StringComparison.Ordinal);
        Assert.Contains("Indirect reseller of the customer", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Resellers_None_SaysDirect()
    {
        string json = Json(QueryCards.Resellers(QueryTexts.En, Contoso with { AssociatedPartnerId = null }, []));

        Assert.Contains("has no indirect reseller", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_ShowsTheOrganization()
    {
        string json = Json(QueryCards.Profile(QueryTexts.En, Profile));

        Assert.Contains("Fabrikam CSP", json, StringComparison.Ordinal);
        Assert.Contains("partner-admin@fabrikam-csp.example", json, StringComparison.Ordinal);
        Assert.Contains("ja · ja-JP", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertWithHistory_MergesGraphAndBotByTimeInTheDisplayZone()
    {
        AdaptiveCard card = History(QueryTexts.En, AlertTexts.En, Audit);
        string[] lines = [.. card.Body.OfType<RichTextBlock>().Select(b => string.Concat(b.Inlines.Select(i => i.Text))).Where(t => t.Contains('[', StringComparison.Ordinal))];

        Assert.Equal(3, lines.Length);
        // The bot records the click (08:10:00) before Microsoft logs the change it made (08:10:05).
        Assert.StartsWith("2026-11-28 17:10 (UTC+09:00) [Bot] Investigating by Aiko Analyst: recorded in Microsoft's system", lines[0], StringComparison.Ordinal);
        Assert.Contains("Comment: Checking with the customer", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-28 17:10 (UTC+09:00) [Microsoft] Active → Investigating by aiko@", lines[1], StringComparison.Ordinal);
        Assert.Contains("Investigating → Resolved", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void AlertWithHistory_HugeAlertAndLongJapaneseComments_StaysWithinTheSizeLimit_NewestLinesKept(string language)
    {
        QueryTexts texts = QueryTexts.For(language);
        AlertTexts alertTexts = AlertTexts.For(language);
        AdaptiveCard alertCard = AlertCards.Alert(alertTexts, AlertCardSamples.Huge, AlertCardContext.None, Now, Tokyo, cardVersion: 1);
        string comment = string.Concat(Enumerable.Repeat("顧客に確認済みの正当なデプロイです。", 40));
        AuditLine[] audit = [.. Enumerable.Range(0, 40).Select(i => new AuditLine(Now.AddMinutes(i), "Legitimate", "アナリスト " + i, comment, "applied"))];

        AdaptiveCard card = QueryCards.AlertWithHistory(texts, alertTexts, alertCard, [], audit, Tokyo);

        int size = JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard).Length;
        Assert.True(size <= QueryCards.MaxCardBytes, $"{size} bytes");
        string[] lines = [.. card.Body.OfType<RichTextBlock>().Select(b => string.Concat(b.Inlines.Select(i => i.Text))).Where(t => t.Contains("アナリスト", StringComparison.Ordinal))];
        Assert.NotEmpty(lines);
        Assert.Contains("アナリスト 39", lines[^1], StringComparison.Ordinal);
        Assert.True(lines.Length < 40);
    }

    [Fact]
    public void AlertWithHistory_KeepsTheAlertCardAndItsActions()
    {
        AdaptiveCard alertCard = AlertCards.Alert(AlertTexts.En, AlertCardSamples.Realistic, AlertCardContext.None, Now, Tokyo, 1);

        AdaptiveCard card = QueryCards.AlertWithHistory(QueryTexts.En, AlertTexts.En, alertCard, [], [], Tokyo);

        Assert.Equal(alertCard.Body, card.Body.Take(alertCard.Body.Count));
        Assert.Equal(alertCard.Actions, card.Actions);
        Assert.Contains("No status changes recorded yet.", Json(card), StringComparison.Ordinal);
    }

    [Fact]
    public void AlertList_FirstOfThreePages_TenAlertsAndNextPageButton()
    {
        AdaptiveCard card = List(QueryTexts.En, total: 23, page: 1);

        Assert.Contains("23 alerts · page 1 of 3", Json(card), StringComparison.Ordinal);
        Assert.Equal(10, card.Body.OfType<RichTextBlock>().Count(b => b.Inlines.Any(i => i.Text.Contains("alert-1-", StringComparison.Ordinal))));
        ExecuteAction next = Assert.IsType<ExecuteAction>(Assert.Single(card.Actions!));
        Assert.Equal("Next page (2/3)", next.Title);
        QueryActionData data = next.Data!.Value.Deserialize(QueryCardJsonContext.Default.QueryActionData)!;
        Assert.Equal("alerts", data.Command);
        Assert.Equal($"investigating customer {Tenant} type VM older than 24h page 2", data.Arguments);
    }

    [Fact]
    public void AlertList_LastPage_NoNextButton()
    {
        Assert.Null(List(QueryTexts.En, total: 23, page: 3).Actions);
    }

    [Fact]
    public void AlertList_Japanese_FiltersInJapanese()
    {
        string json = Json(List(QueryTexts.Ja, total: 23, page: 1));

        Assert.Contains("調査中", json, StringComparison.Ordinal);
        Assert.Contains("24 時間以上前", json, StringComparison.Ordinal);
        Assert.Contains("次のページ (2/3)", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QueryProblemKind.PartnerCenterBusy, "Partner Center is busy", "try again in 42 seconds")]
    [InlineData(QueryProblemKind.ProfileNotAllowed, "Partner Center refused the organization profile", "HTTP 403")]
    [InlineData(QueryProblemKind.ProfileNeedsAdminGrant, "needs a partner admin's grant", "opens /admin/graph-consent")]
    [InlineData(QueryProblemKind.CustomerNotFound, "Not found", "No customer matches \\\"contoso.example\\\"")]
    [InlineData(QueryProblemKind.Usage, "How to use this command", "alerts [open")]
    public void Problem_Kind_TitleAndMessage(QueryProblemKind kind, string title, string message)
    {
        string json = Json(QueryCards.Problem(QueryTexts.En, SampleProblem(kind)));

        Assert.Contains(title, json, StringComparison.Ordinal);
        Assert.Contains(message, json, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_BusyWithoutRetryAfter_ThirtySecondsInJapanese()
    {
        string json = Json(QueryCards.Problem(QueryTexts.Ja, new QueryProblem(QueryProblemKind.PartnerCenterBusy)));

        Assert.Contains("30 秒後にもう一度お試しください", json, StringComparison.Ordinal);
    }

    private static IEnumerable<CardElement> Descendants(AdaptiveCard card) => card.Body.SelectMany(Descendants);

    private static IEnumerable<CardElement> Descendants(CardElement element) => element switch
    {
        Container c => [c, .. c.Items.SelectMany(Descendants)],
        ColumnSet s => [s, .. s.Columns.SelectMany(col => col.Items).SelectMany(Descendants)],
        _ => [element],
    };

    /// <summary>The card's JSON with readable (unescaped) text, so assertions can look for Japanese and quotes.</summary>
    private static string Json(AdaptiveCard card) =>
        JsonSerializer.Serialize(card, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<AdaptiveCard>)ReadableOptions.GetTypeInfo(typeof(AdaptiveCard)));

    private static readonly JsonSerializerOptions ReadableOptions = new(CardJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
