using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Triage;

/// <summary>The step a bulk button asks for.</summary>
public enum BulkStep
{
    /// <summary>Count the alerts the verdict would cover and ask for a confirmation.</summary>
    Propose,

    /// <summary>The confirmation: take the bulk claim and start the run.</summary>
    Confirm,

    /// <summary>Back to the card as it was.</summary>
    Cancel,

    /// <summary>Run the verdict again on the alerts whose update failed.</summary>
    Retry,
}

/// <summary>
/// The data of a bulk triage button (signed: the signature covers <see cref="Subject"/>, the step
/// and the verdict, and the conversation).
/// </summary>
public sealed record BulkActionData
{
    public const string BulkVerb = "alert.bulk";

    /// <summary>The id of the age choice on the backfill and summary cards.</summary>
    public const string AgeInputId = "bulkDays";

    [JsonConverter(typeof(JsonStringEnumConverter<BulkStep>))]
    public required BulkStep Step { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TriageVerdict>))]
    public required TriageVerdict Verdict { get; init; }

    /// <summary>The customer of a storm (propose).</summary>
    public string? Customer { get; init; }

    /// <summary>The customer's name as the storm card shows it (display only; signed with the rest).</summary>
    public string? CustomerName { get; init; }

    /// <summary>Only alerts of this Azure subscription (propose).</summary>
    public string? Subscription { get; init; }

    /// <summary>An <c>alerts …</c> list's filter (propose): every open alert it matches; see <see cref="BulkSelection.Filter"/>.</summary>
    public string? Filter { get; init; }

    /// <summary>
    /// Open alerts detected more than this many days ago (propose); 0 = the age chosen on the card
    /// (<see cref="ChosenDays"/>).
    /// </summary>
    public int? Days { get; init; }

    /// <summary>
    /// The age chosen on the card (an input, so not signed): used only when the signed
    /// <see cref="Days"/> is 0, and only when it is one of <see cref="BulkCards.AgeChoices"/>.
    /// </summary>
    [JsonPropertyName(AgeInputId)]
    public string? ChosenDays { get; init; }

    /// <summary>The proposal (confirm, cancel) or the run (retry).</summary>
    public string? Reference { get; init; }

    public required string Signature { get; init; }

    /// <summary>Set only in the Action.Submit fallback, which has no verb of its own.</summary>
    public string? Verb { get; init; }

    /// <summary>What the signature binds besides the step and verdict: the scope or the proposal.</summary>
    [JsonIgnore]
    public string Subject => $"bulk|{Customer}|{CustomerName}|{Subscription}|{Reference}"
        + (Filter is null ? string.Empty : $"|list:{Filter}")
        + (Days is { } days ? $"|older:{days.ToString(CultureInfo.InvariantCulture)}" : string.Empty);

    /// <summary>
    /// What a propose button selects: a list's filter, an age (signed, or chosen on the card among
    /// <see cref="BulkCards.AgeChoices"/>), or a storm's customer; null when it names none of them.
    /// </summary>
    public BulkSelection? Selection()
    {
        if (Filter is not null)
        {
            return new BulkSelection { Kind = BulkSelectionKind.AlertList, Filter = Filter };
        }

        if (Days is 0)
        {
            return int.TryParse(ChosenDays, NumberStyles.None, CultureInfo.InvariantCulture, out int picked) && BulkCards.AgeChoices.Contains(picked)
                ? BulkSelection.OlderThan(picked)
                : null;
        }

        if (Days is { } days)
        {
            return BulkSelection.OlderThan(days);
        }

        return Customer is { Length: > 0 } customer ? BulkSelection.Storm(customer, CustomerName, Subscription) : null;
    }

    /// <summary>The signed action string.</summary>
    [JsonIgnore]
    public string Action => $"{BulkVerb}:{Step}:{Verdict}";
}

/// <summary>Serializer metadata of the bulk data.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BulkActionData))]
public sealed partial class BulkJsonContext : JsonSerializerContext;

/// <summary>Where a bulk run stands: counts, and the alerts whose update failed.</summary>
/// <param name="Total">Alerts in the run.</param>
/// <param name="Updated">Recorded in Microsoft Graph.</param>
/// <param name="Skipped">Decided meanwhile by someone else (left alone).</param>
/// <param name="Failed">Graph refused or failed them (alert id and why).</param>
/// <param name="Done">Every alert is through (and its cards edited).</param>
public sealed record BulkProgress(int Total, int Updated, int Skipped, IReadOnlyList<(string AlertId, string Reason)> Failed, bool Done);

/// <summary>Every bulk triage string a user reads, per language.</summary>
public sealed record BulkTexts
{
    public required string Language { get; init; }

    /// <summary>{0}: verdict.</summary>
    public required string AllOpenAs { get; init; }

    public required string BulkHeading { get; init; }

    /// <summary>{0}: count; {1}: the scope; {2}: verdict.</summary>
    public required string ConfirmBody { get; init; }

    /// <summary>{0}: count.</summary>
    public required string Confirm { get; init; }

    public required string Cancel { get; init; }

    /// <summary>{0}: the customer.</summary>
    public required string ScopeCustomer { get; init; }

    /// <summary>{0}: the customer; {1}: the subscription.</summary>
    public required string ScopeSubscription { get; init; }

    public required string NothingOpen { get; init; }

    /// <summary>{0}: who; {1}: verdict; {2}: updated; {3}: total.</summary>
    public required string Busy { get; init; }

    /// <summary>{0}: verdict; {1}: who.</summary>
    public required string RunTitle { get; init; }

    /// <summary>{0}: updated; {1}: total.</summary>
    public required string Progress { get; init; }

    /// <summary>{0}: count.</summary>
    public required string SkippedLine { get; init; }

    /// <summary>{0}: count.</summary>
    public required string FailedLine { get; init; }

    /// <summary>Why one alert failed: {0} = Graph's HTTP status.</summary>
    public required string FailedGraphStatus { get; init; }

    /// <summary>Why one alert failed: Graph gave no answer.</summary>
    public required string FailedGraphUnavailable { get; init; }

    public required string Finished { get; init; }

    /// <summary>{0}: count.</summary>
    public required string RetryFailed { get; init; }

    public required string Expired { get; init; }

    /// <summary>The audit comment of each alert. {0}: verdict; {1}: count; {2}: the run.</summary>
    public required string AuditComment { get; init; }

    public static BulkTexts En { get; } = new()
    {
        Language = "en",
        AllOpenAs = "All open: {0}",
        BulkHeading = "Bulk triage",
        ConfirmBody = "Mark {0} open alerts of {1} as {2}? Alerts someone decides one by one meanwhile are left as they decide.",
        Confirm = "Mark {0} alerts",
        Cancel = "Cancel",
        ScopeCustomer = "{0}",
        ScopeSubscription = "{0}, subscription {1}",
        NothingOpen = "There are no open alerts to mark.",
        Busy = "{0} is running a bulk action ({1}: {2} of {3} updated). Try again when it has finished.",
        RunTitle = "Bulk {0} by {1}",
        Progress = "{0} of {1} updated",
        SkippedLine = "{0} left alone (decided meanwhile)",
        FailedLine = "{0} failed:",
        FailedGraphStatus = "Microsoft Graph answered {0}",
        FailedGraphUnavailable = "Microsoft Graph did not answer",
        Finished = "Finished.",
        RetryFailed = "Retry {0} failed",
        Expired = "This confirmation has expired; start the bulk action again.",
        AuditComment = "Bulk {0} of {1} alerts (run {2})",
    };

    public static BulkTexts Ja { get; } = new()
    {
        Language = "ja",
        AllOpenAs = "未対応をすべて: {0}",
        BulkHeading = "一括トリアージ",
        ConfirmBody = "{1} の未対応アラート {0} 件を「{2}」にしますか? この間に個別に判定されたアラートは、その判定のままにします。",
        Confirm = "{0} 件を判定する",
        Cancel = "キャンセル",
        ScopeCustomer = "{0}",
        ScopeSubscription = "{0} (サブスクリプション {1})",
        NothingOpen = "判定する未対応のアラートはありません。",
        Busy = "{0} さんが一括操作を実行中です ({1}: {3} 件中 {2} 件を更新済み)。完了してから再度お試しください。",
        RunTitle = "{1} さんによる一括「{0}」",
        Progress = "{1} 件中 {0} 件を更新済み",
        SkippedLine = "{0} 件はそのままにしました (この間に判定済み)",
        FailedLine = "{0} 件が失敗しました:",
        FailedGraphStatus = "Microsoft Graph が {0} を返しました",
        FailedGraphUnavailable = "Microsoft Graph から応答がありませんでした",
        Finished = "完了しました。",
        RetryFailed = "失敗した {0} 件を再試行",
        Expired = "この確認は期限切れです。一括操作をもう一度始めてください。",
        AuditComment = "一括「{0}」({1} 件、実行 {2})",
    };

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static BulkTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);
}

/// <summary>The bulk buttons, the confirmation and the progress section.</summary>
public static class BulkCards
{
    /// <summary>The verdicts a bulk action offers.</summary>
    public static IReadOnlyList<TriageVerdict> Verdicts { get; } = [TriageVerdict.Legitimate, TriageVerdict.Fraud, TriageVerdict.Ignore, TriageVerdict.Investigating];

    /// <summary>The most failed alerts a card lists (the rest are counted).</summary>
    public const int MaxListedFailures = 15;

    /// <summary>The ages (days) the backfill and summary cards offer for "every open alert detected more than N days ago".</summary>
    public static IReadOnlyList<int> AgeChoices { get; } = [30, 60, 90, 180];

    /// <summary>"All open: Legitimate / Fraud / Ignore / Investigating".</summary>
    public static IReadOnlyList<CardAction> Buttons(BulkTexts texts, TriageTexts verdicts, Func<TriageVerdict, BulkActionData> sign)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(sign);
        return [.. Verdicts.Select(v => Button(texts.Format(texts.AllOpenAs, verdicts.Verdict(v)), sign(v), v == TriageVerdict.Fraud ? "destructive" : null))];
    }

    /// <summary>The confirmation that states the count (only the clicking user sees it).</summary>
    public static AdaptiveCard Confirm(BulkTexts texts, TriageTexts verdicts, int count, string scope, TriageVerdict verdict, BulkActionData confirm, BulkActionData cancel)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(verdicts);
        return ConfirmCard(texts, count, texts.Format(texts.ConfirmBody, count, MarkdownText.Escape(scope), verdicts.Verdict(verdict)), verdict, confirm, cancel);
    }

    private static AdaptiveCard ConfirmCard(BulkTexts texts, int count, string body, TriageVerdict verdict, BulkActionData confirm, BulkActionData cancel)
    {
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.BulkHeading,
            Body =
            [
                new Container([
                    new TextBlock(texts.BulkHeading) { Size = "large", Weight = "bolder", Style = "heading", Color = verdict == TriageVerdict.Fraud ? "attention" : null },
                    new TextBlock(body),
                ]) { Style = verdict == TriageVerdict.Fraud ? "attention" : "emphasis" },
            ],
            Actions =
            [
                Button(texts.Format(texts.Confirm, count), confirm, verdict == TriageVerdict.Fraud ? "destructive" : "positive"),
                Button(texts.Cancel, cancel, null),
            ],
        };
    }

    /// <summary>
    /// An <c>alerts</c> list's bulk section: a line saying the buttons act on all <paramref name="count"/>
    /// matching open alerts (not only the page), and "All N matching: Legitimate / Fraud / Ignore /
    /// Investigating", each signed with the list's filter.
    /// </summary>
    public static IReadOnlyList<CardElement> ListSection(string language, int count, int pageSize, Func<TriageVerdict, BulkActionData> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        BulkSelectionTexts texts = BulkSelectionTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        return
        [
            new TextBlock(texts.Format(texts.AllMatchingNote, count, pageSize)) { IsSubtle = true, Size = "small", Spacing = "medium", Separator = true },
            new ActionSet([.. Verdicts.Select(v => Button(texts.Format(texts.AllMatchingAs, count, verdicts.Verdict(v)), sign(v), v == TriageVerdict.Fraud ? "destructive" : null))]) { Id = "tab-bulk-list" },
        ];
    }

    /// <summary>
    /// The bulk section of the backfill card and the daily summary: the age to choose (one of
    /// <see cref="AgeChoices"/>, <paramref name="defaultDays"/> preselected) and "All of them: Legitimate /
    /// Fraud / Ignore / Investigating" for every open alert detected more than that many days ago.
    /// </summary>
    public static IReadOnlyList<CardElement> AgeSection(string language, int defaultDays, Func<TriageVerdict, BulkActionData> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        BulkSelectionTexts texts = BulkSelectionTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        return
        [
            new TextBlock(texts.OlderHeading) { Weight = "bolder", Spacing = "medium", Separator = true },
            new InputChoiceSet([.. AgeChoices.Select(d => new Choice(texts.Format(texts.OlderChoice, d), d.ToString(CultureInfo.InvariantCulture)))])
            {
                Id = BulkActionData.AgeInputId,
                Style = "compact",
                Label = texts.OlderChoiceLabel,
                Value = (AgeChoices.Contains(defaultDays) ? defaultDays : AgeChoices[0]).ToString(CultureInfo.InvariantCulture),
                IsRequired = true,
                ErrorMessage = texts.BadAge,
            },
            new ActionSet([.. Verdicts.Select(v => Button(texts.Format(texts.OlderAs, verdicts.Verdict(v)), sign(v), v == TriageVerdict.Fraud ? "destructive" : null))]) { Id = "tab-bulk-age" },
        ];
    }

    /// <summary>"All of them: Legitimate / Fraud / Ignore / Investigating" for a fixed age (the daily summary's older alerts).</summary>
    public static IReadOnlyList<CardAction> AgeButtons(string language, Func<TriageVerdict, BulkActionData> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        BulkSelectionTexts texts = BulkSelectionTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        return [.. Verdicts.Select(v => Button(texts.Format(texts.OlderAs, verdicts.Verdict(v)), sign(v), v == TriageVerdict.Fraud ? "destructive" : null))];
    }

    /// <summary>What a selection covers, in words ("Contoso Ltd", "every open alert detected more than 90 days ago", …).</summary>
    public static string Scope(string language, BulkSelection selection, int count)
    {
        ArgumentNullException.ThrowIfNull(selection);
        BulkTexts texts = BulkTexts.For(language);
        BulkSelectionTexts other = BulkSelectionTexts.For(language);
        return selection.Kind switch
        {
            BulkSelectionKind.Storm when selection.Subscription is null => texts.Format(texts.ScopeCustomer, selection.CustomerName ?? selection.Customer),
            BulkSelectionKind.Storm => texts.Format(texts.ScopeSubscription, selection.CustomerName ?? selection.Customer, selection.Subscription),
            // The filter parsed as the alerts command's arguments: letters, digits, '-', '_' and spaces only.
            BulkSelectionKind.AlertList => other.Format(other.ScopeList, selection.Filter),
            BulkSelectionKind.OlderThan => other.Format(other.ScopeOlderThan, selection.Days),
            _ => other.Format(other.ScopeIds, count),
        };
    }

    /// <summary>The confirmation of a bulk action over any selection: it states the count.</summary>
    public static AdaptiveCard Confirm(string language, int count, BulkSelection selection, TriageVerdict verdict, BulkActionData confirm, BulkActionData cancel)
    {
        ArgumentNullException.ThrowIfNull(selection);
        BulkTexts texts = BulkTexts.For(language);
        TriageTexts verdicts = TriageTexts.For(language);
        string scope = Scope(language, selection, count);
        if (selection.Kind == BulkSelectionKind.Storm)
        {
            return Confirm(texts, verdicts, count, scope, verdict, confirm, cancel);
        }

        BulkSelectionTexts other = BulkSelectionTexts.For(language);
        return ConfirmCard(texts, count, other.Format(other.ConfirmBody, count, scope, verdicts.Verdict(verdict)), verdict, confirm, cancel);
    }

    /// <summary>
    /// The card that shows a run's progress where the run did not start from a storm card (an
    /// <c>alerts</c> list, the backfill card, the daily summary): the selection and the progress.
    /// </summary>
    public static AdaptiveCard RunCard(string language, BulkSelection selection, int count, IReadOnlyList<CardElement> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        BulkSelectionTexts other = BulkSelectionTexts.For(language);
        string heading = other.Format(other.RunHeading, Scope(language, selection, count));
        return new AdaptiveCard
        {
            Lang = other.Language,
            Speak = heading,
            Body = [new TextBlock(heading) { Size = "medium", Weight = "bolder", Style = "heading" }, .. progress],
        };
    }

    /// <summary>A card that only says something (nothing to mark, busy, expired).</summary>
    public static AdaptiveCard Note(BulkTexts texts, string text)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new AdaptiveCard { Lang = texts.Language, Speak = text, Body = [new TextBlock(texts.BulkHeading) { Weight = "bolder" }, new TextBlock(text)] };
    }

    /// <summary>The progress of a run ("37 of 120 updated"), its failures, and their Retry.</summary>
    public static IReadOnlyList<CardElement> Progress(BulkTexts texts, TriageTexts verdicts, TriageVerdict verdict, string actor, BulkProgress progress, BulkActionData? retry)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(progress);
        List<CardElement> items =
        [
            new TextBlock(texts.Format(texts.RunTitle, verdicts.Verdict(verdict), MarkdownText.Escape(actor))) { Weight = "bolder" },
            new TextBlock(texts.Format(texts.Progress, progress.Updated, progress.Total) + (progress.Done ? " " + texts.Finished : string.Empty)) { Id = "tab-bulk-progress" },
        ];
        if (progress.Skipped > 0)
        {
            items.Add(new TextBlock(texts.Format(texts.SkippedLine, progress.Skipped)) { IsSubtle = true });
        }

        if (progress.Failed.Count > 0)
        {
            items.Add(new TextBlock(texts.Format(texts.FailedLine, progress.Failed.Count)) { Color = "attention" });
            items.Add(new FactSet([.. progress.Failed.Take(MaxListedFailures).Select(f => new Fact(
                f.AlertId, f.Reason.Length == 0 ? texts.FailedGraphUnavailable : texts.Format(texts.FailedGraphStatus, f.Reason)))]));
        }

        if (retry is not null && progress.Done && progress.Failed.Count > 0)
        {
            items.Add(new ActionSet([Button(texts.Format(texts.RetryFailed, progress.Failed.Count), retry, "positive")]));
        }

        return [new Container(items) { Style = "emphasis", Id = "tab-bulk" }];
    }

    /// <summary>A bulk button (Universal Action with an Action.Submit fallback) carrying its signed data.</summary>
    public static ExecuteAction Button(string title, BulkActionData data, string? style) => new()
    {
        Title = title,
        Style = style,
        Verb = BulkActionData.BulkVerb,
        Data = JsonSerializer.SerializeToElement(data, BulkJsonContext.Default.BulkActionData),
        Fallback = new SubmitAction
        {
            Title = title,
            Data = JsonSerializer.SerializeToElement(data with { Verb = BulkActionData.BulkVerb }, BulkJsonContext.Default.BulkActionData),
        },
    };
}
