using System.Text.Json;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Triage.Bulk;

namespace TeamsAlertBot.Tests.Triage;

/// <summary>The bulk triage cards (storm buttons, confirmation, progress) and how a run's items count.</summary>
public sealed class BulkCardsTests
{
    private const string Customer = "6a1d2c3b-0000-4000-8000-00000000c001";
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Confirm_Count_StatedInBodyAndButton()
    {
        AdaptiveCard card = BulkCards.Confirm(BulkTexts.En, TriageTexts.En, 120, "Contoso Ltd", TriageVerdict.Fraud, Data(BulkStep.Confirm), Data(BulkStep.Cancel));

        string json = JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard);
        Assert.Contains("Mark 120 open alerts of Contoso Ltd as Fraud?", json, StringComparison.Ordinal);
        Assert.Contains("Mark 120 alerts", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_RunningWithFailures_CountsAndNoRetryUntilDone()
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["a1"] = BulkItemState.AppliedEdited,
            ["a2"] = BulkItemState.Applied,
            ["a3"] = BulkItemState.FailedPrefix + BulkItemState.GraphStatusReason(403),
            ["a4"] = BulkItemState.Skipped,
            ["a5"] = BulkItemState.Pending,
        };

        BulkProgress progress = BulkItemState.Progress(items);

        Assert.Equal((5, 2, 1, false), (progress.Total, progress.Updated, progress.Skipped, progress.Done));
        Assert.Equal(("a3", "403"), Assert.Single(progress.Failed));
        string json = Serialize(BulkCards.Progress(BulkTexts.En, TriageTexts.En, TriageVerdict.Fraud, "Aiko", progress, Data(BulkStep.Retry)));
        Assert.Contains("2 of 5 updated", json, StringComparison.Ordinal);
        Assert.Contains("Microsoft Graph answered 403", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Retry 1 failed", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_DoneWithFailures_OffersRetry()
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["a1"] = BulkItemState.AppliedEdited,
            ["a2"] = BulkItemState.FailedEditedPrefix + BulkItemState.GraphUnavailableReason,
        };

        BulkProgress progress = BulkItemState.Progress(items);

        Assert.True(progress.Done);
        string json = Serialize(BulkCards.Progress(BulkTexts.Ja, TriageTexts.Ja, TriageVerdict.Ignore, "Aiko", progress, Data(BulkStep.Retry)));
        Assert.Contains("失敗した 1 件を再試行", System.Text.RegularExpressions.Regex.Unescape(json), StringComparison.Ordinal);
        Assert.Contains("Microsoft Graph から応答がありませんでした", System.Text.RegularExpressions.Regex.Unescape(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_DiffersPerScopeAndProposal()
    {
        BulkActionData all = Data(BulkStep.Propose);

        Assert.NotEqual(all.Subject, (all with { Subscription = "sub-1" }).Subject);
        Assert.NotEqual(all.Subject, (all with { Reference = "run-1" }).Subject);
        Assert.NotEqual(all.Action, (all with { Verdict = TriageVerdict.Legitimate }).Action);
    }

    [Fact]
    public void Confirm_AgeSelection_StatesCountAndSelectionInEnglishAndJapanese()
    {
        string en = JsonSerializer.Serialize(
            BulkCards.Confirm("en", 37, BulkSelection.OlderThan(60), TriageVerdict.Ignore, Data(BulkStep.Confirm), Data(BulkStep.Cancel)), CardJsonContext.Default.AdaptiveCard);
        AdaptiveCard ja = BulkCards.Confirm("ja", 37, BulkSelection.OlderThan(60), TriageVerdict.Ignore, Data(BulkStep.Confirm), Data(BulkStep.Cancel));

        Assert.Contains("Mark 37 open alerts (every open alert detected more than 60 days ago) as Ignore?", en, StringComparison.Ordinal);
        Assert.Contains("Mark 37 alerts", en, StringComparison.Ordinal);
        string body = ((TextBlock)((Container)ja.Body[0]).Items[1]).Text;
        Assert.StartsWith("未対応アラート 37 件 (60 日以上前に検出されたすべての未対応アラート) を「無視」にしますか?", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ListSection_Count_OnEveryButtonAndTheNoteSaysNotOnlyThePage()
    {
        string json = Serialize(BulkCards.ListSection("en", 23, 10, v => Data(BulkStep.Propose) with { Verdict = v, Customer = null, Filter = "open type VM" }));

        Assert.Contains("All 23 matching: Fraud", json, StringComparison.Ordinal);
        Assert.Contains("All 23 matching: Investigating", json, StringComparison.Ordinal);
        Assert.Contains("not only the 10 on this page", json, StringComparison.Ordinal);
        Assert.Contains("\"filter\":\"open type VM\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeSection_OffersTheAgeChoicesWithTheDefaultPreselected()
    {
        string json = Serialize(BulkCards.AgeSection("en", 60, v => Data(BulkStep.Propose) with { Verdict = v, Customer = null, Days = 0 }));

        Assert.Contains("\"id\":\"bulkDays\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"60\"", json, StringComparison.Ordinal);
        Assert.All(BulkCards.AgeChoices, d => Assert.Contains($"{d} days ago", json, StringComparison.Ordinal));
        Assert.Contains("All of them: Legitimate", json, StringComparison.Ordinal);
    }

    /// <summary>Adds the bulk cards (in every language) to the catalog every card check reads.</summary>
    internal static void AddTo(IDictionary<string, AdaptiveCard> cards)
    {
        foreach (BulkTexts texts in new[] { BulkTexts.En, BulkTexts.Ja })
        {
            TriageTexts verdicts = TriageTexts.For(texts.Language);
            string lang = texts.Language;
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.Confirm)}.{lang}"] = BulkCards.Confirm(texts, verdicts, 120, "Contoso Ltd", TriageVerdict.Fraud, Data(BulkStep.Confirm), Data(BulkStep.Cancel));
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.Note)}.{lang}"] = BulkCards.Note(texts, texts.NothingOpen);
            var progress = new BulkProgress(120, 37, 2, [("alert-0001", "403"), ("alert-0002", BulkItemState.GraphUnavailableReason)], Done: true);
            cards[$"{nameof(StormCards)}.root-with-bulk.{lang}"] = StormCards.Root(
                StormTexts.For(lang), Customer, "Contoso Ltd", 5, TimeSpan.FromMinutes(15), At, TimeZoneInfo.Utc,
                BulkCards.Progress(texts, verdicts, TriageVerdict.Fraud, "Aiko", progress, Data(BulkStep.Retry)),
                BulkCards.Buttons(texts, verdicts, v => Data(BulkStep.Propose) with { Verdict = v }));
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.Confirm)}.list.{lang}"] = BulkCards.Confirm(
                lang, 120, new BulkSelection { Kind = BulkSelectionKind.AlertList, Filter = $"open customer {Customer} type VM older than 3d" }, TriageVerdict.Fraud, Data(BulkStep.Confirm), Data(BulkStep.Cancel));
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.RunCard)}.older.{lang}"] = BulkCards.RunCard(
                lang, BulkSelection.OlderThan(90), 120, BulkCards.Progress(texts, verdicts, TriageVerdict.Ignore, "Aiko", progress, Data(BulkStep.Retry)));
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.ListSection)}.{lang}"] = new AdaptiveCard
            {
                Lang = lang,
                Body = [new TextBlock("alerts"), .. BulkCards.ListSection(lang, 120, 10, v => Data(BulkStep.Propose) with { Verdict = v, Customer = null, Filter = "open type VM" })],
            };
            cards[$"{nameof(BulkCards)}.{nameof(BulkCards.AgeSection)}.{lang}"] = new AdaptiveCard
            {
                Lang = lang,
                Body = [new TextBlock("backfill"), .. BulkCards.AgeSection(lang, 60, v => Data(BulkStep.Propose) with { Verdict = v, Customer = null, Days = 0 })],
            };
        }
    }

    private static BulkActionData Data(BulkStep step) =>
        new() { Step = step, Verdict = TriageVerdict.Fraud, Customer = Customer, CustomerName = "Contoso Ltd", Reference = "r1", Signature = "sig" };

    private static string Serialize(IReadOnlyList<CardElement> elements) =>
        JsonSerializer.Serialize(new AdaptiveCard { Body = elements }, CardJsonContext.Default.AdaptiveCard);
}
