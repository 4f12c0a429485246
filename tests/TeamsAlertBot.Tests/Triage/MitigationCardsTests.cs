using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Triage;

public sealed class MitigationCardsTests
{
    private const string Subscription = "9e8d7c6b-0000-4000-8000-00000000a001";
    private const string Plan = "5c4b3a29-0000-4000-8000-0000000a2b1a";
    private static readonly DateTimeOffset At = new(2026, 11, 28, 9, 5, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TriageRecord FraudApplied = new() { Version = 2, State = TriageState.Applied, Verdict = TriageVerdict.Fraud, ActorName = "Aiko", At = At };

    private static MitigationActionData Data(MitigationStep step) => new() { AlertId = "a-1", Step = step, Version = 2, Signature = "sig-" + step };

    private static MitigationRecord Record(MitigationState state, string? error = null) => new()
    {
        State = state,
        AzureSubscriptionId = Subscription,
        AzurePlanSubscriptionId = Plan,
        CustomerTenantId = "6a1d2c3b-0000-4000-8000-00000000c001",
        ActorName = "Kenji Admin",
        At = At,
        Error = error,
    };

    [Fact]
    public void Offered_OnlyAfterAppliedFraudWithAnAzurePlanAndNothingUnderWay()
    {
        Assert.True(MitigationCards.Offered(FraudApplied, alertOpen: false, Plan, Subscription, mitigation: null, At));
        Assert.True(MitigationCards.Offered(FraudApplied, false, Plan, Subscription, Record(MitigationState.Failed), At));

        Assert.False(MitigationCards.Offered(FraudApplied with { Verdict = TriageVerdict.Legitimate }, false, Plan, Subscription, null, At));
        Assert.False(MitigationCards.Offered(FraudApplied with { State = TriageState.Pending }, false, Plan, Subscription, null, At));
        Assert.False(MitigationCards.Offered(FraudApplied with { State = TriageState.Failed }, false, Plan, Subscription, null, At));
        Assert.False(MitigationCards.Offered(FraudApplied, alertOpen: true, Plan, Subscription, null, At));
        Assert.False(MitigationCards.Offered(FraudApplied, false, azurePlanSubscriptionId: null, Subscription, null, At));
        Assert.False(MitigationCards.Offered(FraudApplied, false, Plan, azureSubscriptionId: "not-a-guid", null, At));
        Assert.False(MitigationCards.Offered(FraudApplied, false, Plan, Subscription, Record(MitigationState.Pending) with { PendingUntil = At.AddMinutes(3).ToUnixTimeMilliseconds() }, At));
        // A pending cancellation whose instance died is offered again once it lapsed.
        Assert.True(MitigationCards.Offered(FraudApplied, false, Plan, Subscription, Record(MitigationState.Pending) with { PendingUntil = At.AddMinutes(-1).ToUnixTimeMilliseconds() }, At));
        Assert.False(MitigationCards.Offered(FraudApplied, false, Plan, Subscription, Record(MitigationState.Accepted), At));
    }

    [Theory]
    [InlineData(Subscription, true)]
    [InlineData("  9E8D7C6B-0000-4000-8000-00000000A001 ", true)]
    [InlineData("{9e8d7c6b-0000-4000-8000-00000000a001}", true)]
    [InlineData("9e8d7c6b-0000-4000-8000-00000000a002", false)]
    [InlineData("9e8d7c6b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_TypedIdMustNameTheSubscription(string? typed, bool expected)
    {
        Assert.Equal(expected, MitigationCards.Matches(typed, Subscription));
    }

    [Fact]
    public void Note_SaysWhatHappenedInTheReadersLanguage()
    {
        Assert.Null(MitigationCards.Note(TriageTexts.En, null, Tokyo, At));
        Assert.Equal(
            "Azure subscription 9e8d7c6b-0000-4000-8000-00000000a001 cancellation accepted by Partner Center — Kenji Admin, 2026-11-28 18:05 (+09:00)",
            MitigationCards.Note(TriageTexts.En, Record(MitigationState.Accepted), Tokyo, At));
        Assert.Contains("HTTP 403", MitigationCards.Note(TriageTexts.En, Record(MitigationState.Failed, "HTTP 403"), Tokyo, At), StringComparison.Ordinal);
        Assert.StartsWith("Azure サブスクリプション", MitigationCards.Note(TriageTexts.Ja, Record(MitigationState.Pending) with { PendingUntil = At.AddMinutes(3).ToUnixTimeMilliseconds() }, Tokyo, At), StringComparison.Ordinal);
        Assert.Contains("応答がありません", MitigationCards.Note(TriageTexts.Ja, Record(MitigationState.Failed), Tokyo, At), StringComparison.Ordinal);
        Assert.Contains("no answer", MitigationCards.Note(TriageTexts.En, Record(MitigationState.Pending) with { PendingUntil = At.AddMinutes(-1).ToUnixTimeMilliseconds() }, Tokyo, At), StringComparison.Ordinal);
    }

    [Fact]
    public void Confirm_NamesFromOutsideAreNeverMarkdown()
    {
        AdaptiveCard card = MitigationCards.Confirm(TriageTexts.En, "[Verify here](https://example.invalid)", "**prod** (" + Subscription + ")", Subscription, "Contoso", Data(MitigationStep.Confirm), Data(MitigationStep.Back));

        Container warning = Assert.IsType<Container>(card.Body[0]);
        Assert.DoesNotContain(warning.Items.OfType<TextBlock>(), t => t.Text.Contains("Verify here", StringComparison.Ordinal) || t.Text.Contains("**prod**", StringComparison.Ordinal));
        Assert.Equal(2, warning.Items.OfType<RichTextBlock>().Count(r => r.Inlines.Any(i => i.Text.Contains("[Verify here]", StringComparison.Ordinal) || i.Text.Contains("**prod**", StringComparison.Ordinal))));
    }

    [Fact]
    public void Confirm_RequiresTheTypedIdAndBackSendsNoInputs()
    {
        AdaptiveCard card = MitigationCards.Confirm(TriageTexts.En, "Unusual VM deployment", "Contoso production (" + Subscription + ")", Subscription, "Contoso Ltd", Data(MitigationStep.Confirm), Data(MitigationStep.Back));

        string json = JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement input = document.RootElement.GetProperty("body").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "Input.Text");
        Assert.Equal(MitigationCards.ConfirmInputId, input.GetProperty("id").GetString());
        Assert.True(input.GetProperty("isRequired").GetBoolean());
        Assert.Contains(Subscription, input.GetProperty("label").GetString(), StringComparison.Ordinal);
        JsonElement[] actions = [.. document.RootElement.GetProperty("actions").EnumerateArray()];
        Assert.Equal(("Action.Execute", "alert.mitigate", "auto", "destructive"), (actions[0].GetProperty("type").GetString(), actions[0].GetProperty("verb").GetString(), actions[0].GetProperty("associatedInputs").GetString(), actions[0].GetProperty("style").GetString()));
        Assert.Equal("Confirm", actions[0].GetProperty("data").GetProperty("step").GetString());
        Assert.Equal("none", actions[1].GetProperty("associatedInputs").GetString());
        Assert.Equal("none", actions[1].GetProperty("fallback").GetProperty("associatedInputs").GetString());
        Assert.Equal("alert.mitigate", actions[1].GetProperty("fallback").GetProperty("data").GetProperty("verb").GetString());
    }

    /// <summary>The mitigation cards for the validation catalog.</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (TriageTexts texts in TriageTexts.All)
        {
            string subscription = "Contoso production (" + Subscription + ")";
            cards[$"{nameof(MitigationCards)}.{nameof(MitigationCards.Confirm)}.{texts.Language}"] = MitigationCards.Confirm(
                texts, "Action Required: Unusual VM deployment detected", subscription, Subscription, "Contoso Ltd", Data(MitigationStep.Confirm), Data(MitigationStep.Back));
            cards[$"{nameof(MitigationCards)}.{nameof(MitigationCards.Confirm)}.mismatch.{texts.Language}"] = MitigationCards.Confirm(
                texts, "Action Required: Unusual VM deployment detected", subscription, Subscription, "Contoso Ltd", Data(MitigationStep.Confirm), Data(MitigationStep.Back), texts.MitigateMismatch);
            foreach (MitigationRecord? record in new[] { null, Record(MitigationState.Accepted), Record(MitigationState.Failed, "HTTP 403 (900108)") })
            {
                AlertCardContext context = AlertCardContext.None with
                {
                    AzurePlanSubscriptionId = Plan,
                    Triage = new CardNote(texts.TriageLabel, TriageCards.Note(texts, FraudApplied, Tokyo)!),
                    Mitigation = MitigationCards.Note(texts, record, Tokyo, At) is { } note ? new CardNote(texts.MitigationLabel, note) : null,
                };
                List<CardAction> actions = [.. TriageCards.Actions(texts, false, false, FraudApplied, (v, c) => new TriageActionData { AlertId = "a-1", Verdict = v, Version = 2, Confirmed = c, Signature = "sig" })];
                if (MitigationCards.Offered(FraudApplied, false, Plan, Subscription, record, At))
                {
                    actions.Add(MitigationCards.Button(texts, Data(MitigationStep.Ask), retry: record is not null));
                }

                cards[$"Alert.with-mitigation.{record?.State.ToString() ?? "offered"}.{texts.Language}"] = AlertCards.Alert(
                    Core.Localization.AlertTexts.For(texts.Language),
                    new PartnerSecurityAlert
                    {
                        Id = "a-1",
                        DisplayName = "Action Required: Unusual VM deployment detected",
                        Status = AlertStatus.Resolved,
                        ResolvedReason = AlertResolvedReason.Fraud,
                        SubscriptionId = Subscription,
                    },
                    context,
                    At,
                    Tokyo,
                    3,
                    actions,
                    null);
            }
        }
    }
}
