using System.Reflection;
using System.Text.Json;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Triage;

public sealed class TriageCardsTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly DateTimeOffset At = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private static TriageActionData Sign(TriageVerdict verdict, bool confirmed) => new()
    {
        AlertId = "a-1",
        Verdict = verdict,
        Version = 3,
        Confirmed = confirmed,
        Signature = $"sig-{verdict}-{confirmed}",
    };

    private static string[] Titles(IReadOnlyList<CardAction> actions) => [.. actions.Select(a => a.Title!)];

    [Fact]
    public void Actions_OpenAlert_OffersEveryVerdictAndInvestigating()
    {
        IReadOnlyList<CardAction> actions = TriageCards.Actions(TriageTexts.En, alertOpen: true, investigating: false, TriageRecord.Initial, Sign);

        Assert.Equal(["Legitimate", "Fraud", "Ignore", "Investigating"], Titles(actions));
        ExecuteAction fraud = Assert.IsType<ExecuteAction>(actions[1]);
        Assert.Equal(TriageActionData.TriageVerb, fraud.Verb);
        Assert.Equal("auto", fraud.AssociatedInputs);
        TriageActionData data = fraud.Data!.Value.Deserialize(TriageJsonContext.Default.TriageActionData)!;
        Assert.Equal((TriageVerdict.Fraud, false, "sig-Fraud-False"), (data.Verdict, data.Confirmed, data.Signature));
        // Older clients without Action.Execute send the same data, with the verb, as a message.
        SubmitAction fallback = Assert.IsType<SubmitAction>(fraud.Fallback);
        Assert.Equal(TriageActionData.TriageVerb, fallback.Data!.Value.GetProperty("verb").GetString());
    }

    [Fact]
    public void Actions_Claimed_DropsInvestigating() =>
        Assert.Equal(["正当", "不正", "無視"], Titles(TriageCards.Actions(TriageTexts.Ja, true, investigating: true, TriageRecord.Initial, Sign)));

    [Fact]
    public void Actions_Resolved_OffersOnlyReopen() =>
        Assert.Equal(["Reopen"], Titles(TriageCards.Actions(TriageTexts.En, alertOpen: false, false, TriageRecord.Initial, Sign)));

    [Fact]
    public void Actions_Pending_OffersNothing() =>
        Assert.Empty(TriageCards.Actions(TriageTexts.En, true, false, new TriageRecord { State = TriageState.Pending, Verdict = TriageVerdict.Ignore }, Sign));

    [Fact]
    public void Actions_Failed_OffersRetryOfTheSameVerdictConfirmed()
    {
        IReadOnlyList<CardAction> actions = TriageCards.Actions(TriageTexts.En, true, false, new TriageRecord { State = TriageState.Failed, Verdict = TriageVerdict.Fraud }, Sign);

        ExecuteAction retry = Assert.IsType<ExecuteAction>(Assert.Single(actions));
        Assert.Equal("Retry: Fraud", retry.Title);
        Assert.True(retry.Data!.Value.GetProperty("confirmed").GetBoolean());
    }

    [Theory]
    [InlineData(TriageState.Applied, TriageVerdict.Fraud, "Fraud — Aiko, 2026-11-28 15:00 (+09:00) “VMs were not ours”")]
    [InlineData(TriageState.Applied, TriageVerdict.Investigating, "Investigating — Aiko, 2026-11-28 15:00 (+09:00) “VMs were not ours”")]
    [InlineData(TriageState.Pending, TriageVerdict.Ignore, "Updating to Ignore (Aiko)… “VMs were not ours”")]
    [InlineData(TriageState.Failed, TriageVerdict.Legitimate, "Could not record Legitimate (Aiko) in Microsoft's system. Try again. “VMs were not ours”")]
    public void Note_ShowsWhoDidWhatAndWhen(TriageState state, TriageVerdict verdict, string expected)
    {
        var record = new TriageRecord { State = state, Verdict = verdict, ActorName = "Aiko", At = At, Comment = "VMs were not ours", Version = 2 };

        Assert.Equal(expected, TriageCards.Note(TriageTexts.En, record, Tokyo));
    }

    [Fact]
    public void Note_NoDecision_IsNull() => Assert.Null(TriageCards.Note(TriageTexts.En, TriageRecord.Initial, Tokyo));

    [Fact]
    public void Texts_JapaneseCompleteAndPlaceholdersMatch()
    {
        foreach (PropertyInfo property in typeof(TriageTexts).GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name != nameof(TriageTexts.Language)))
        {
            string en = (string)property.GetValue(TriageTexts.En)!;
            string ja = (string)property.GetValue(TriageTexts.Ja)!;
            Assert.False(string.IsNullOrWhiteSpace(ja), property.Name);
            Assert.NotEqual(en, ja);
            Assert.Equal(Placeholders(en), Placeholders(ja));
        }

        foreach (PropertyInfo property in typeof(StormTexts).GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name != nameof(StormTexts.Language)))
        {
            Assert.Equal(Placeholders((string)property.GetValue(StormTexts.En)!), Placeholders((string)property.GetValue(StormTexts.Ja)!));
        }
    }

    private static string[] Placeholders(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+[^}]*\}").Select(m => m.Value[..2]).Order()];

    /// <summary>The triage and storm cards, for the adaptivecards validation catalog.</summary>
    [Fact]
    public void AsSeenAt_APendingClaimPastItsLapse_ShowsAsFailedWithARetry()
    {
        var pending = new TriageRecord { Version = 2, State = TriageState.Pending, Verdict = TriageVerdict.Ignore, ActorName = "Aiko", At = At, PendingUntil = At.AddMinutes(3).ToUnixTimeMilliseconds() };

        Assert.Same(pending, pending.AsSeenAt(At.AddMinutes(2)));
        Assert.Empty(TriageCards.Actions(TriageTexts.En, true, false, pending.AsSeenAt(At.AddMinutes(2)), Sign));
        TriageRecord lapsed = pending.AsSeenAt(At.AddMinutes(4));
        Assert.Equal((TriageState.Failed, 2, TriageVerdict.Ignore), (lapsed.State, lapsed.Version, lapsed.Verdict));
        Assert.Equal(["Retry: Ignore"], Titles(TriageCards.Actions(TriageTexts.En, true, false, lapsed, Sign)));
    }

    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (TriageTexts texts in TriageTexts.All)
        {
            cards[$"{nameof(TriageCards.ConfirmFraud)}.{texts.Language}"] = TriageCards.ConfirmFraud(
                texts, "Action Required: Unusual VM deployment detected", Sign(TriageVerdict.Fraud, true), Sign(TriageVerdict.Fraud, false) with { Cancel = true });
            cards[$"Alert.with-triage.{texts.Language}"] = AlertCards.Alert(
                Core.Localization.AlertTexts.For(texts.Language),
                new Core.Alerts.PartnerSecurityAlert { Id = "a-1", DisplayName = "Action Required: Unusual VM deployment detected", Status = Core.Alerts.AlertStatus.Active },
                AlertCardContext.None with { Triage = new CardNote(texts.TriageLabel, TriageCards.Note(texts, new TriageRecord { State = TriageState.Applied, Verdict = TriageVerdict.Investigating, ActorName = "Aiko", At = At }, Tokyo)!) },
                At,
                Tokyo,
                2,
                TriageCards.Actions(texts, true, true, TriageRecord.Initial, Sign),
                [TriageCards.CommentInput(texts)]) with
            {
                Refresh = TriageCards.Refresh(new RefreshActionData { AlertId = "a-1", Signature = "sig-refresh" }),
            };
        }

        foreach (StormTexts texts in new[] { StormTexts.En, StormTexts.Ja })
        {
            cards[$"{nameof(StormCards)}.{nameof(StormCards.Root)}.{texts.Language}"] = StormCards.Root(texts, "6a1d2c3b-0000-4000-8000-00000000c001", "Contoso Ltd", 5, TimeSpan.FromMinutes(15), At, Tokyo);
        }
    }
}
