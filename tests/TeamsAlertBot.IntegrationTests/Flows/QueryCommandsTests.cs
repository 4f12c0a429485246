using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>
/// The "ask the bot" commands end to end: a genuine channel message in, the bot's reply card out
/// through the connector fake, Partner Center answered by <see cref="FakePartnerCenter"/>, alerts by
/// the Graph fake, state and caches in a real redis-server. For every command: the normal card,
/// not found, several matches, and Partner Center throttling; Japanese in, Japanese out.
/// </summary>
public sealed class QueryCommandsTests(RedisServer redis) : IAsyncLifetime
{
    private const string Contoso = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string ContosoJapan = "6a1d2c3b-0000-4000-8000-00000000c002";
    private const string Northwind = "6a1d2c3b-0000-4000-8000-00000000c003";
    private const string Reseller = "5c4b3a29-0000-4000-8000-0000000000e1";
    private const string AzurePlan = "a1b2c3d4-0000-4000-8000-0000000000p1";
    private const string AzureProduction = "9e8d7c6b-0000-4000-8000-00000000a001";
    private const string AzureDev = "9e8d7c6b-0000-4000-8000-00000000a002";
    private const string License = "1f2e3d4c-0000-4000-8000-0000000000s1";

    private readonly FakePartnerCenter _partnerCenter = new();
    private LoopbackFakes _fakes = null!;
    private BotApp? _bot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _partnerCenter.Install(_fakes);
        FakeCustomer contoso = _partnerCenter.AddCustomer(Contoso, "Contoso Ltd", "contoso.onmicrosoft.com", associatedPartnerId: Reseller);
        FakePartnerCenter.AddReseller(contoso, Reseller, "Fabrikam Reseller KK", "6543210");
        FakePartnerCenter.AddAzurePlan(contoso, AzurePlan, (AzureProduction, "Production", "active"), (AzureDev, "Dev/Test", "active"));
        FakePartnerCenter.AddLicense(contoso, License, "Microsoft 365 E3", 25);
        _partnerCenter.AddCustomer(ContosoJapan, "Contoso Japan KK", "contosojp.onmicrosoft.com");
        _partnerCenter.AddCustomer(Northwind, "Northwind Traders", "northwind.onmicrosoft.com");
    }

    public async ValueTask DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        await _fakes.DisposeAsync();
    }

    /// <summary>The user the test activities come from, on the triage allow-list unless a test says otherwise.</summary>
    private const string Analyst = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";

    private BotApp Bot(string invokeBudget = "00:00:10", string triageUser = Analyst)
    {
        if (_bot is null)
        {
            Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
            settings["Triage:Authorization:TriageUserObjectIds:0"] = triageUser;
            // The pipeline runs (no channel subscribes), so `alert` renders with signed triage buttons.
            settings["Alerts:Enabled"] = "true";
            settings["Alerts:DisplayTimeZone"] = "Asia/Tokyo";
            settings["Graph:BaseUrl"] = _fakes.GraphBaseUrl;
            settings["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl;
            settings["PartnerCenter:MaxRetryAttempts"] = "1";
            settings["PartnerCenter:RetryDelay"] = "00:00:00";
            settings["Bot:InvokeAnswerBudget"] = invokeBudget;
            // The consent endpoints (the secure application model), for the profile's App+User token.
            settings["Graph:Delegated:Enabled"] = "true";
            settings["Graph:Delegated:AllowedAdminObjectIds:0"] = FakeAdminGrant.AdminObjectId;
            _bot = new BotApp(settings);
        }

        return _bot;
    }

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    /// <summary>Sends a channel message and returns the card the bot replied with.</summary>
    private async Task<JsonNode> AskAsync(string text, string locale = "en-US")
    {
        int before = _fakes.ConnectorRequests.Count;
        using HttpResponseMessage response = await Bot().PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, text, locale), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await NextCardAsync(before);
    }

    private async Task<JsonNode> NextCardAsync(int before)
    {
        RecordedRequest[] requests = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, before + 1, TimeSpan.FromSeconds(30));
        RecordedRequest reply = Assert.Single(requests.Skip(before));
        Assert.Equal("POST", reply.Method);
        JsonNode activity = reply.Json!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)activity["attachments"]![0]!["contentType"]);
        return activity["attachments"]![0]!["content"]!;
    }

    /// <summary>Clicks an Action.Execute button (its verb and data) and returns the invoke answer.</summary>
    private async Task<JsonNode> ClickAsync(JsonObject button)
    {
        JsonObject invoke = TeamsActivities.CardAction(_fakes.ServiceUrl, (string)button["verb"]!, button["data"]!.AsObject().DeepClone().AsObject());
        using HttpResponseMessage response = await Bot().PostActivityAsync(invoke, Token);
        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        // The HTTP status mirrors the answer's statusCode (Universal Actions).
        Assert.Equal((int)response.StatusCode, (int?)answer["statusCode"]);
        return answer;
    }

    /// <summary>Every string in the card, one per line: what a reader can see.</summary>
    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Where(p => p.Key is not "type" and not "verb").Select(p => Texts(p.Value))),
        JsonArray a => string.Join('\n', a.Select(Texts)),
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => string.Empty,
    };

    /// <summary>Every Action.Execute in the card.</summary>
    private static List<JsonObject> Buttons(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.Execute" => [o],
        JsonObject o => [.. o.SelectMany(p => Buttons(p.Value))],
        JsonArray a => [.. a.SelectMany(Buttons)],
        _ => [],
    };

    private JsonObject AddAlert(string id, string tenant, string subscriptionId, string status = "active", string type = "VM_AnomalousDeployment", DateTimeOffset? detected = null)
    {
        JsonObject alert = _fakes.AddAlert(id, tenant, status: status, detected: detected ?? DateTimeOffset.UtcNow.AddHours(-2));
        alert["subscriptionId"] = subscriptionId;
        alert["alertType"] = type;
        return alert;
    }

    // ---- customer ----

    [Fact]
    public async Task Customer_ByDomain_CardWithCompanyRelationshipResellerAndOpenAlerts()
    {
        AddAlert("alert-c1", Contoso, AzureProduction);
        AddAlert("alert-n1", Northwind, "9e8d7c6b-0000-4000-8000-00000000b001");

        JsonNode card = await AskAsync("customer contoso.onmicrosoft.com");
        string texts = Texts(card);

        Assert.Equal("en", (string?)card["lang"]);
        Assert.Contains("Contoso Ltd", texts, StringComparison.Ordinal);
        Assert.Contains(Contoso, texts, StringComparison.Ordinal);
        Assert.Contains("Reseller", texts, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Reseller KK", texts, StringComparison.Ordinal);
        Assert.Contains("Open alerts (1)", texts, StringComparison.Ordinal);
        Assert.Contains("alert-c1", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-n1", texts, StringComparison.Ordinal);
        Assert.Contains($"https://partner.microsoft.com/dashboard/commerce2/customers/{Contoso}/subscriptions", card.ToJsonString(), StringComparison.Ordinal);
        // Partner Center's documented customer filter, URL-encoded JSON.
        JsonObject filter = Assert.Single(_partnerCenter.SearchFilters);
        Assert.Equal("""{"Field":"Domain","Value":"contoso.onmicrosoft.com","Operator":"starts_with"}""", filter.ToJsonString());
    }

    [Fact]
    public async Task Customer_ByTenantId_AskedTwice_SecondAnswerFromTheCache()
    {
        string first = Texts(await AskAsync($"customer {Contoso.ToUpperInvariant()}"));
        int calls = _partnerCenter.Calls;

        string second = Texts(await AskAsync($"customer {Contoso}"));

        Assert.Contains("Contoso Ltd", first, StringComparison.Ordinal);
        Assert.Empty(_partnerCenter.SearchFilters);
        Assert.Equal(first, second);
        Assert.Equal(calls, _partnerCenter.Calls);
    }

    [Fact]
    public async Task Customer_NameMatchesSeveral_ChoiceCardWhoseButtonShowsThatCustomer()
    {
        JsonNode choice = await AskAsync("customer Contoso");

        Assert.Contains("Several customers match \"Contoso\"", Texts(choice), StringComparison.Ordinal);
        List<JsonObject> buttons = Buttons(choice);
        Assert.Equal(2, buttons.Count);
        JsonObject japan = buttons.Single(b => (string?)b["data"]!["arguments"] == ContosoJapan);
        Assert.Equal("customer", (string?)japan["data"]!["command"]);

        JsonNode answer = await ClickAsync(japan);

        Assert.Equal(200, (int?)answer["statusCode"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer["type"]);
        string texts = Texts(answer["value"]);
        Assert.Contains("Contoso Japan KK", texts, StringComparison.Ordinal);
        Assert.Contains("None (bought directly)", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_NoMatch_NotFoundCard()
    {
        string texts = Texts(await AskAsync("customer Tailspin"));

        Assert.Contains("Not found", texts, StringComparison.Ordinal);
        Assert.Contains("No customer matches \"Tailspin\"", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_PartnerCenterThrottles_BusyCardWithItsRetryAfter()
    {
        _partnerCenter.ThrottleRetryAfterSeconds = 2;

        string texts = Texts(await AskAsync("customer contoso.onmicrosoft.com"));

        Assert.Contains("Partner Center is busy", texts, StringComparison.Ordinal);
        Assert.Contains("try again in 2 seconds", texts, StringComparison.Ordinal);
        Assert.Contains("MS-RequestId", texts, StringComparison.Ordinal);
        // The call and its one retry after Retry-After.
        Assert.Equal(2, _partnerCenter.Calls);
    }

    [Fact]
    public async Task Customer_PartnerCenterThrottlesThenRecovers_AnswerNotCachedAsFailure()
    {
        _partnerCenter.ThrottleRetryAfterSeconds = 1;
        Assert.Contains("Partner Center is busy", Texts(await AskAsync("customer Northwind")), StringComparison.Ordinal);
        _partnerCenter.ThrottleRetryAfterSeconds = null;

        Assert.Contains("Northwind Traders", Texts(await AskAsync("customer Northwind")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_Japanese_JapaneseCard()
    {
        JsonNode card = await AskAsync("顧客 contoso.onmicrosoft.com", locale: "ja-JP");
        string texts = Texts(card);

        Assert.Equal("ja", (string?)card["lang"]);
        Assert.Contains("間接リセラー", texts, StringComparison.Ordinal);
        Assert.Contains("未対応のアラート (0 件)", texts, StringComparison.Ordinal);
        Assert.Contains("Partner Center で開く", texts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer", "Something is missing after the command.")]
    [InlineData("customer <script>alert(1)</script>", "characters I don't accept here (< > /)")]
    [InlineData("customer Contoso\"}&filter={\"Field\":\"Domain", "characters I don't accept here")]
    public async Task Customer_BadInput_UsageHintAndNoPartnerCenterCall(string text, string expected)
    {
        string texts = Texts(await AskAsync(text));

        Assert.Contains("How to use this command", texts, StringComparison.Ordinal);
        Assert.Contains(expected, texts, StringComparison.Ordinal);
        Assert.Contains("customer <tenant id | domain | name>", texts, StringComparison.Ordinal);
        Assert.Equal(0, _partnerCenter.Calls);
    }

    [Fact]
    public async Task Customer_AbsurdLength_UsageHint()
    {
        string texts = Texts(await AskAsync("customer " + new string('x', 5000)));

        Assert.Contains("5000 characters long; I accept at most 100", texts, StringComparison.Ordinal);
        Assert.Equal(0, _partnerCenter.Calls);
    }

    // ---- subscription ----

    [Fact]
    public async Task Subscription_AzureSubscriptionWithoutCustomer_CustomerFromItsAlertAndThePlanWithEntitlements()
    {
        AddAlert("alert-s1", Contoso, AzureProduction);

        JsonNode card = await AskAsync($"subscription {AzureProduction}");
        string texts = Texts(card);

        Assert.Contains("Azure plan", texts, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", texts, StringComparison.Ordinal);
        Assert.Contains("Azure subscriptions under this plan (2)", texts, StringComparison.Ordinal);
        Assert.Contains("Dev/Test", texts, StringComparison.Ordinal);
        Assert.Contains($"{AzureProduction} is an Azure subscription under this Azure plan.", texts, StringComparison.Ordinal);
        Assert.Contains("Open alerts (1)", texts, StringComparison.Ordinal);
        Assert.Contains("alert-s1", texts, StringComparison.Ordinal);
        // Dates in the configured display time zone.
        Assert.Contains("2025-04-01 09:00 (UTC+09:00)", texts, StringComparison.Ordinal);
        Assert.Contains($"https://portal.azure.com/#@{Contoso}/resource/subscriptions/{AzureProduction}/overview", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_LicenseWithCustomerByName_NameOfferStatusDates()
    {
        string texts = Texts(await AskAsync($"subscription {License} Contoso Ltd"));

        Assert.Contains("Microsoft 365 E3", texts, StringComparison.Ordinal);
        Assert.Contains("Active", texts, StringComparison.Ordinal);
        Assert.Contains("25", texts, StringComparison.Ordinal);
        Assert.Contains("monthly · P1Y", texts, StringComparison.Ordinal);
        Assert.Contains("Commitment ends", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_CustomerMatchesSeveral_ChoiceRerunsWithTheTenant()
    {
        JsonNode choice = await AskAsync($"subscription {License} Contoso");

        JsonObject contoso = Buttons(choice).Single(b => ((string?)b["data"]!["arguments"])!.EndsWith(Contoso, StringComparison.Ordinal));
        Assert.Equal($"{License} {Contoso}", (string?)contoso["data"]!["arguments"]);
        JsonNode answer = await ClickAsync(contoso);

        Assert.Contains("Microsoft 365 E3", Texts(answer["value"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_UnknownForTheCustomer_NotFoundCard()
    {
        string texts = Texts(await AskAsync("subscription 00000000-0000-4000-8000-000000000bad contoso.onmicrosoft.com"));

        Assert.Contains("Not found", texts, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd has no subscription \"00000000-0000-4000-8000-000000000bad\"", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_NoAlertAndNoCustomer_AsksForTheCustomer()
    {
        string texts = Texts(await AskAsync($"subscription {AzureDev}"));

        Assert.Contains("Whose subscription is it?", texts, StringComparison.Ordinal);
        Assert.Contains($"subscription {AzureDev} <customer>", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_PartnerCenterThrottles_BusyCardInJapanese()
    {
        AddAlert("alert-s2", Contoso, AzureProduction);
        _partnerCenter.ThrottleRetryAfterSeconds = 2;

        JsonNode card = await AskAsync($"サブスクリプション {AzureProduction}", locale: "ja-JP");

        Assert.Equal("ja", (string?)card["lang"]);
        Assert.Contains("Partner Center が混み合っています", Texts(card), StringComparison.Ordinal);
        Assert.Contains("2 秒後にもう一度お試しください", Texts(card), StringComparison.Ordinal);
    }

    // ---- reseller ----

    [Fact]
    public async Task Reseller_Customer_ListsItsIndirectResellerAsTheAssociatedPartner()
    {
        string texts = Texts(await AskAsync("reseller contoso.onmicrosoft.com"));

        Assert.Contains("Indirect resellers of Contoso Ltd", texts, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Reseller KK", texts, StringComparison.Ordinal);
        Assert.Contains("(associated partner)", texts, StringComparison.Ordinal);
        Assert.Contains("6543210", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reseller_SeveralMatches_Choice()
    {
        JsonNode choice = await AskAsync("リセラー contoso", locale: "ja-JP");

        Assert.Contains("「contoso」に一致する顧客が複数あります", Texts(choice), StringComparison.Ordinal);
        Assert.All(Buttons(choice), b => Assert.Equal("reseller", (string?)b["data"]!["command"]));
    }

    [Fact]
    public async Task Reseller_DirectCustomer_SaysNoReseller()
    {
        Assert.Contains("Northwind Traders has no indirect reseller", Texts(await AskAsync("reseller Northwind")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reseller_NotFoundAndThrottled_ClearCards()
    {
        Assert.Contains("No customer matches \"Tailspin\"", Texts(await AskAsync("reseller Tailspin")), StringComparison.Ordinal);
        _partnerCenter.ThrottleRetryAfterSeconds = 1;

        Assert.Contains("Partner Center is busy", Texts(await AskAsync("reseller Northwind")), StringComparison.Ordinal);
    }

    // ---- profile ----

    [Fact]
    public async Task Profile_NoAdminHasGranted_SaysWhoMustGrantWhereAndAsksPartnerCenterNothing()
    {
        string texts = Texts(await AskAsync("profile"));

        Assert.Contains("The organization profile needs a partner admin's grant", texts, StringComparison.Ordinal);
        Assert.Contains("no partner admin has granted the bot that access yet", texts, StringComparison.Ordinal);
        Assert.Contains("/admin/graph-consent", texts, StringComparison.Ordinal);
        Assert.Empty(_partnerCenter.ProfileAuthorizations);
    }

    [Fact]
    public async Task Profile_AfterTheAdminsConsent_AnswersWithAppPlusUserTokenInJapanese_OtherCallsStayAppOnly()
    {
        await ConsentAsAdminAsync();

        JsonNode card = await AskAsync("プロファイル", locale: "ja-JP");
        string texts = Texts(card);

        Assert.Contains("パートナーの組織プロファイル", texts, StringComparison.Ordinal);
        Assert.Contains("Fabrikam CSP KK", texts, StringComparison.Ordinal);
        Assert.Contains("1-2-3 Marunouchi, Chiyoda-ku, Tokyo, 100-0005, JP", texts, StringComparison.Ordinal);
        Assert.True(FakePartnerCenter.IsAppUser(Assert.Single(_partnerCenter.ProfileAuthorizations)));
        // The admin's refresh token was redeemed for Partner Center's delegated scope.
        Assert.Contains(_fakes.AdminGrant.RefreshedScopes, s => s.Contains("https://api.partnercenter.microsoft.com/user_impersonation", StringComparison.Ordinal));

        // Calls Partner Center serves to apps keep the app-only token.
        int before = _fakes.PartnerCenterRequests.Count;
        Assert.Contains("Northwind Traders", Texts(await AskAsync("customer Northwind")), StringComparison.Ordinal);
        Assert.All(_fakes.PartnerCenterRequests.Skip(before), r => Assert.False(FakePartnerCenter.IsAppUser(r.Authorization)));
    }

    [Fact]
    public async Task Profile_PartnerCenterRefusesTheAdmin_ExplainsTheRoleNotTheGrant()
    {
        await ConsentAsAdminAsync();
        _partnerCenter.ProfileStatusForUser = 403;

        string texts = Texts(await AskAsync("profile"));

        Assert.Contains("Partner Center refused the organization profile", texts, StringComparison.Ordinal);
        Assert.Contains("HTTP 403", texts, StringComparison.Ordinal);
    }

    /// <summary>The partner admin's one-time consent, as a browser and the fake Entra ID do it.</summary>
    private async Task ConsentAsAdminAsync()
    {
        using HttpClient browser = Bot().CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using HttpResponseMessage start = await browser.GetAsync(new Uri("/admin/graph-consent", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        // The binding cookie is Secure; the test client speaks plain http to the in-process host, so it is carried by hand.
        string cookie = start.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("TeamsAlertBot.GraphConsent=", StringComparison.Ordinal)).Split(';')[0];
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(start.Headers.Location!.Query);
        // One consent for both APIs: Graph and Partner Center's App+User scope.
        Assert.Contains("https://api.partnercenter.microsoft.com/user_impersonation", query["scope"].ToString(), StringComparison.Ordinal);
        _fakes.AdminGrant.SignIn("admin-code", query["nonce"].ToString());

        using var callback = new HttpRequestMessage(
            HttpMethod.Get, new Uri($"/admin/graph-consent/callback?code=admin-code&state={Uri.EscapeDataString(query["state"].ToString())}", UriKind.Relative));
        callback.Headers.Add("Cookie", cookie);
        using HttpResponseMessage done = await browser.SendAsync(callback, Ct);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task Profile_Throttled_BusyCard()
    {
        await ConsentAsAdminAsync();
        _partnerCenter.ThrottleRetryAfterSeconds = 1;

        Assert.Contains("Partner Center is busy", Texts(await AskAsync("profile")), StringComparison.Ordinal);
    }

    // ---- alert ----

    [Fact]
    public async Task Alert_Existing_ChannelCardWithSignedTriageButtonsAndHistory()
    {
        JsonObject alert = AddAlert("alert-h1", Contoso, AzureProduction);
        alert["activityLogs"] = new JsonArray(new JsonObject
        {
            ["statusFrom"] = "active",
            ["statusTo"] = "investigating",
            ["updatedBy"] = "aiko@fabrikam-csp.example",
            ["updatedDateTime"] = "2026-11-28T01:00:00Z",
        });
        await Bot().Services.GetRequiredService<ITriageLedger>().AppendAuditAsync(
            "alert-h1", new AuditEntry(new DateTimeOffset(2026, 11, 28, 0, 59, 0, TimeSpan.Zero), "Investigating", "Aiko Analyst", "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f", "Checking", "applied"));

        JsonNode card = await AskAsync("alert alert-h1");
        string texts = Texts(card);

        Assert.Contains("Contoso Ltd", texts, StringComparison.Ordinal);
        Assert.Contains("History", texts, StringComparison.Ordinal);
        Assert.Contains("2026-11-28 10:00 (UTC+09:00) ", texts, StringComparison.Ordinal);
        Assert.Contains("Active → Investigating by aiko@fabrikam-csp.example", texts, StringComparison.Ordinal);
        Assert.Contains("Investigating by Aiko Analyst: recorded in Microsoft's system", texts, StringComparison.Ordinal);
        Assert.Contains("Comment: Checking", texts, StringComparison.Ordinal);
        List<JsonObject> triage = Buttons(card).Where(b => (string?)b["verb"] == "alert.triage").ToList();
        Assert.NotEmpty(triage);
        Assert.All(triage, b => Assert.False(string.IsNullOrEmpty((string?)b["data"]!["signature"])));
    }

    [Fact]
    public async Task Alert_Unknown_NotFoundCard()
    {
        string texts = Texts(await AskAsync("alert 0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10"));

        Assert.Contains("There is no partner security alert \"0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10\"", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_PartnerCenterThrottled_CardStillShownWithIds()
    {
        AddAlert("alert-h2", Contoso, AzureProduction);
        _partnerCenter.ThrottleRetryAfterSeconds = 1;

        string texts = Texts(await AskAsync("アラート alert-h2", locale: "ja-JP"));

        Assert.Contains("履歴", texts, StringComparison.Ordinal);
        Assert.Contains(Contoso, texts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alert ../../me")]
    [InlineData("alert")]
    public async Task Alert_BadId_UsageHint(string text)
    {
        Assert.Contains("alert <alert id>", Texts(await AskAsync(text)), StringComparison.Ordinal);
        Assert.DoesNotContain(_fakes.GraphRequests, r => r.RawTarget.Contains("me", StringComparison.Ordinal) && r.RawTarget.Contains("..", StringComparison.Ordinal));
    }

    // ---- alerts ----

    [Fact]
    public async Task Alerts_TwelveOpen_FirstPageOfTenThenNextPageButtonShowsTheRest()
    {
        for (int i = 0; i < 12; i++)
        {
            AddAlert($"alert-l{i:D2}", i % 2 == 0 ? Contoso : Northwind, AzureProduction, detected: DateTimeOffset.UtcNow.AddHours(-30 - i));
        }

        AddAlert("alert-resolved", Contoso, AzureProduction, status: "resolved");

        JsonNode first = await AskAsync("alerts");
        string firstTexts = Texts(first);

        Assert.Contains("12 alerts · page 1 of 2", firstTexts, StringComparison.Ordinal);
        Assert.Equal(10, Enumerable.Range(0, 12).Count(i => firstTexts.Contains($"alert-l{i:D2}", StringComparison.Ordinal)));
        Assert.DoesNotContain("alert-resolved", firstTexts, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd", firstTexts, StringComparison.Ordinal);
        Assert.Contains("Northwind Traders", firstTexts, StringComparison.Ordinal);
        // The page button, and (bulk triage runs here: Redis) the bulk buttons for all 12 matching alerts.
        Assert.Equal(
            ["All 12 matching: Legitimate", "All 12 matching: Fraud", "All 12 matching: Ignore", "All 12 matching: Investigating", "Next page (2/2)"],
            Buttons(first).Select(b => (string?)b["title"]));
        JsonObject next = Buttons(first).Single(b => (string?)b["title"] == "Next page (2/2)");

        JsonNode answer = await ClickAsync(next);
        string secondTexts = Texts(answer["value"]);

        Assert.Contains("12 alerts · page 2 of 2", secondTexts, StringComparison.Ordinal);
        Assert.Equal(2, Enumerable.Range(0, 12).Count(i => secondTexts.Contains($"alert-l{i:D2}", StringComparison.Ordinal)));
        Assert.DoesNotContain(Buttons(answer["value"]), b => ((string?)b["title"])!.StartsWith("Next page", StringComparison.Ordinal));
        Assert.Equal(4, Buttons(answer["value"]).Count(b => ((string?)b["title"])!.StartsWith("All 12 matching: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AlertsAll_ResolvedOnesWithinTheLookback_OldHistoryLeftOut()
    {
        AddAlert("alert-a1", Contoso, AzureProduction, status: "resolved", detected: DateTimeOffset.UtcNow.AddDays(-10));
        AddAlert("alert-a2", Contoso, AzureProduction, status: "active", detected: DateTimeOffset.UtcNow.AddDays(-2));
        AddAlert("alert-a3", Contoso, AzureProduction, status: "resolved", detected: DateTimeOffset.UtcNow.AddDays(-120));

        string texts = Texts(await AskAsync("alerts all"));

        Assert.Contains("alert-a1", texts, StringComparison.Ordinal);
        Assert.Contains("alert-a2", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-a3", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_JapaneseFilters_InvestigatingOlderThan24hForOneCustomer()
    {
        AddAlert("alert-j1", Contoso, AzureProduction, status: "investigating", detected: DateTimeOffset.UtcNow.AddHours(-30));
        AddAlert("alert-j2", Contoso, AzureProduction, status: "investigating", detected: DateTimeOffset.UtcNow.AddHours(-2));
        AddAlert("alert-j3", Contoso, AzureProduction, status: "active", detected: DateTimeOffset.UtcNow.AddHours(-30));
        AddAlert("alert-j4", Northwind, AzureProduction, status: "investigating", detected: DateTimeOffset.UtcNow.AddHours(-30));
        AddAlert("alert-j5", Contoso, AzureProduction, status: "investigating", type: "CryptoMining", detected: DateTimeOffset.UtcNow.AddHours(-30));

        JsonNode card = await AskAsync("アラート一覧 調査中 顧客 contoso.onmicrosoft.com 種類 vm 24時間以上", locale: "ja-JP");
        string texts = Texts(card);

        Assert.Equal("ja", (string?)card["lang"]);
        Assert.Contains("1 件 · 1 / 1 ページ", texts, StringComparison.Ordinal);
        Assert.Contains("alert-j1", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-j2", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-j3", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-j4", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-j5", texts, StringComparison.Ordinal);
        Assert.Contains("顧客 Contoso Ltd", texts, StringComparison.Ordinal);
        Assert.Contains("24 時間以上前", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_CustomerNameMatchesSeveral_ChoiceKeepsTheOtherFilters()
    {
        JsonNode choice = await AskAsync("alerts investigating customer Contoso older than 3d");

        JsonObject button = Buttons(choice).Single(b => ((string?)b["data"]!["arguments"])!.Contains(ContosoJapan, StringComparison.Ordinal));
        Assert.Equal($"investigating customer {ContosoJapan} older than 3d", (string?)button["data"]!["arguments"]);
        JsonNode answer = await ClickAsync(button);

        Assert.Contains("No alert matches.", Texts(answer["value"]), StringComparison.Ordinal);
        Assert.Contains("customer Contoso Japan KK", Texts(answer["value"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_CustomerThrottled_BusyCard()
    {
        _partnerCenter.ThrottleRetryAfterSeconds = 1;

        Assert.Contains("Partner Center is busy", Texts(await AskAsync("alerts customer Contoso")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alerts frobnicate", "I don't understand \"frobnicate\" here.")]
    [InlineData("alerts older than forever", "\"forever\" is not an age I understand")]
    [InlineData("alerts page 0", "\"0\" is not a page number from 1 to 1000.")]
    public async Task Alerts_BadInput_UsageHint(string text, string expected)
    {
        string texts = Texts(await AskAsync(text));

        Assert.Contains(expected, texts, StringComparison.Ordinal);
        Assert.Contains("alerts [open | active | investigating | all]", texts, StringComparison.Ordinal);
    }

    // ---- buttons ----

    [Fact]
    public async Task QueryButton_ForgedCommand_Refused()
    {
        var forged = new JsonObject
        {
            ["verb"] = "query.run",
            ["data"] = new JsonObject { ["command"] = "webhook", ["arguments"] = "register" },
        };

        JsonNode answer = await ClickAsync(forged);

        Assert.Equal(400, (int?)answer["statusCode"]);
        Assert.DoesNotContain(_fakes.PartnerCenterRequests, r => r.Method != "GET");
    }

    [Theory]
    [InlineData("arguments")]
    [InlineData("command")]
    [InlineData("conversation")]
    public async Task QueryButton_ChangedOrMovedToAnotherConversation_RefusedAndNothingAsked(string change)
    {
        JsonObject button = Buttons(await AskAsync("customer Contoso"))[0];
        JsonObject data = button["data"]!.AsObject().DeepClone().AsObject();
        JsonObject invoke = TeamsActivities.CardAction(_fakes.ServiceUrl, "query.run", data);
        switch (change)
        {
            case "arguments":
                data["arguments"] = Northwind;
                break;
            case "command":
                data["command"] = "reseller";
                break;
            default:
                invoke["conversation"]!["id"] = TeamsActivities.GroupChatId;
                invoke["conversation"]!["conversationType"] = "groupChat";
                break;
        }

        int asked = _fakes.PartnerCenterRequests.Count;
        using HttpResponseMessage response = await Bot().PostActivityAsync(invoke, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TeamsAlertBot.Core.Triage.TriageTexts.En.Tampered, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(asked, _fakes.PartnerCenterRequests.Count);
    }

    [Fact]
    public async Task QueryButton_SubmitFallback_AnswerPostedInTheConversation()
    {
        // The fallback data of a real button: signed for this conversation like the Execute data.
        JsonObject fallback = Buttons(await AskAsync("customer Contoso"))[0]["fallback"]!["data"]!.AsObject();
        JsonObject message = TeamsActivities.ChannelMessage(_fakes.ServiceUrl, string.Empty);
        message.Remove("text");
        message.Remove("entities");
        message["value"] = fallback.DeepClone();
        int before = _fakes.ConnectorRequests.Count;

        using HttpResponseMessage response = await Bot().PostActivityAsync(message, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Contoso", Texts(await NextCardAsync(before)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryButton_SlowerThanTheInvokeBudget_AnswerPostedWhenReady()
    {
        Bot(invokeBudget: "00:00:00.600");
        JsonNode choice = await AskAsync("customer Contoso");
        _partnerCenter.ThrottleRetryAfterSeconds = 2;
        int before = _fakes.ConnectorRequests.Count;

        JsonNode answer = await ClickAsync(Buttons(choice)[0]);

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)answer["type"]);
        Assert.Contains("Partner Center is busy", Texts(await NextCardAsync(before)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneOutsideTheTriageRole_IsToldWhy_AndPartnerCenterIsNotAsked()
    {
        _ = Bot(triageUser: "0a0a0a0a-0000-4000-8000-000000000001");
        int before = _fakes.ConnectorRequests.Count;
        using HttpResponseMessage response = await Bot().PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "customer contoso"), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest[] requests = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, before + 1, TimeSpan.FromSeconds(30));
        Assert.Contains("Only the security team", requests[^1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_fakes.PartnerCenterRequests, r => r.RawTarget.Contains("/customers", StringComparison.Ordinal));
    }
}
