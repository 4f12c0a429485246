using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// One-click triage on a posted alert card, end to end: signed buttons, who may act, one atomic
/// decision, the Graph PATCH, the card edited for everyone, the thread reply and the audit trail.
/// </summary>
public sealed class TriageTests(RedisServer redis) : IAsyncLifetime
{
    private const string AlertId = TriageScenario.AlertId;
    private TriageScenario _scenario = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackFakes Fakes => _scenario.Fakes;

    private BotApp Bot => _scenario.Bot;

    public async ValueTask InitializeAsync() => _scenario = await TriageScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    private static Task WaitForAsync(Func<bool> condition) => TriageScenario.WaitForAsync(condition);

    private JsonObject ButtonData(string title) => _scenario.ButtonData(title);

    private static JsonObject? FindAction(JsonNode? node, string title) => TriageScenario.FindAction(node, title);

    private Task<(HttpStatusCode Status, JsonObject Body)> ClickAsync(JsonObject data, string? aadObjectId = TriageScenario.Analyst, string? comment = null, string verb = "alert.triage") =>
        _scenario.ClickAsync(data, aadObjectId, comment, verb);

    private RecordedRequest[] Patches => [.. Fakes.GraphRequests.Where(r => r.Method == "PATCH")];

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

        await WaitForAsync(() => Fakes.ConnectorRequests.Any(r => r.Method == "PUT"));
        RecordedRequest edit = Fakes.ConnectorRequests.First(r => r.Method == "PUT");
        Assert.Contains("Aiko Analyst", edit.Body, StringComparison.Ordinal);
        Assert.Contains("Customer confirmed the new VMs.", edit.Body, StringComparison.Ordinal);
        Assert.Contains("Reopen", edit.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"title\":\"Fraud\"", edit.Body, StringComparison.Ordinal);
        await WaitForAsync(() => Fakes.ConnectorRequests.Any(r => r.Body.Contains("marked this alert as", StringComparison.Ordinal)));

        IReadOnlyList<AuditEntry> audit = await Bot.Services.GetRequiredService<ITriageLedger>().ReadAuditAsync(AlertId);
        AuditEntry entry = Assert.Single(audit);
        Assert.Equal(("Legitimate", "applied", TriageScenario.Analyst), (entry.Action, entry.Outcome, entry.ActorObjectId));
    }

    [Fact]
    public async Task ThreadReply_NameAndCommentWithMarkup_AreEscapedAndMentionNobody()
    {
        JsonObject data = ButtonData("Legitimate");

        (HttpStatusCode status, _) = await _scenario.ClickAsync(
            data, comment: "[Open](https://evil.example/x) <at>CEO</at> **now**", name: "# Mallory [pay](https://evil.example/pay)");

        Assert.Equal(HttpStatusCode.OK, status);
        await WaitForAsync(() => Fakes.ConnectorRequests.Any(r => r.Body.Contains("marked this alert as", StringComparison.Ordinal)));
        JsonNode reply = JsonNode.Parse(Fakes.ConnectorRequests.First(r => r.Body.Contains("marked this alert as", StringComparison.Ordinal)).Body)!;
        string text = (string)reply["text"]!;
        Assert.Contains("Mallory", text, StringComparison.Ordinal);
        Assert.Contains("evil.example/x", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[Open](", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[pay](", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**now**", text, StringComparison.Ordinal);
        Assert.False(text.StartsWith('#'), text);
        Assert.Null(reply["entities"]);
    }

    [Fact]
    public async Task CardRefresh_ReadOnlyForViewersWhoMayNotTriage()
    {
        JsonNode refresh = _scenario.PostedCard["refresh"]!;
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
        Core.Triage.TriageRecord record = await Bot.Services.GetRequiredService<ITriageLedger>().GetAsync(AlertId);
        Assert.Equal(2, record.Version);
        string expected = record.Verdict switch
        {
            Core.Triage.TriageVerdict.Investigating => "investigating",
            _ => "resolved",
        };
        Assert.Equal(expected, (string?)patch.Json!["status"]);
        Assert.Single(await Bot.Services.GetRequiredService<ITriageLedger>().ReadAuditAsync(AlertId));
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
        Fakes.GraphPatchOverride = _ => Task.FromResult<IResult?>(Results.StatusCode(500));

        (_, JsonObject answer) = await ClickAsync(ButtonData("Ignore"));

        Assert.Contains("Retry: Ignore", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Could not record", answer.ToJsonString(), StringComparison.Ordinal);
        Fakes.GraphPatchOverride = null;
        JsonObject retry = FindAction(answer["value"], "Retry: Ignore")!;

        (_, JsonObject after) = await ClickAsync(retry);

        Assert.Equal(2, Patches.Length);
        Assert.Contains("Reopen", after.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphHangs_ClickIsStillAnsweredWithAnUpdatingCard()
    {
        var release = new TaskCompletionSource();
        Fakes.GraphPatchOverride = async _ =>
        {
            await release.Task;
            return null;
        };

        (HttpStatusCode status, JsonObject answer) = await ClickAsync(ButtonData("Legitimate"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Updating to Legitimate", answer.ToJsonString(), StringComparison.Ordinal);
        release.SetResult();
        // The work finishes in the background: every card is edited with the outcome.
        await WaitForAsync(() => Fakes.ConnectorRequests.Any(r => r.Method == "PUT" && r.Body.Contains("Reopen", StringComparison.Ordinal)));
    }
}
