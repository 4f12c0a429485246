using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// Mitigation after a fraud verdict, end to end: the elevated role, the typed confirmation, one
/// Partner Center cancellation of the Azure subscription, the outcome on every card, in the audit
/// trail and in the thread; a failure offers a retry.
/// </summary>
public sealed class MitigationTests(RedisServer redis) : IAsyncLifetime
{
    private const string Admin = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
    private const string AzurePlan = "5c4b3a29-0000-4000-8000-0000000a2b1a";
    private const string AzureSubscription = "9e8d7c6b-0000-4000-8000-00000000a001";
    private const string MitigateButton = "Cancel the Azure subscription…";
    private const string ConfirmButton = "Cancel the subscription";
    private const string CancelPath = $"/partnercenter/v1/customers/{TriageScenario.CustomerTenantId}/subscriptions/{AzurePlan}/azureEntitlements/{AzureSubscription}/cancel";

    private TriageScenario _scenario = null!;

    /// <summary>What the fake Partner Center answers to a cancellation (202 unless a test says otherwise).</summary>
    private Func<IResult> _cancelAnswer = () => Results.StatusCode(202);

    private LoopbackFakes Fakes => _scenario.Fakes;

    private RecordedRequest[] Cancels => [.. Fakes.PartnerCenterRequests.Where(r => r.Method == "POST" && r.RawTarget.EndsWith("/cancel", StringComparison.Ordinal))];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await TriageScenario.StartAsync(redis, (fakes, settings) =>
    {
        settings["Triage:Authorization:TriageUserObjectIds:1"] = Admin;
        settings["Triage:Authorization:MitigationUserObjectIds:0"] = Admin;
        fakes.PartnerCenterOverride = AzurePlanOfContoso;
    });

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    /// <summary>Contoso's Azure plan holding the alert's Azure subscription, and the cancel call.</summary>
    private Task<IResult?> AzurePlanOfContoso(RecordedRequest request)
    {
        string path = request.RawTarget.Split('?')[0];
        string customer = $"/partnercenter/v1/customers/{TriageScenario.CustomerTenantId}/subscriptions";
        IResult? answer = (request.Method, path) switch
        {
            ("POST", CancelPath) => _cancelAnswer(),
            ("GET", var p) when p == customer => Results.Json(new JsonObject
            {
                ["totalCount"] = 1,
                ["items"] = new JsonArray(new JsonObject
                {
                    ["id"] = AzurePlan,
                    ["offerId"] = "DZH318Z0BCZC:0001",
                    ["offerName"] = "Azure plan",
                    ["friendlyName"] = "Azure plan",
                    ["status"] = "active",
                }),
            }),
            ("GET", var p) when p == $"{customer}/{AzurePlan}/azureEntitlements" => Results.Json(new JsonObject
            {
                ["totalCount"] = 1,
                ["items"] = new JsonArray(new JsonObject
                {
                    ["id"] = AzureSubscription,
                    ["friendlyName"] = "Contoso production",
                    ["status"] = "active",
                    ["subscriptionId"] = AzurePlan,
                }),
            }),
            ("GET", var p) when p.StartsWith(customer + "/", StringComparison.Ordinal) => Results.NotFound(),
            _ => null,
        };
        return Task.FromResult(answer);
    }

    /// <summary>Fraud, confirmed, by the analyst; returns the edited card everyone sees.</summary>
    private async Task<JsonNode> MarkFraudAsync()
    {
        (_, JsonObject confirmation) = await _scenario.ClickAsync(_scenario.ButtonData("Fraud"));
        (_, JsonObject answer) = await _scenario.ClickAsync(TriageScenario.FindAction(confirmation["value"], "Yes, mark as fraud")!);
        Assert.Contains("Fraud", answer.ToJsonString(), StringComparison.Ordinal);
        await TriageScenario.WaitForAsync(() => LastEdit() is not null);
        return LastEdit()!;
    }

    private JsonNode? LastEdit() =>
        Fakes.ConnectorRequests.LastOrDefault(r => r.Method == "PUT")?.Json!["attachments"]![0]!["content"];

    private async Task<JsonObject> AskAsync(JsonNode card, string? aadObjectId = Admin)
    {
        (HttpStatusCode status, JsonObject answer) = await _scenario.ClickAsync(TriageScenario.FindAction(card, MitigateButton)!, aadObjectId, verb: "alert.mitigate");
        Assert.Equal(HttpStatusCode.OK, status);
        return answer;
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> ConfirmAsync(JsonObject confirmation, string typed, string? aadObjectId = Admin) =>
        _scenario.ClickAsync(
            TriageScenario.FindAction(confirmation["value"], ConfirmButton)!,
            aadObjectId,
            verb: "alert.mitigate",
            inputs: new Dictionary<string, string> { [MitigationCards.ConfirmInputId] = typed });

    [Fact]
    public async Task FraudThenTypedConfirmation_OneCancellationShownOnCardsAuditAndThread()
    {
        Assert.Null(TriageScenario.FindAction(_scenario.PostedCard, MitigateButton));
        JsonNode fraudCard = await MarkFraudAsync();

        JsonObject confirmation = await AskAsync(fraudCard);
        string shown = confirmation.ToJsonString();
        Assert.Contains("Cancel the compromised Azure subscription?", shown, StringComparison.Ordinal);
        Assert.Contains("Contoso production", shown, StringComparison.Ordinal);
        Assert.Contains(MitigationCards.ConfirmInputId, shown, StringComparison.Ordinal);
        Assert.Empty(Cancels);

        (_, JsonObject mismatch) = await ConfirmAsync(confirmation, "9e8d7c6b-0000-4000-8000-00000000a002");
        Assert.Contains("does not match", mismatch.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(Cancels);

        (HttpStatusCode status, JsonObject answer) = await ConfirmAsync(mismatch, " " + AzureSubscription.ToUpperInvariant() + " ");

        Assert.Equal(HttpStatusCode.OK, status);
        RecordedRequest cancel = Assert.Single(Cancels);
        Assert.Equal(CancelPath, cancel.RawTarget);
        Assert.Equal("compromise", (string?)cancel.Json!["cancellationReason"]);
        Assert.Contains("cancellation accepted by Partner Center", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(TriageScenario.FindAction(answer["value"], MitigateButton));
        await TriageScenario.WaitForAsync(() => LastEdit()?.ToJsonString().Contains("cancellation accepted", StringComparison.Ordinal) == true);
        await TriageScenario.WaitForAsync(() => Fakes.ConnectorRequests.Any(r => r.Body.Contains("had Partner Center cancel Azure subscription", StringComparison.Ordinal)));
        AuditEntry audit = (await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId))[^1];
        Assert.Equal((AuditVocabulary.CancelAzureSubscription, "accepted", Admin), (audit.Action, audit.Outcome, audit.ActorObjectId));
        Assert.Contains(AzureSubscription, audit.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriagerWithoutTheElevatedRole_IsRefusedAndNothingCancelled()
    {
        JsonNode fraudCard = await MarkFraudAsync();
        JsonObject confirmation = await AskAsync(fraudCard);

        JsonObject refused = await AskAsync(fraudCard, TriageScenario.Analyst);
        (_, JsonObject refusedConfirm) = await ConfirmAsync(confirmation, AzureSubscription, TriageScenario.Analyst);

        Assert.Contains("Only the mitigation group", refused.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Only the mitigation group", refusedConfirm.ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(300, Ct);
        Assert.Empty(Cancels);
        Assert.Null(await _scenario.Get<IMitigationLedger>().GetAsync(TriageScenario.AlertId));
    }

    [Theory]
    [InlineData("step", "Confirm")]
    [InlineData("version", 1)]
    [InlineData("alertId", "alert-0999")]
    [InlineData("signature", "AAAA")]
    public async Task TamperedMitigationButton_IsRefused(string field, object value)
    {
        JsonNode fraudCard = await MarkFraudAsync();
        JsonObject data = TriageScenario.FindAction(fraudCard, MitigateButton)!;
        data[field] = JsonValue.Create(value);
        data[MitigationCards.ConfirmInputId] = AzureSubscription;

        (_, JsonObject answer) = await _scenario.ClickAsync(data, Admin, verb: "alert.mitigate");

        Assert.Contains("could not be verified", answer.ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(300, Ct);
        Assert.Empty(Cancels);
    }

    [Fact]
    public async Task TenConcurrentConfirmations_ExactlyOneCancellation()
    {
        JsonObject confirmation = await AskAsync(await MarkFraudAsync());

        (HttpStatusCode Status, JsonObject Body)[] answers = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(_ => ConfirmAsync((JsonObject)confirmation.DeepClone(), AzureSubscription)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(Cancels);
        Assert.Single(await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId), e => e.Action == AuditVocabulary.CancelAzureSubscription);
        Assert.Equal(MitigationState.Accepted, (await _scenario.Get<IMitigationLedger>().GetAsync(TriageScenario.AlertId))!.State);
    }

    [Fact]
    public async Task PartnerCenterRefuses_CardSaysSoAndOffersRetry_RetryCancels()
    {
        _cancelAnswer = () => Results.Json(new JsonObject { ["code"] = 900108, ["description"] = "Not allowed" }, statusCode: 403);
        JsonObject confirmation = await AskAsync(await MarkFraudAsync());

        (_, JsonObject failed) = await ConfirmAsync(confirmation, AzureSubscription);

        string shown = failed.ToJsonString();
        Assert.Contains("did not cancel", shown, StringComparison.Ordinal);
        Assert.Contains("HTTP 403 (900108)", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("accepted", shown, StringComparison.Ordinal);
        Assert.Equal("partner-center-failed: HTTP 403 (900108)", (await _scenario.Get<ITriageLedger>().ReadAuditAsync(TriageScenario.AlertId))[^1].Outcome);
        _cancelAnswer = () => Results.StatusCode(202);

        JsonObject again = await _scenario.ClickAsync(TriageScenario.FindAction(failed["value"], "Retry: cancel the Azure subscription…")!, Admin, verb: "alert.mitigate")
            .ContinueWith(t => t.Result.Body, TaskScheduler.Default);
        (_, JsonObject accepted) = await ConfirmAsync(again, AzureSubscription);

        Assert.Equal(2, Cancels.Length);
        Assert.Contains("cancellation accepted by Partner Center", accepted.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterReopen_TheOldMitigationButtonNoLongerWorks()
    {
        JsonNode fraudCard = await MarkFraudAsync();
        JsonObject stale = TriageScenario.FindAction(fraudCard, MitigateButton)!;
        (_, JsonObject reopened) = await _scenario.ClickAsync(TriageScenario.FindAction(fraudCard, "Reopen")!);
        Assert.NotNull(TriageScenario.FindAction(reopened["value"], "Legitimate"));

        (_, JsonObject answer) = await _scenario.ClickAsync(stale, Admin, verb: "alert.mitigate");

        Assert.Null(TriageScenario.FindAction(answer["value"], ConfirmButton));
        Assert.Null(TriageScenario.FindAction(answer["value"], MitigateButton));
        Assert.Empty(Cancels);
    }
}
