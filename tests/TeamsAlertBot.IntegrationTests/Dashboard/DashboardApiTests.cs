using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Dashboard;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Triage;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard tab's API on the HTTPS fakes (Graph, Partner Center, the connector, an Entra tenant whose
/// OpenID metadata and keys the bot reads) and a real Redis: the list is the fake Graph's open alerts, the
/// filters and CSV, who may read and who may act, the token checks, bulk verdicts through the same runner
/// as the cards, live events from a click and from another instance, and the response-time figures.
/// </summary>
public sealed class DashboardApiTests(RedisServer redis) : IAsyncLifetime
{
    private const string Analyst = TriageScenario.Analyst;
    private const string Reader = "1b2c3d4e-0000-4000-8000-00000000beef";
    private const string Customer = TriageScenario.CustomerTenantId;
    private const string OtherCustomer = "6a1d2c3b-0000-4000-8000-00000000c002";
    private const string Channel = TeamsActivities.ChannelId;

    private TriageScenario _scenario = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackFakes Fakes => _scenario.Fakes;

    public async ValueTask InitializeAsync()
    {
        _scenario = await TriageScenario.StartAsync(redis, (fakes, settings) =>
        {
            // A customer whose name a spreadsheet would run as a formula.
            fakes.Customers[OtherCustomer] = "=HYPERLINK(\"https://evil.example\",\"x\")";
            fakes.GraphPageSize = 50;
            settings["Dashboard:PingInterval"] = "00:00:00.300";
            settings["Dashboard:AlertListCacheDuration"] = "00:00:00";
            settings["BulkTriage:ProgressInterval"] = "00:00:00.500";
            settings["BulkTriage:IdleDelay"] = "00:00:00.200";
        });
    }

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Alerts_ValidToken_ListsTheFakeGraphsOpenAlertsWithNamesAndSla()
    {
        Fakes.AddAlert("alert-0501", OtherCustomer, severity: "low", detected: DateTimeOffset.UtcNow.AddHours(-30));
        Fakes.AddAlert("alert-0502", Customer, status: "resolved");

        JsonObject list = await GetJsonAsync("/api/dashboard/alerts", Analyst);

        Assert.Equal(2, (int)list["total"]!);
        string[] ids = [.. list["items"]!.AsArray().Select(i => (string)i!["id"]!)];
        Assert.Equal(["alert-0500", "alert-0501"], ids);
        JsonNode first = list["items"]![0]!;
        Assert.Equal(("Contoso Ltd", "active", "ok", "high"), ((string?)first["customerName"], (string?)first["status"], (string?)first["sla"], (string?)first["severity"]));
        Assert.Equal("overdue", (string?)list["items"]![1]!["sla"]);
        Assert.Equal(1, (int)list["totals"]!["bySeverity"]!["low"]!);
    }

    [Fact]
    public async Task Alerts_Filters_SeverityStatusCustomerAndSort()
    {
        Fakes.AddAlert("alert-0501", OtherCustomer, severity: "low");
        Fakes.AddAlert("alert-0502", Customer, status: "resolved");

        Assert.Equal(["alert-0501"], Ids(await GetJsonAsync("/api/dashboard/alerts?severity=low", Analyst)));
        Assert.Equal(["alert-0502"], Ids(await GetJsonAsync("/api/dashboard/alerts?status=resolved", Analyst)));
        Assert.Equal(["alert-0500", "alert-0502"], Ids(await GetJsonAsync("/api/dashboard/alerts?status=all&customer=contoso&sort=detected&desc=false", Analyst)));
        Assert.Equal(["alert-0500", "alert-0501"], Ids(await GetJsonAsync("/api/dashboard/alerts?sort=severity", Analyst)));
        Assert.Equal(["alert-0500"], Ids(await GetJsonAsync("/api/dashboard/alerts?skip=1&top=1", Analyst)));
        using HttpResponseMessage bad = await SendAsync(HttpMethod.Get, "/api/dashboard/alerts?sort=nonsense", Analyst);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Csv_EveryMatchingAlert_HeaderAndFormulaInjectionDefused()
    {
        for (int i = 1; i <= 30; i++)
        {
            Fakes.AddAlert($"alert-{1000 + i}", OtherCustomer, severity: "medium");
        }

        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/api/dashboard/alerts.csv?severity=medium&top=10", Analyst);
        string csv = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        string[] lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"id\",\"type\",\"severity\"", lines[0], StringComparison.Ordinal);
        Assert.Equal(31, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\"", l, StringComparison.Ordinal));
        Assert.DoesNotContain(",\"=", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_KnownAlert_GraphHistoryAuditAndCardLink_UnknownIs404()
    {
        Fakes.Alerts[TriageScenario.AlertId]["activityLogs"] = new JsonArray(new JsonObject
        {
            ["statusFrom"] = "active", ["statusTo"] = "investigating", ["updatedBy"] = "kenji@partner.example", ["updatedDateTime"] = "2026-11-28T10:00:00Z",
        });
        await _scenario.ClickAsync(_scenario.ButtonData("Investigating"));

        JsonObject detail = await GetJsonAsync($"/api/dashboard/alerts/{TriageScenario.AlertId}", Analyst);

        Assert.Equal(TriageScenario.AlertId, (string?)detail["alert"]!["id"]);
        Assert.Equal("Action Required: Unusual VM deployment detected", (string?)detail["alert"]!["title"]);
        Assert.Single(detail["alert"]!["affectedResources"]!.AsArray());
        Assert.Equal("kenji@partner.example", (string?)detail["graphHistory"]![0]!["by"]);
        Assert.Contains(detail["audit"]!.AsArray(), e => (string?)e!["action"] == "Investigating" && (string?)e["outcome"] == "applied");
        Assert.Equal("active", (string?)detail["graphHistory"]![0]!["fromStatus"]);
        JsonObject ja = await GetJsonAsync($"/api/dashboard/alerts/{TriageScenario.AlertId}?lang=ja", Analyst);
        JsonNode worded = ja["audit"]!.AsArray().First(e => (string?)e!["action"] == "Investigating")!;
        Assert.Equal(Core.Localization.QueryTexts.Ja.HistoryAction("Investigating"), (string?)worded["actionText"]);
        Assert.Equal(Core.Localization.QueryTexts.Ja.HistoryOutcome("applied"), (string?)worded["outcomeText"]);
        Assert.StartsWith("https://teams.microsoft.com/l/message/", (string?)detail["cards"]![0]!["deepLink"], StringComparison.Ordinal);
        using HttpResponseMessage missing = await SendAsync(HttpMethod.Get, "/api/dashboard/alerts/no-such-alert", Analyst);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Detail_AfterAVerdict_ShowsTheGuidedChecklistWithWhoTickedWhatInTheReadersLanguage()
    {
        JsonObject before = await GetJsonAsync($"/api/dashboard/alerts/{TriageScenario.AlertId}", Analyst);
        Assert.Null(before["checklist"]);
        await _scenario.ClickAsync(_scenario.ButtonData("Legitimate"));
        TriageRecord record = await _scenario.Get<ITriageLedger>().GetAsync(TriageScenario.AlertId);
        var at = new DateTimeOffset(2026, 11, 28, 11, 0, 0, TimeSpan.Zero);
        Assert.Equal(ResponseTickOutcome.Recorded, await _scenario.Get<IResponseChecklistLedger>().SetAsync(
            TriageScenario.AlertId, record.Version, TriageVerdict.Legitimate, ResponseItem.RecordConfirmation, done: true,
            new ResponseTick("Kenji Sato", Analyst, at), new AuditEntry(at, "ResponseStepDone:RecordConfirmation", "Kenji Sato", Analyst, null, "applied")));

        JsonObject detail = await GetJsonAsync($"/api/dashboard/alerts/{TriageScenario.AlertId}?lang=ja", Analyst);

        JsonNode checklist = detail["checklist"]!;
        Assert.Equal(1, (int)checklist["done"]!);
        Assert.Equal(ResponseChecklist.For(TriageVerdict.Legitimate, null).Count, (int)checklist["total"]!);
        JsonNode ticked = checklist["steps"]!.AsArray().Single(step => step!["doneBy"] is not null)!;
        Assert.Equal("Kenji Sato", (string?)ticked["doneBy"]);
        Assert.Equal(Core.Localization.ResponseTexts.Ja.Step(ResponseItem.RecordConfirmation), (string?)ticked["text"]);
    }

    [Fact]
    public async Task Customer_KnownTenant_NameCountsAndAlerts()
    {
        Fakes.AddAlert("alert-0502", Customer, status: "resolved");

        JsonObject customer = await GetJsonAsync($"/api/dashboard/customers/{Customer}", Analyst);

        Assert.Equal("Contoso Ltd", (string?)customer["customer"]!["name"]);
        Assert.Equal(1, (int)customer["open"]!);
        Assert.Equal(2, customer["alerts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Me_RolesFromTheCardChecks_ReaderCanReadButWritesAre403()
    {
        JsonObject analyst = await GetJsonAsync("/api/dashboard/me", Analyst);
        JsonObject reader = await GetJsonAsync("/api/dashboard/me?lang=ja", Reader);

        Assert.Equal((true, "Aiko Analyst"), ((bool)analyst["canTriage"]!, (string?)analyst["name"]));
        Assert.Equal((false, false, "ja"), ((bool)reader["canTriage"]!, (bool)reader["canMitigate"]!, (string?)reader["language"]));
        Assert.Equal(1, (int)(await GetJsonAsync("/api/dashboard/alerts", Reader))["total"]!);
        using HttpResponseMessage propose = await PostJsonAsync("/api/dashboard/bulk", Reader, new JsonObject { ["verdict"] = "fraud", ["alertIds"] = new JsonArray(TriageScenario.AlertId) });
        using HttpResponseMessage confirm = await SendAsync(HttpMethod.Post, "/api/dashboard/bulk/0123456789abcdef/confirm", Reader);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (propose.StatusCode, confirm.StatusCode));
        Assert.DoesNotContain(Fakes.GraphRequests, r => r.Method == "PATCH");
    }

    public static TheoryData<string> RefusedTokens => ["none", "garbage", "wrong-audience", "wrong-tenant", "wrong-issuer", "expired", "unpublished-key", "channel-token"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task AnyEndpoint_InvalidToken_401ProblemWithoutReason(string kind)
    {
        const string otherTenant = TeamsActivities.OtherTenantId;
        Dictionary<string, object> claims = EntraTokens.Claims(Fakes, Analyst);
        string? authorization = kind switch
        {
            "none" => null,
            "garbage" => "Bearer not.a.token",
            "wrong-audience" => Sign(EntraTokens.Claims(Fakes, Analyst, audience: "api://other-app")),
            "wrong-tenant" => Sign(EntraTokens.Claims(Fakes, Analyst, tenantId: otherTenant)),
            "wrong-issuer" => Sign(EntraTokens.Claims(Fakes, Analyst, issuer: new Uri(Fakes.BaseUrl, $"{otherTenant}/v2.0").ToString())),
            "expired" => Sign(new Dictionary<string, object>(claims)
            {
                ["nbf"] = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds(),
                ["iat"] = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds(),
                ["exp"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
            }),
            "unpublished-key" => "Bearer " + ChannelTokens.Sign(claims, LoopbackFakes.UnpublishedKey()),
            _ => BotApp.ChannelAuthorization(Fakes),
        };

        foreach (string path in new[] { "/api/dashboard/me", "/api/dashboard/alerts", "/api/dashboard/score" })
        {
            using HttpClient client = _scenario.Bot.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using HttpResponseMessage response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("invalid token", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["title"]);
        }
    }

    [Fact]
    public async Task Messages_TabToken_RefusedByTheBotFrameworkScheme()
    {
        using HttpResponseMessage response = await _scenario.Bot.PostActivityAsync(
            TeamsActivities.ChannelMessage(Fakes.ServiceUrl, "status"), EntraTokens.Bearer(Fakes, Analyst));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("api://{0}")]
    [InlineData("api://dashboard.partner.example/{0}")]
    public async Task Me_ApplicationIdUriAudience_Accepted(string audience)
    {
        string token = Sign(EntraTokens.Claims(Fakes, Analyst, audience: string.Format(System.Globalization.CultureInfo.InvariantCulture, audience, BotApp.AppId)));
        using HttpClient client = _scenario.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/me");
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using HttpResponseMessage response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bulk_ViaApi_UpdatesGraphOncePerAlertAndEditsEveryCard()
    {
        string[] ids = ["alert-0601", "alert-0602", "alert-0603"];
        foreach (string id in ids)
        {
            Fakes.AddAlert(id, OtherCustomer);
        }

        await TriageScenario.WaitForAsync(() => ids.All(id => Fakes.Connector.AlertCards(Channel, id).Count == 1));
        using HttpResponseMessage bad = await PostJsonAsync("/api/dashboard/bulk", Analyst, new JsonObject { ["verdict"] = "maybe", ["alertIds"] = new JsonArray("alert-0601") });
        using HttpResponseMessage empty = await PostJsonAsync("/api/dashboard/bulk", Analyst, new JsonObject { ["verdict"] = "fraud", ["alertIds"] = new JsonArray() });
        using HttpResponseMessage huge = await SendAsync(HttpMethod.Post, "/api/dashboard/bulk", Analyst, new StringContent(new string(' ', 300_000), Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (bad.StatusCode, empty.StatusCode, huge.StatusCode));

        JsonObject proposal = await ReadJsonAsync(await PostJsonAsync("/api/dashboard/bulk", Analyst, new JsonObject
        {
            ["verdict"] = "fraud",
            ["alertIds"] = new JsonArray([.. ids.Select(i => JsonValue.Create(i)), JsonValue.Create("alert-unknown")]),
        }));
        Assert.Equal((3, "fraud", true), ((int)proposal["count"]!, (string?)proposal["verdict"], (bool)proposal["needsConfirmation"]!));
        using HttpResponseMessage confirmed = await SendAsync(HttpMethod.Post, $"/api/dashboard/bulk/{proposal["proposalId"]}/confirm", Analyst);
        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        string runId = (string)(await ReadJsonAsync(confirmed))["runId"]!;

        JsonObject run = null!;
        await TriageScenario.WaitForAsync(() => (bool)(run = GetJsonAsync($"/api/dashboard/bulk/runs/{runId}", Analyst).GetAwaiter().GetResult())["done"]!);
        Assert.Equal((3, 3), ((int)run["total"]!, (int)run["updated"]!));
        RecordedRequest[] patches = [.. Fakes.GraphRequests.Where(r => r.Method == "PATCH")];
        Assert.Equal(3, patches.Length);
        Assert.Equal(ids.Order(StringComparer.Ordinal), patches.Select(p => p.RawTarget[(p.RawTarget.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        Assert.All(patches, p => Assert.Equal("fraud", (string?)p.Json!["resolvedReason"]));
        await TriageScenario.WaitForAsync(() => ids.All(id => Fakes.Connector.AlertCards(Channel, id) is [{ } card] && card.Json.Contains("Bulk Fraud of 3 alerts", StringComparison.Ordinal)));
        using HttpResponseMessage again = await SendAsync(HttpMethod.Post, $"/api/dashboard/bulk/{proposal["proposalId"]}/confirm", Analyst);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Events_CardButtonClickedThroughApiMessages_StreamGetsDecidedAndPings()
    {
        await using LiveStream stream = await LiveStream.OpenAsync(_scenario.Bot, EntraTokens.Bearer(Fakes, Reader));

        (HttpStatusCode status, _) = await _scenario.ClickAsync(_scenario.ButtonData("Legitimate"));

        Assert.Equal(HttpStatusCode.OK, status);
        await stream.WaitForAsync($"\"id\":\"{TriageScenario.AlertId}\",\"change\":\"decided\"");
        await stream.WaitForAsync(": ping");
        Assert.Contains("event: alert", stream.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_AnotherInstancePublishes_StreamOnThisInstanceGetsIt()
    {
        Dictionary<string, string?> settings = BotApp.Authenticated(Fakes, redis.ConnectionString, _scenario.Get<TeamsAlertBot.State.RedisKeys>().Prefix);
        await using var other = new BotApp(settings);
        _ = other.Server;
        await using LiveStream stream = await LiveStream.OpenAsync(_scenario.Bot, EntraTokens.Bearer(Fakes, Reader));

        // The subscription of the other instance is asynchronous; publish until the event comes through.
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!stream.Text.Contains("alert-from-elsewhere", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            other.Services.GetRequiredService<IAlertChangeFeed>().Publish("alert-from-elsewhere", AlertChangeKind.Updated);
            await Task.Delay(200, Ct);
        }

        Assert.Contains("{\"id\":\"alert-from-elsewhere\",\"change\":\"updated\"}", stream.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_FakesScoreAndTheTeamsFiguresFromKnownVerdictTimes()
    {
        Fakes.SecurityScore = new JsonObject
        {
            ["id"] = "score",
            ["currentScore"] = 60.5,
            ["maxScore"] = 100,
            ["requirements"] = new JsonArray(
                new JsonObject { ["requirementType"] = "mfaEnforcedForAdmins", ["complianceStatus"] = "compliant" },
                new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.partner.security.responseTimeSecurityRequirement",
                    ["securityRequirementType"] = "securityAlertsRespondedToWithinExpectedTimeWindow",
                    ["complianceStatus"] = "noncomplaint",
                    ["averageResponseTimeInHours"] = 31.5,
                }),
            ["history"] = new JsonArray(new JsonObject { ["createdDateTime"] = "2026-11-01T00:00:00Z", ["score"] = 40.0 }),
        };
        IVerdictIndex index = _scenario.Get<IVerdictIndex>();
        DateTimeOffset decided = DateTimeOffset.UtcNow.AddDays(-1);
        double[] hours = [1, 2, 3, 10];
        for (int i = 0; i < hours.Length; i++)
        {
            await index.RecordAsync(new VerdictEntry($"alert-s{i}", i == 3 ? "VM_AnomalousDeployment" : "networkConnectionsToCryptoMiningPools", Customer, decided.AddHours(-hours[i]), decided, "Fraud"));
        }

        JsonObject score = await GetJsonAsync("/api/dashboard/score", Reader);

        JsonNode partner = score["partner"]!;
        Assert.Equal((true, 60.5, 100.0), ((bool)partner["available"]!, (double)partner["score"]!, (double)partner["maxScore"]!));
        Assert.Equal(("noncompliant", 31.5), ((string?)partner["requirement"]!["compliance"], (double)partner["requirement"]!["averageResponseTimeInHours"]!));
        Assert.Single(partner["requirement"]!["history"]!.AsArray());
        JsonNode team = score["team"]!;
        Assert.Equal((4, 2.5, 7.9), ((int)team["count"]!, (double)team["medianHours"]!, (double)team["p90Hours"]!));
        Assert.Equal("alert-s3", (string?)team["slowest"]![0]!["id"]);
        Assert.Equal("Contoso Ltd", (string?)team["slowest"]![0]!["customerName"]);
        Assert.Contains(team["byType"]!.AsArray(), t => (string?)t!["type"] == "networkConnectionsToCryptoMiningPools" && (double)t["medianHours"]! == 2.0);
        Assert.Equal(4, team["weeks"]!.AsArray().Sum(w => (int)w!["count"]!));
    }

    [Fact]
    public async Task Score_GraphRefuses_NotAvailableWithReason_TeamFiguresStillShown()
    {
        JsonObject score = await GetJsonAsync("/api/dashboard/score", Reader);

        Assert.Equal((false, "not-found"), ((bool)score["partner"]!["available"]!, (string?)score["partner"]!["reason"]));
        Assert.Equal(0, (int)score["team"]!["count"]!);
    }

    private static string[] Ids(JsonObject list) => [.. list["items"]!.AsArray().Select(i => (string)i!["id"]!)];

    private string Sign(Dictionary<string, object> claims) => "Bearer " + ChannelTokens.Sign(claims, Fakes.EntraKey);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string objectId, HttpContent? content = null)
    {
        using HttpClient client = _scenario.Bot.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", EntraTokens.Bearer(Fakes, objectId));
        return await client.SendAsync(request, Ct);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string objectId, JsonObject body) =>
        SendAsync(HttpMethod.Post, path, objectId, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private async Task<JsonObject> GetJsonAsync(string path, string objectId)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, objectId);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await ReadJsonAsync(response);
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
}

/// <summary>An open <c>GET /api/dashboard/events</c> read in the background, as the page reads it with fetch().</summary>
internal sealed class LiveStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _text = new();
    private readonly Task _reading;

    private LiveStream(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
        _reading = ReadAsync();
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public static async Task<LiveStream> OpenAsync(BotApp bot, string authorization)
    {
        HttpClient client = bot.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/events");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = new LiveStream(client, response);
        await stream.WaitForAsync(": connected");
        return stream;
    }

    public async Task WaitForAsync(string text)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Text.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.True(Text.Contains(text, StringComparison.Ordinal), $"the stream did not carry '{text}'; it carried:\n{Text}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed.
        }

        _response.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        await using Stream body = await _response.Content.ReadAsStreamAsync(_stop.Token);
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(buffer, _stop.Token)) > 0)
        {
            lock (_text)
            {
                _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
    }
}
