using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// One-click triage on a posted alert card, end to end: signed buttons, who may act, one atomic
/// decision, the Graph PATCH, the card edited for everyone, the thread reply and the audit trail.
/// </summary>
public sealed class TriageTests(RedisServer redis) : IAsyncLifetime
{
    private const string Analyst = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    private const string AlertId = "alert-0500";
    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers["6a1d2c3b-0000-4000-8000-00000000c001"] = "Contoso Ltd";
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
        settings["Alerts:Enabled"] = "true";
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:DispatchIdleDelay"] = "00:00:00.050";
        settings["Graph:BaseUrl"] = _fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl;
        settings["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;
        _bot = new BotApp(settings);
        _ = _bot.Server;
        await SubscribeAsync();
        _fakes.AddAlert(AlertId, "6a1d2c3b-0000-4000-8000-00000000c001");
        // The card is recorded right after the connector accepted it.
        AlertLedger ledger = _bot.Services.GetRequiredService<AlertLedger>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (await ledger.GetCardAsync(AlertId, TeamsActivities.ChannelId) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl), _fakes.ChannelKey);

    private async Task SubscribeAsync()
    {
        using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token);
        response.EnsureSuccessStatusCode();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition(), "timed out waiting");
    }

    /// <summary>The data of the button titled <paramref name="title"/> on the alert's posted card.</summary>
    private JsonObject ButtonData(string title)
    {
        RecordedRequest posted = _fakes.ConnectorRequests.First(r => r.Method == "POST" && r.Body.Contains(AlertId, StringComparison.Ordinal));
        JsonNode card = posted.Json!["activity"]!["attachments"]![0]!["content"]!;
        return FindAction(card, title) ?? throw new InvalidOperationException($"no button {title}");
    }

    private static JsonObject? FindAction(JsonNode? node, string title)
    {
        switch (node)
        {
            case JsonObject o when (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title:
                return (JsonObject)o["data"]!.DeepClone();
            case JsonObject o:
                return o.Select(p => FindAction(p.Value, title)).FirstOrDefault(f => f is not null);
            case JsonArray a:
                return a.Select(n => FindAction(n, title)).FirstOrDefault(f => f is not null);
            default:
                return null;
        }
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ClickAsync(JsonObject data, string? aadObjectId = Analyst, string? comment = null, string verb = "alert.triage")
    {
        AlertCardPost card = (await _bot.Services.GetRequiredService<AlertLedger>().GetCardAsync(AlertId, TeamsActivities.ChannelId))!;
        if (comment is not null)
        {
            data["comment"] = comment;
        }

        JsonObject click = TeamsActivities.CardAction(_fakes.ServiceUrl, verb, data);
        click["conversation"]!["id"] = card.CardConversationId;
        click["replyToId"] = card.ActivityId;
        click["from"]!["aadObjectId"] = aadObjectId;
        using HttpResponseMessage response = await _bot.PostActivityAsync(click, Token);
        string text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }

    private RecordedRequest[] Patches => [.. _fakes.GraphRequests.Where(r => r.Method == "PATCH")];

    [Fact]
    public async Task AuthorizedClick_OnePatchCardEditedForEveryoneThreadReplyAndAudit()
    {
        (HttpStatusCode status, JsonObject answer) = await ClickAsync(ButtonData("Legitimate"), comment: "Customer confirmed the new VMs.");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer["type"]);
        RecordedRequest patch = Assert.Single(Patches);
        Assert.EndsWith($"/securityAlerts/{AlertId}", patch.RawTarget, StringComparison.Ordinal);
        Assert.Equal("resolved", (string?)patch.Json!["status"]);
        Assert.Equal("legitimate", (string?)patch.Json!["resolvedReason"]);

        await WaitForAsync(() => _fakes.ConnectorRequests.Any(r => r.Method == "PUT"));
        RecordedRequest edit = _fakes.ConnectorRequests.First(r => r.Method == "PUT");
        Assert.Contains("Aiko Analyst", edit.Body, StringComparison.Ordinal);
        Assert.Contains("Customer confirmed the new VMs.", edit.Body, StringComparison.Ordinal);
        Assert.Contains("Reopen", edit.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"title\":\"Fraud\"", edit.Body, StringComparison.Ordinal);
        await WaitForAsync(() => _fakes.ConnectorRequests.Any(r => r.Body.Contains("marked this alert as", StringComparison.Ordinal)));

        IReadOnlyList<AuditEntry> audit = await _bot.Services.GetRequiredService<TriageLedger>().ReadAuditAsync(AlertId);
        AuditEntry entry = Assert.Single(audit);
        Assert.Equal(("Legitimate", "applied", Analyst), (entry.Action, entry.Outcome, entry.ActorObjectId));
    }

    [Fact]
    public async Task CardRefresh_ReadOnlyForViewersWhoMayNotTriage()
    {
        RecordedRequest posted = _fakes.ConnectorRequests.First(r => r.Method == "POST" && r.Body.Contains(AlertId, StringComparison.Ordinal));
        JsonNode refresh = posted.Json!["activity"]!["attachments"]![0]!["content"]!["refresh"]!;
        Assert.Null(refresh["userIds"]);
        var data = (JsonObject)refresh["action"]!["data"]!.DeepClone();

        (_, JsonObject analystView) = await ClickAsync((JsonObject)data.DeepClone(), verb: "alert.refresh");
        (_, JsonObject otherView) = await ClickAsync((JsonObject)data.DeepClone(), aadObjectId: "0a0a0a0a-0000-4000-8000-000000000001", verb: "alert.refresh");

        Assert.NotNull(FindAction(analystView["value"], "Legitimate"));
        Assert.Null(FindAction(otherView["value"], "Legitimate"));
        Assert.Contains("Unusual VM deployment", otherView.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(Patches);
    }

    [Fact]
    public async Task UnauthorizedClick_ExplainsAndWritesNothing()
    {
        (HttpStatusCode status, JsonObject answer) = await ClickAsync(ButtonData("Legitimate"), aadObjectId: "0a0a0a0a-0000-4000-8000-000000000001");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)answer["type"]);
        Assert.Contains("not allowed", (string?)answer["value"], StringComparison.Ordinal);
        await Task.Delay(300, Ct);
        Assert.Empty(Patches);
    }

    [Theory]
    [InlineData("alertId", "alert-0999")]
    [InlineData("version", 7)]
    [InlineData("verdict", "Fraud")]
    [InlineData("confirmed", true)]
    [InlineData("signature", "AAAA")]
    public async Task TamperedButton_IsRefusedAndNothingWritten(string field, object value)
    {
        JsonObject data = ButtonData("Ignore");
        data[field] = JsonValue.Create(value);

        (_, JsonObject answer) = await ClickAsync(data);

        Assert.Contains("could not be verified", answer.ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(300, Ct);
        Assert.Empty(Patches);
    }

    [Fact]
    public async Task TwentyConcurrentClicks_ExactlyOnePatchAndOneConsistentOutcome()
    {
        JsonObject[] buttons = [ButtonData("Legitimate"), ButtonData("Ignore"), ButtonData("Investigating")];

        (HttpStatusCode Status, JsonObject Body)[] answers = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => ClickAsync((JsonObject)buttons[i % 3].DeepClone())));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        RecordedRequest patch = Assert.Single(Patches);
        Core.Triage.TriageRecord record = await _bot.Services.GetRequiredService<TriageLedger>().GetAsync(AlertId);
        Assert.Equal(2, record.Version);
        string expected = record.Verdict switch
        {
            Core.Triage.TriageVerdict.Investigating => "investigating",
            _ => "resolved",
        };
        Assert.Equal(expected, (string?)patch.Json!["status"]);
        Assert.Single(await _bot.Services.GetRequiredService<TriageLedger>().ReadAuditAsync(AlertId));
    }

    [Fact]
    public async Task Fraud_AsksForConfirmationThenRecordsFraud()
    {
        (_, JsonObject confirmation) = await ClickAsync(ButtonData("Fraud"));

        Assert.Contains("Mark this alert as fraud?", confirmation.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(Patches);
        JsonObject confirm = FindAction(confirmation["value"], "Yes, mark as fraud")!;

        (_, JsonObject answer) = await ClickAsync(confirm);

        RecordedRequest patch = Assert.Single(Patches);
        Assert.Equal("fraud", (string?)patch.Json!["resolvedReason"]);
        Assert.Contains("Fraud", answer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphFails_CardOffersRetry_RetrySucceeds()
    {
        _fakes.GraphPatchOverride = _ => Task.FromResult<IResult?>(Results.StatusCode(500));

        (_, JsonObject answer) = await ClickAsync(ButtonData("Ignore"));

        Assert.Contains("Retry: Ignore", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Could not record", answer.ToJsonString(), StringComparison.Ordinal);
        _fakes.GraphPatchOverride = null;
        JsonObject retry = FindAction(answer["value"], "Retry: Ignore")!;

        (_, JsonObject after) = await ClickAsync(retry);

        Assert.Equal(2, Patches.Length);
        Assert.Contains("Reopen", after.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphHangs_ClickIsStillAnsweredWithAnUpdatingCard()
    {
        var release = new TaskCompletionSource();
        _fakes.GraphPatchOverride = async _ =>
        {
            await release.Task;
            return null;
        };

        (HttpStatusCode status, JsonObject answer) = await ClickAsync(ButtonData("Legitimate"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Updating to Legitimate", answer.ToJsonString(), StringComparison.Ordinal);
        release.SetResult();
        // The work finishes in the background: every card is edited with the outcome.
        await WaitForAsync(() => _fakes.ConnectorRequests.Any(r => r.Method == "PUT" && r.Body.Contains("Reopen", StringComparison.Ordinal)));
    }
}
