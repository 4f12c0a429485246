using System.Net;
using System.Text.Json.Nodes;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// The guided response end to end (HTTPS fakes, a real redis-server of the run's topology): after a
/// verdict the checklist is ticked step by step, its progress shows on every card and each tick in the
/// audit trail (<c>alert &lt;id&gt;</c>) with who and when; concurrent ticks record once; the support
/// packet (button and <c>support</c> command) holds every field; the customer draft holds the alert's
/// facts in English and in Japanese.
/// </summary>
public sealed class GuidedResponseTests(RedisServer redis) : IAsyncLifetime
{
    private const string Kenji = "Kenji Sato";
    private const string Subscription = "9e8d7c6b-0000-4000-8000-00000000a001";
    private const string Resource = "/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm7";
    private static readonly DateTimeOffset Detected = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private TriageScenario _scenario = null!;

    private LoopbackFakes Fakes => _scenario.Fakes;

    public async ValueTask InitializeAsync()
    {
        _scenario = await TriageScenario.StartAsync(redis);
        // The observed times the packet and the draft must carry (Graph answers every read from this).
        JsonObject alert = (JsonObject)Fakes.Alerts[TriageScenario.AlertId]!;
        alert["detectedDateTime"] = "2026-11-28T06:00:00Z";
        alert["firstObservedDateTime"] = "2026-11-28T05:12:00Z";
        alert["lastObservedDateTime"] = "2026-11-28T05:58:00Z";
    }

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    private JsonNode? LastEdit() =>
        Fakes.ConnectorRequests.LastOrDefault(r => r.Method == "PUT")?.Json!["attachments"]![0]!["content"];

    /// <summary>Fraud, confirmed; returns the edited card everyone sees.</summary>
    private async Task<JsonNode> MarkFraudAsync()
    {
        (_, JsonObject confirmation) = await _scenario.ClickAsync(_scenario.ButtonData("Fraud"));
        await _scenario.ClickAsync(TriageScenario.FindAction(confirmation["value"], "Yes, mark as fraud")!);
        await TriageScenario.WaitForAsync(() => Text(LastEdit()).Contains("0 of 12 done", StringComparison.Ordinal));
        return LastEdit()!;
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> RespondAsync(JsonObject data, string? name = Kenji) =>
        _scenario.ClickAsync((JsonObject)data.DeepClone(), verb: "alert.respond", name: name);

    /// <summary>The Done (or Undo) button of <paramref name="item"/> on a checklist card.</summary>
    private static JsonObject StepButton(JsonNode? card, ResponseItem item, string step = "Tick") =>
        Executes(card).Select(a => (JsonObject)a["data"]!).Single(d => (string?)d["item"] == item.ToString() && (string?)d["step"] == step);

    private static IEnumerable<JsonObject> Executes(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.Execute" => [o],
        JsonObject o => o.Where(p => p.Key != "fallback").SelectMany(p => Executes(p.Value)),
        JsonArray a => a.SelectMany(Executes),
        _ => [],
    };

    private static string Packet(JsonNode? card, string inputId) =>
        (string)Inputs(card).Single(i => (string?)i["id"] == inputId)["value"]!;

    private static IEnumerable<JsonObject> Inputs(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "Input.Text" => [o],
        JsonObject o => o.SelectMany(p => Inputs(p.Value)),
        JsonArray a => a.SelectMany(Inputs),
        _ => [],
    };

    [Fact]
    public async Task Checklist_TickedStepByStep_ShowsOnEveryCardAndInTheAuditTrailWithWhoAndWhen()
    {
        // Before a verdict there is no checklist, only the draft and the packet.
        Assert.Null(TriageScenario.FindAction(_scenario.PostedCard, "Response checklist (0/12)"));
        Assert.NotNull(TriageScenario.FindAction(_scenario.PostedCard, "Support packet"));
        JsonNode fraudCard = await MarkFraudAsync();

        (HttpStatusCode status, JsonObject opened) = await RespondAsync(TriageScenario.FindAction(fraudCard, "Response checklist (0/12)")!);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Response checklist after \"Fraud\"", Text(opened), StringComparison.Ordinal);

        JsonNode? card = opened["value"];
        ResponseItem[] steps = [ResponseItem.ResetCredentials, ResponseItem.SignInLogs, ResponseItem.ActivityLog];
        for (int i = 0; i < steps.Length; i++)
        {
            (_, JsonObject answer) = await RespondAsync(StepButton(card, steps[i]));
            card = answer["value"];
            string progress = $"{i + 1} of 12 done";
            Assert.Contains(progress, Text(card), StringComparison.Ordinal);
            // Every card of the alert is edited for everyone (the dispatcher, through the work stream).
            await TriageScenario.WaitForAsync(() => Text(LastEdit()).Contains(progress, StringComparison.Ordinal));
            Assert.NotNull(TriageScenario.FindAction(LastEdit(), $"Response checklist ({i + 1}/12)"));
        }

        Assert.Contains("Done — Kenji Sato, ", Text(card), StringComparison.Ordinal);
        IReadOnlyList<AuditEntry> audit = await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId);
        Assert.Equal(
            ["ResponseStepDone:ResetCredentials", "ResponseStepDone:SignInLogs", "ResponseStepDone:ActivityLog"],
            audit.Where(e => e.Action.StartsWith("ResponseStep", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.All(audit.Where(e => e.Action.StartsWith("ResponseStep", StringComparison.Ordinal)), e => Assert.Equal((Kenji, TriageScenario.Analyst), (e.ActorName, e.ActorObjectId)));

        // Untick: the progress goes back, and the trail says so.
        (_, JsonObject undone) = await RespondAsync(StepButton(card, ResponseItem.SignInLogs, "Untick"));
        Assert.Contains("2 of 12 done", Text(undone), StringComparison.Ordinal);

        JsonNode history = await _scenario.AskAsync("alert " + TriageScenario.AlertId);
        string shown = Text(history);
        Assert.Contains("Response step done: Reset the credentials of the subscription's owners", shown, StringComparison.Ordinal);
        Assert.Contains("by Kenji Sato: recorded in the bot", shown, StringComparison.Ordinal);
        Assert.Contains("Response step undone: Review the sign-in logs", shown, StringComparison.Ordinal);
        Assert.Contains("2 of 12 done", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenPeopleTickTheSameStepAtOnce_RecordedOnce()
    {
        JsonNode fraudCard = await MarkFraudAsync();
        (_, JsonObject opened) = await RespondAsync(TriageScenario.FindAction(fraudCard, "Response checklist (0/12)")!);
        JsonObject done = StepButton(opened["value"], ResponseItem.RiskyUsers);

        (HttpStatusCode Status, JsonObject Body)[] answers = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => RespondAsync(done, "Analyst " + i)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Contains("1 of 12 done", Text(a.Body), StringComparison.Ordinal));
        Assert.Single(await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId), e => e.Action == "ResponseStepDone:RiskyUsers");
        ResponseChecklistState state = await _scenario.Get<IResponseChecklistLedger>().GetAsync(TriageScenario.AlertId);
        Assert.Single(state.Ticks.Ticks);
        Assert.Equal(new ResponseProgress(TriageVerdict.Fraud, 1, 12), state.Progress("VM_AnomalousDeployment"));
    }

    [Fact]
    public async Task TickAfterReopen_IsRefusedAndTheCurrentStateShown()
    {
        JsonNode fraudCard = await MarkFraudAsync();
        (_, JsonObject opened) = await RespondAsync(TriageScenario.FindAction(fraudCard, "Response checklist (0/12)")!);
        JsonObject stale = StepButton(opened["value"], ResponseItem.SetBudgets);
        await _scenario.ClickAsync(TriageScenario.FindAction(fraudCard, "Reopen")!);

        (_, JsonObject answer) = await RespondAsync(stale);

        Assert.Contains("reopened or replaced", Text(answer), StringComparison.Ordinal);
        Assert.DoesNotContain(await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId), e => e.Action.StartsWith("ResponseStep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SupportPacket_FromTheCardAndTheCommand_HoldsEveryField()
    {
        JsonNode fraudCard = await MarkFraudAsync();
        (_, JsonObject opened) = await RespondAsync(TriageScenario.FindAction(fraudCard, "Response checklist (0/12)")!);
        await RespondAsync(StepButton(opened["value"], ResponseItem.SignInLogs));

        (_, JsonObject fromButton) = await RespondAsync(TriageScenario.FindAction(fraudCard, "Support packet")!);
        JsonNode fromCommand = await _scenario.AskAsync("support " + TriageScenario.AlertId);

        foreach (JsonNode? card in new[] { fromButton["value"], fromCommand })
        {
            string[] lines = Packet(card, ResponseCards.PacketInputId).Split('\n', StringSplitOptions.TrimEntries);
            Assert.Contains("Partner tenant id: " + LoopbackFakes.TenantId, lines);
            Assert.Contains("Customer tenant id: " + TriageScenario.CustomerTenantId, lines);
            Assert.Contains("Subscription id: " + Subscription, lines);
            Assert.Contains("Alert id: " + TriageScenario.AlertId, lines);
            Assert.Contains("Alert type: VM_AnomalousDeployment", lines);
            Assert.Contains("Detected: 2026-11-28T06:00:00.000Z", lines);
            Assert.Contains("First observed: 2026-11-28T05:12:00.000Z", lines);
            Assert.Contains("Last observed: 2026-11-28T05:58:00.000Z", lines);
            Assert.Contains("Affected resources (1):", lines);
            Assert.Contains(Resource, lines);
            Assert.Contains("What the partner checked:", lines);
            Assert.Contains(lines, l => l.StartsWith("- ", StringComparison.Ordinal) && l.Contains("Fraud — recorded in Microsoft's system (Aiko Analyst)", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("Checklist: Review the sign-in logs around the alert's time window", StringComparison.Ordinal) && l.EndsWith("(Kenji Sato)", StringComparison.Ordinal));
            Assert.NotNull(OpenUrl(card, "Open a support request"));
        }

        Assert.NotNull(TriageScenario.FindAction(fromButton["value"], "Back to the alert"));
    }

    [Fact]
    public async Task NotificationDraft_HoldsTheAlertsFactsInEnglishThenJapanese()
    {
        (_, JsonObject english) = await RespondAsync(_scenario.ButtonData("Draft customer message"));
        string en = Packet(english["value"], ResponseCards.DraftInputId);
        (_, JsonObject japanese) = await RespondAsync(TriageScenario.FindAction(english["value"], "日本語で")!);
        string ja = Packet(japanese["value"], ResponseCards.DraftInputId);

        Assert.StartsWith("Subject: Security alert on your Azure subscription", en, StringComparison.Ordinal);
        Assert.Contains("Dear Contoso Ltd,", en, StringComparison.Ordinal);
        Assert.Contains("\"VM anomalous deployment\" on your Azure subscription", en, StringComparison.Ordinal);
        Assert.Contains(Subscription, en, StringComparison.Ordinal);
        Assert.Contains("on 2026-11-28 06:00 (UTC).", en, StringComparison.Ordinal);
        Assert.Contains("Activity first observed: 2026-11-28 05:12 (UTC); last observed: 2026-11-28 05:58 (UTC).", en, StringComparison.Ordinal);
        Assert.Contains("- " + Resource, en, StringComparison.Ordinal);
        Assert.Contains("We are investigating this activity.", en, StringComparison.Ordinal);
        Assert.Contains("Reference: " + TriageScenario.AlertId, en, StringComparison.Ordinal);

        Assert.StartsWith("件名: Azure サブスクリプション", ja, StringComparison.Ordinal);
        Assert.Contains("Contoso Ltd 御中", ja, StringComparison.Ordinal);
        Assert.Contains("2026-11-28 06:00 (UTC) にお客様の Azure サブスクリプション", ja, StringComparison.Ordinal);
        Assert.Contains("重大度: 高。", ja, StringComparison.Ordinal);
        Assert.Contains("- " + Resource, ja, StringComparison.Ordinal);
        Assert.Contains("参照番号: " + TriageScenario.AlertId, ja, StringComparison.Ordinal);
        // The reader's labels stay in their language; the draft's language is the one chosen.
        Assert.Contains("Message to the customer (draft)", Text(japanese), StringComparison.Ordinal);
        Assert.NotNull(TriageScenario.FindAction(japanese["value"], "In English"));
    }

    [Fact]
    public async Task ResponseButtons_TamperedOrWithoutTheRole_AreRefused()
    {
        JsonObject packet = _scenario.ButtonData("Support packet");
        JsonObject tampered = (JsonObject)packet.DeepClone();
        tampered["step"] = "Tick";
        tampered["item"] = "SignInLogs";

        (_, JsonObject forged) = await RespondAsync(tampered);
        (_, JsonObject outsider) = await _scenario.ClickAsync((JsonObject)packet.DeepClone(), aadObjectId: "00000000-1111-4222-8333-444444444444", verb: "alert.respond");

        Assert.Contains("could not be verified", Text(forged), StringComparison.Ordinal);
        Assert.Contains("not allowed to triage", Text(outsider), StringComparison.Ordinal);
        Assert.DoesNotContain(ResponseCards.PacketInputId, Text(outsider), StringComparison.Ordinal);
    }

    /// <summary>Every string in the card or answer, one per line (unescaped: what a reader sees).</summary>
    private static string Text(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Select(p => Text(p.Value))),
        JsonArray a => string.Join('\n', a.Select(Text)),
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => string.Empty,
    };

    private static JsonObject? OpenUrl(JsonNode? node, string title) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.OpenUrl" && (string?)o["title"] == title => o,
        JsonObject o => o.Select(p => OpenUrl(p.Value, title)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(n => OpenUrl(n, title)).FirstOrDefault(f => f is not null),
        _ => null,
    };
}
