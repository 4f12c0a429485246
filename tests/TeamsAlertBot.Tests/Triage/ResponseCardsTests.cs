using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Tests.Cards;

namespace TeamsAlertBot.Tests.Triage;

/// <summary>The guided response's checklists and cards, the customer notification draft and the support packet.</summary>
public sealed class ResponseCardsTests
{
    private const string Tenant = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string Subscription = "9e8d7c6b-0000-4000-8000-00000000a001";
    private static readonly DateTimeOffset Now = AlertCardSamples.Now;
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TriageRecord FraudApplied = new() { Version = 2, State = TriageState.Applied, Verdict = TriageVerdict.Fraud, ActorName = "Aiko", At = Now };
    private static readonly ResponseTick ByKenji = new("Kenji Sato", "oid-kenji", new DateTimeOffset(2026, 11, 28, 8, 30, 0, TimeSpan.Zero));

    private static PartnerSecurityAlert Alert => AlertCardSamples.Realistic;

    private static ResponseActionData Sign(ResponseStep step, ResponseItem? item) =>
        new() { AlertId = Alert.Id, Step = step, Item = item, Version = 2, Signature = "sig-" + step + "-" + item };

    private static ResponseChecklistTicks Ticked(params ResponseItem[] items) =>
        new(2, items.ToDictionary(i => i, _ => ByKenji));

    /// <summary>Every string of the card, one per line (what a reader can see, unescaped).</summary>
    private static string Json(AdaptiveCard card) =>
        string.Join('\n', Strings(System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard))));

    private static string Raw(AdaptiveCard card) => JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard);

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue(out string? text) => [text],
        _ => [],
    };

    private static int Bytes(AdaptiveCard card) => JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard).Length;

    [Fact]
    public void For_EachVerdictAndType_TheGuidanceSteps()
    {
        IReadOnlyList<ResponseItem> fraud = ResponseChecklist.For(TriageVerdict.Fraud, "VM_AnomalousDeployment");
        Assert.Equal(
            [ResponseItem.ResetCredentials, ResponseItem.RecoveryContacts, ResponseItem.RiskyUsers, ResponseItem.SignInLogs, ResponseItem.ActivityLog,
             ResponseItem.RemoveAttackerResources, ResponseItem.DeleteUnattachedDisks, ResponseItem.LowerQuotas, ResponseItem.SupportRequest,
             ResponseItem.EnableDefender, ResponseItem.SetBudgets, ResponseItem.CancelSubscription],
            fraud);
        Assert.Contains(ResponseItem.StopMiningWorkloads, ResponseChecklist.For(TriageVerdict.Fraud, "networkConnectionsToCryptoMiningPools"));
        Assert.Contains(ResponseItem.ReviewMachineLearning, ResponseChecklist.For(TriageVerdict.Fraud, "AzureMachineLearning_AnomalousDeployment"));
        Assert.Equal(13, ResponseChecklist.For(TriageVerdict.Fraud, "CryptoMining").Count);
        Assert.Equal([ResponseItem.RecordConfirmation, ResponseItem.RecordEvidence, ResponseItem.ReportFalsePositive], ResponseChecklist.For(TriageVerdict.Legitimate, null));
        Assert.Equal([ResponseItem.RecordIgnoreReason, ResponseItem.WatchForRecurrence], ResponseChecklist.For(TriageVerdict.Ignore, "x"));
        Assert.Empty(ResponseChecklist.For(TriageVerdict.Investigating, "x"));
        Assert.Empty(ResponseChecklist.For(TriageVerdict.Reopen, "x"));
    }

    [Fact]
    public void Progress_CountsTicksOfTheVerdictsVersionAndAnAcceptedCancellation()
    {
        Assert.Equal(new ResponseProgress(TriageVerdict.Fraud, 2, 13), ResponseChecklist.Progress(FraudApplied, Alert.AlertType, Ticked(ResponseItem.ResetCredentials, ResponseItem.SignInLogs), false));
        Assert.Equal(3, ResponseChecklist.Progress(FraudApplied, Alert.AlertType, Ticked(ResponseItem.ResetCredentials, ResponseItem.SignInLogs), true)!.Done);
        // Ticks of an earlier verdict (version 1) do not count; a step of another checklist does not either.
        Assert.Equal(0, ResponseChecklist.Progress(FraudApplied, Alert.AlertType, new ResponseChecklistTicks(1, Ticked(ResponseItem.ResetCredentials).Ticks), false)!.Done);
        Assert.Equal(0, ResponseChecklist.Progress(FraudApplied, Alert.AlertType, Ticked(ResponseItem.RecordEvidence), false)!.Done);
        Assert.Null(ResponseChecklist.Progress(FraudApplied with { State = TriageState.Pending }, Alert.AlertType, Ticked(), false));
        Assert.Null(ResponseChecklist.Progress(FraudApplied with { Verdict = TriageVerdict.Investigating }, Alert.AlertType, Ticked(), false));
    }

    [Theory]
    [InlineData("en", "Response checklist after \"Fraud\"", "2 of 13 done", "Done — Kenji Sato, 2026-11-28 17:30 (UTC+09:00)", "Undo")]
    [InlineData("ja", "「不正」判定後の対応チェックリスト", "13 件中 2 件完了", "完了 — Kenji Sato、2026-11-28 17:30 (UTC+09:00)", "取り消し")]
    public void Checklist_ShowsEachStepItsStateAndButtons(string language, string title, string progress, string doneBy, string undo)
    {
        AdaptiveCard card = Checklist(language, Ticked(ResponseItem.ResetCredentials, ResponseItem.SignInLogs));
        string json = Json(card);
        string raw = Raw(card);

        Assert.Equal(language, card.Lang);
        Assert.Contains(title, json, StringComparison.Ordinal);
        Assert.Contains(progress, json, StringComparison.Ordinal);
        Assert.Contains(doneBy, json, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(raw);
        List<JsonElement> executes = [.. Actions(document.RootElement).Where(a => a.GetProperty("type").GetString() == "Action.Execute")];
        // 11 steps to tick, 2 to untick, then Back, the draft and the packet.
        Assert.Equal(11, executes.Count(a => a.GetProperty("data").GetProperty("step").GetString() == "Tick"));
        Assert.Equal(2, executes.Count(a => a.GetProperty("data").GetProperty("step").GetString() == "Untick" && a.GetProperty("title").GetString() == undo));
        Assert.All(executes, a => Assert.Equal("alert.respond", a.GetProperty("verb").GetString()));
        Assert.Contains(executes, a => a.GetProperty("data").GetProperty("step").GetString() == "Back");
    }

    [Fact]
    public void Checklist_AcceptedCancellation_CountsAndShowsWhoWithoutATickButton()
    {
        AdaptiveCard card = ResponseCards.Checklist(ResponseTexts.En, TriageTexts.En, Alert, FraudApplied, Ticked(), ByKenji, ResponsePortals.Default, Now, Tokyo, Sign);

        string json = Json(card);
        Assert.Contains("1 of 13 done", json, StringComparison.Ordinal);
        Assert.Contains("Cancellation accepted — Kenji Sato", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"item\":\"CancelSubscription\"", Raw(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Checklist_NoRecordedVerdict_SaysWhenItAppears()
    {
        AdaptiveCard card = ResponseCards.Checklist(ResponseTexts.En, TriageTexts.En, Alert, FraudApplied with { State = TriageState.Failed }, Ticked(), null, ResponsePortals.Default, Now, Tokyo, Sign);

        Assert.Contains(ResponseTexts.En.NoChecklist, Json(card), StringComparison.Ordinal);
        Assert.DoesNotContain("\"step\":\"Tick\"", Raw(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Links_FilteredToTheAlertsWindowInTheCustomersDirectory_OnConfiguredPortals()
    {
        var portals = new ResponsePortals(new Uri("https://portal.azure.us"), new Uri("https://entra.microsoft.us"), new Uri("https://support.example/new"), TimeSpan.FromHours(2));

        // First observed 05:12, last observed 05:58 (UTC); two hours either side.
        Assert.Equal((new DateTimeOffset(2026, 11, 28, 3, 12, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 7, 58, 0, TimeSpan.Zero)), portals.Window(Alert, Now));
        string signIns = portals.Link(ResponseItem.SignInLogs, Alert, null, Now)!.AbsoluteUri;
        Assert.Equal($"https://entra.microsoft.us/{Tenant}/#view/Microsoft_AAD_IAM/SignInEventsV3Blade/timeRangeType/custom/startDateTime/2026-11-28T03:12:00.000Z/endDateTime/2026-11-28T07:58:00.000Z", signIns);
        string activity = Uri.UnescapeDataString(portals.Link(ResponseItem.ActivityLog, Alert, null, Now)!.AbsoluteUri);
        Assert.StartsWith($"https://portal.azure.us/#@{Tenant}/blade/Microsoft_Azure_ActivityLog/ActivityLogBlade/queryInputs/", activity, StringComparison.Ordinal);
        Assert.Contains($"\"subscriptions\":[\"{Subscription}\"]", activity, StringComparison.Ordinal);
        Assert.Contains("\"startTime\":\"2026-11-28T03:12:00.000Z\",\"endTime\":\"2026-11-28T07:58:00.000Z\"", activity, StringComparison.Ordinal);
        Assert.Equal($"https://portal.azure.us/#@{Tenant}/resource/subscriptions/{Subscription}/budgets", portals.Link(ResponseItem.SetBudgets, Alert, null, Now)!.AbsoluteUri);
        Assert.Equal("https://support.example/new", portals.Link(ResponseItem.ReportFalsePositive, Alert, null, Now)!.AbsoluteUri);
        Assert.Null(portals.Link(ResponseItem.CancelSubscription, Alert, null, Now));
    }

    [Fact]
    public void Links_IdsThatAreNotGuids_NoPortalLinkAtAll()
    {
        PartnerSecurityAlert odd = Alert with { CustomerTenantId = "evil.example/#@x", SubscriptionId = "../../x" };

        Assert.All(Enum.GetValues<ResponseItem>().Where(i => i != ResponseItem.ReportFalsePositive), i => Assert.Null(ResponsePortals.Default.Link(i, odd, null, Now)));
    }

    [Theory]
    [InlineData("en", "Subject: Security alert on your Azure subscription Contoso Production (9e8d7c6b-0000-4000-8000-00000000a001): Network connections to crypto mining pools",
        "Dear Contoso Pharmaceuticals,", "on 2026-11-28 15:00 (UTC+09:00)", "Severity: High.", "We have determined that this activity was not authorised", "We recommend these actions:")]
    [InlineData("ja", "件名: Azure サブスクリプション Contoso Production (9e8d7c6b-0000-4000-8000-00000000a001) のセキュリティ アラート: Network connections to crypto mining pools",
        "Contoso Pharmaceuticals 御中", "2026-11-28 15:00 (UTC+09:00) にお客様の Azure サブスクリプション", "重大度: 高。", "このアクティビティは許可されていないもの", "次の対応をお勧めします:")]
    public void NotificationText_HoldsTheAlertsFactsInTheChosenLanguage(string language, string subject, string greeting, string detected, string severity, string status, string actions)
    {
        ResponseTexts texts = ResponseTexts.For(language);

        string draft = ResponseCards.NotificationText(texts, AlertTexts.For(language), Alert, AlertCardSamples.Enriched, TriageVerdict.Fraud, Tokyo);

        string[] lines = draft.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal(subject, lines[0]);
        Assert.Contains(greeting, lines);
        Assert.Contains(detected, draft, StringComparison.Ordinal);
        Assert.Contains(severity, draft, StringComparison.Ordinal);
        Assert.Contains(status, draft, StringComparison.Ordinal);
        Assert.Contains(actions, lines);
        Assert.Contains(texts.StepResetCredentials, draft, StringComparison.Ordinal);
        Assert.Contains(texts.StepStopMiningWorkloads, draft, StringComparison.Ordinal);
        // The partner's own steps are not the customer's.
        Assert.DoesNotContain(texts.StepCancelSubscription, draft, StringComparison.Ordinal);
        Assert.DoesNotContain(texts.StepSupportRequest, draft, StringComparison.Ordinal);
        Assert.All(Alert.AffectedResources!, r => Assert.Contains("- " + r.ResourceId, lines));
        Assert.EndsWith(texts.Format(texts.NotifyReference, Alert.Id), draft, StringComparison.Ordinal);
    }

    [Fact]
    public void NotificationText_OpenAlert_AsksToConfirmTheActivity_LegitimateNeedsNoAction()
    {
        string open = ResponseCards.NotificationText(ResponseTexts.En, AlertTexts.En, Alert, AlertCardSamples.Enriched, null, Tokyo);
        string legitimate = ResponseCards.NotificationText(ResponseTexts.En, AlertTexts.En, Alert, AlertCardSamples.Enriched, TriageVerdict.Legitimate, Tokyo);

        Assert.Contains("1. " + ResponseTexts.En.NotifyConfirmActivity, open, StringComparison.Ordinal);
        Assert.Contains(ResponseTexts.En.NotifyStatusOpen, open, StringComparison.Ordinal);
        Assert.Contains(ResponseTexts.En.NotifyNoAction, legitimate, StringComparison.Ordinal);
        Assert.DoesNotContain(ResponseTexts.En.NotifyActionsHeading, legitimate, StringComparison.Ordinal);
    }

    [Fact]
    public void Notification_NamesFromTheCustomer_CannotAddLinesOrMarkdown()
    {
        AlertCardContext hostile = AlertCardSamples.Enriched with
        {
            CustomerName = "Contoso\r\nPartner tenant id: 00000000\n[Click](https://evil.example)",
            SubscriptionName = "**prod**\n\nPlease wire money",
        };

        string draft = ResponseCards.NotificationText(ResponseTexts.En, AlertTexts.En, Alert, hostile, null, Tokyo);
        AdaptiveCard card = ResponseCards.Notification(ResponseTexts.En, ResponseTexts.En, draft, Sign(ResponseStep.Notify, null) with { Language = "ja" }, Sign(ResponseStep.Back, null));

        string[] lines = draft.Split('\n', StringSplitOptions.TrimEntries);
        Assert.DoesNotContain(lines, l => l.StartsWith("Partner tenant id", StringComparison.Ordinal) || l.StartsWith("Please wire", StringComparison.Ordinal));
        Assert.Contains("Dear Contoso Partner tenant id: 00000000 [Click](https://evil.example),", lines);
        // The draft is an input's value (plain text), never a TextBlock (markdown).
        Assert.DoesNotContain(card.Body.OfType<TextBlock>(), t => t.Text.Contains("evil.example", StringComparison.Ordinal));
        InputText input = Assert.Single(card.Body.OfType<InputText>());
        Assert.Equal(draft, input.Value);
        Assert.Equal("日本語で", Assert.IsType<ExecuteAction>(card.Actions![0]).Title);
    }

    [Theory]
    [InlineData("en", "Partner tenant id: ", "Customer tenant id: ", "Subscription id: ", "Alert id: ", "Alert type: ", "Detected: ", "First observed: ", "Last observed: ", "Affected resources (2):", "What the partner checked:")]
    [InlineData("ja", "パートナー テナント ID: ", "顧客テナント ID: ", "サブスクリプション ID: ", "アラート ID: ", "アラートの種類: ", "検出日時: ", "最初の観測: ", "最後の観測: ", "影響を受けるリソース (2):", "パートナーが確認した内容:")]
    public void SupportPacketText_HoldsEveryField(
        string language, string partner, string customer, string subscription, string alertId, string type, string detected, string first, string last, string resources, string checkedLabel)
    {
        ResponseTexts texts = ResponseTexts.For(language);
        CheckedLine[] checks =
        [
            new(ByKenji.At, texts.Format(texts.CheckedStep, texts.StepSignInLogs), "Kenji Sato", null),
            new(ByKenji.At.AddMinutes(-10), "Legitimate — recorded", "Aiko", "Customer confirmed the build farm"),
        ];

        string packet = ResponseCards.SupportPacketText(texts, Alert, AlertCardSamples.Enriched, "11111111-2222-4333-8444-555555555555", checks);

        string[] lines = packet.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(partner + "11111111-2222-4333-8444-555555555555", lines);
        Assert.Contains(customer + Tenant, lines);
        Assert.Contains(subscription + Subscription, lines);
        Assert.Contains(alertId + Alert.Id, lines);
        Assert.Contains(type + "networkConnectionsToCryptoMiningPools", lines);
        Assert.Contains(detected + "2026-11-28T06:00:00.000Z", lines);
        Assert.Contains(first + "2026-11-28T05:12:00.000Z", lines);
        Assert.Contains(last + "2026-11-28T05:58:00.000Z", lines);
        Assert.Contains(resources, lines);
        Assert.All(Alert.AffectedResources!, r => Assert.Contains(r.ResourceId!, lines));
        int checkedAt = Array.IndexOf(lines, checkedLabel);
        Assert.True(checkedAt > 0);
        // Oldest first: the verdict, then the tick.
        Assert.Equal("- 2026-11-28T08:20:00.000Z Legitimate — recorded (Aiko): \"Customer confirmed the build farm\"", lines[checkedAt + 1]);
        Assert.Equal("- 2026-11-28T08:30:00.000Z " + texts.Format(texts.CheckedStep, texts.StepSignInLogs) + " (Kenji Sato)", lines[checkedAt + 2]);
    }

    [Fact]
    public void SupportPacket_NothingChecked_SaysSoAndLinksToSupport()
    {
        AdaptiveCard card = ResponseCards.SupportPacket(ResponseTexts.En, Alert, AlertCardContext.None, null, [], new Uri("https://support.example/new"), back: null);

        string packet = Assert.Single(card.Body.OfType<InputText>()).Value!;
        Assert.Contains("Partner tenant id: unknown", packet, StringComparison.Ordinal);
        Assert.Contains("nothing recorded in the bot yet", packet, StringComparison.Ordinal);
        OpenUrlAction link = Assert.IsType<OpenUrlAction>(Assert.Single(card.Actions!));
        Assert.Equal(("Open a support request", "https://support.example/new"), (link.Title, link.Url.AbsoluteUri));
    }

    [Fact]
    public void Cards_LongAndJapaneseInputs_StayWithinTeamsCardSize()
    {
        string longJapanese = string.Concat(Enumerable.Repeat("長い名前", 200));
        PartnerSecurityAlert huge = Alert with
        {
            DisplayName = longJapanese,
            AlertType = "CryptoMining" + new string('x', 500),
            AffectedResources = [.. Enumerable.Range(0, 400).Select(i => new AffectedResource { ResourceId = $"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{longJapanese}{i}" })],
        };
        AlertCardContext context = AlertCardSamples.Enriched with { CustomerName = longJapanese, SubscriptionName = longJapanese };
        ResponseChecklistTicks ticks = new(2, ResponseChecklist.For(TriageVerdict.Fraud, huge.AlertType).ToDictionary(i => i, _ => ByKenji with { ActorName = longJapanese }));
        CheckedLine[] checks = [.. Enumerable.Range(0, 300).Select(i => new CheckedLine(Now.AddMinutes(i), longJapanese, longJapanese, longJapanese))];

        foreach (string language in new[] { "en", "ja" })
        {
            ResponseTexts texts = ResponseTexts.For(language);
            AdaptiveCard checklist = ResponseCards.Checklist(texts, TriageTexts.For(language), huge, FraudApplied, ticks, ByKenji, ResponsePortals.Default, Now, Tokyo, Sign);
            AdaptiveCard notification = ResponseCards.Notification(
                texts, texts, huge, context, TriageVerdict.Fraud, Tokyo, Sign(ResponseStep.Notify, null) with { Language = "en" }, Sign(ResponseStep.Back, null));
            AdaptiveCard packet = ResponseCards.SupportPacket(texts, huge, context, Tenant, checks, ResponsePortals.Default.Support, Sign(ResponseStep.Back, null));

            Assert.InRange(Bytes(checklist), 1, 28 * 1024);
            Assert.InRange(Bytes(notification), 1, ResponseCards.MaxCardBytes);
            Assert.Contains(texts.Format(texts.NotifyReference, huge.Id), Assert.Single(notification.Body.OfType<InputText>()).Value!, StringComparison.Ordinal);
            Assert.InRange(Bytes(packet), 1, ResponseCards.MaxCardBytes);
            // The packet keeps the facts and says what it left out.
            string text = Assert.Single(packet.Body.OfType<InputText>()).Value!;
            Assert.Contains(texts.FieldAlertId + ": " + huge.Id, text, StringComparison.Ordinal);
            Assert.Contains(texts.Format(texts.FieldResources, 400), text, StringComparison.Ordinal);
            // Cut to fit: the oldest checks (at most MaxPacketChecks kept), each cut counted.
            Assert.Contains(texts.AndMore.Split('{')[0], text, StringComparison.Ordinal);
            Assert.InRange(text.Split('\n').Count(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)), 1, ResponseCards.MaxPacketChecks);
        }
    }

    [Fact]
    public void AlertCardButtons_AreSignedExecuteActionsWithoutInputs()
    {
        var progress = new ResponseProgress(TriageVerdict.Fraud, 4, 12);

        ExecuteAction show = ResponseCards.ShowButton(ResponseTexts.En, progress, Sign(ResponseStep.Show, null));

        Assert.Equal(("Response checklist (4/12)", "alert.respond", "none"), (show.Title, show.Verb, show.AssociatedInputs));
        Assert.Equal("Show", show.Data!.Value.GetProperty("step").GetString());
        Assert.Equal("alert.respond", Assert.IsType<SubmitAction>(show.Fallback).Data!.Value.GetProperty("verb").GetString());
        Assert.Equal(new CardNote("Response", "4 of 12 done"), ResponseCards.ProgressNote(ResponseTexts.En, progress));
        Assert.Equal(new CardNote("対応", "12 件中 4 件完了"), ResponseCards.ProgressNote(ResponseTexts.Ja, progress));
    }

    private static AdaptiveCard Checklist(string language, ResponseChecklistTicks ticks) => ResponseCards.Checklist(
        ResponseTexts.For(language), TriageTexts.For(language), Alert, FraudApplied, ticks, null, ResponsePortals.Default, Now, Tokyo, Sign);

    private static IEnumerable<JsonElement> Actions(JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("type", out JsonElement type) && type.GetString() is { } t && t.StartsWith("Action.", StringComparison.Ordinal))
            {
                yield return node;
            }

            foreach (JsonProperty property in node.EnumerateObject().Where(p => p.Name != "fallback"))
            {
                foreach (JsonElement found in Actions(property.Value))
                {
                    yield return found;
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.EnumerateArray())
            {
                foreach (JsonElement found in Actions(item))
                {
                    yield return found;
                }
            }
        }
    }

    /// <summary>The guided response's cards for the validation catalog.</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (ResponseTexts texts in ResponseTexts.All)
        {
            string lang = texts.Language;
            TriageTexts triage = TriageTexts.For(lang);
            cards[$"{nameof(ResponseCards)}.{nameof(ResponseCards.Checklist)}.fraud.{lang}"] = ResponseCards.Checklist(
                texts, triage, Alert, FraudApplied, Ticked(ResponseItem.ResetCredentials), ByKenji, ResponsePortals.Default, Now, Tokyo, Sign);
            cards[$"{nameof(ResponseCards)}.{nameof(ResponseCards.Checklist)}.legitimate.{lang}"] = ResponseCards.Checklist(
                texts, triage, Alert, FraudApplied with { Verdict = TriageVerdict.Legitimate }, Ticked(), null, ResponsePortals.Default, Now, Tokyo, Sign, texts.StaleChecklist);
            cards[$"{nameof(ResponseCards)}.{nameof(ResponseCards.Checklist)}.none.{lang}"] = ResponseCards.Checklist(
                texts, triage, Alert, TriageRecord.Initial, Ticked(), null, ResponsePortals.Default, Now, Tokyo, Sign);
            string draft = ResponseCards.NotificationText(texts, AlertTexts.For(lang), Alert, AlertCardSamples.Enriched, null, Tokyo);
            cards[$"{nameof(ResponseCards)}.{nameof(ResponseCards.Notification)}.{lang}"] = ResponseCards.Notification(
                texts, texts, draft, Sign(ResponseStep.Notify, null) with { Language = lang == "en" ? "ja" : "en" }, Sign(ResponseStep.Back, null));
            cards[$"{nameof(ResponseCards)}.{nameof(ResponseCards.SupportPacket)}.{lang}"] = ResponseCards.SupportPacket(
                texts, Alert, AlertCardSamples.Enriched, Tenant, [new CheckedLine(Now, "Legitimate", "Aiko", "ok")], ResponsePortals.Default.Support, Sign(ResponseStep.Back, null));
            cards[$"AlertCards.Alert.with-response.{lang}"] = AlertCards.Alert(
                AlertTexts.For(lang),
                Alert,
                AlertCardSamples.Enriched with { Response = ResponseCards.ProgressNote(texts, new ResponseProgress(TriageVerdict.Fraud, 4, 13)) },
                Now,
                Tokyo,
                3,
                [
                    ResponseCards.ShowButton(texts, new ResponseProgress(TriageVerdict.Fraud, 4, 13), Sign(ResponseStep.Show, null)),
                    ResponseCards.NotifyButton(texts, Sign(ResponseStep.Notify, null)),
                    ResponseCards.SupportButton(texts, Sign(ResponseStep.Support, null)),
                ]);
        }
    }
}
