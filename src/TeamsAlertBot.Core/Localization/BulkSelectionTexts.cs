using System.Globalization;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// The texts of bulk actions that do not come from a storm card: from an <c>alerts …</c> list, from
/// the backfill card and from the daily summary (what they select, and the buttons that start them).
/// </summary>
public sealed record BulkSelectionTexts
{
    public required string Language { get; init; }

    /// <summary>The confirmation. {0}: count; {1}: the selection; {2}: verdict.</summary>
    public required string ConfirmBody { get; init; }

    /// <summary>{0}: the list's filter as the <c>alerts</c> command takes it.</summary>
    public required string ScopeList { get; init; }

    /// <summary>{0}: days.</summary>
    public required string ScopeOlderThan { get; init; }

    /// <summary>{0}: count.</summary>
    public required string ScopeIds { get; init; }

    /// <summary>The heading of a run's progress card. {0}: the selection.</summary>
    public required string RunHeading { get; init; }

    /// <summary>A list card's bulk button. {0}: count; {1}: verdict.</summary>
    public required string AllMatchingAs { get; init; }

    /// <summary>The line above a list card's bulk buttons. {0}: count; {1}: alerts per page.</summary>
    public required string AllMatchingNote { get; init; }

    /// <summary>The backfill and summary cards' bulk section heading.</summary>
    public required string OlderHeading { get; init; }

    /// <summary>The label of the age choice.</summary>
    public required string OlderChoiceLabel { get; init; }

    /// <summary>One age choice. {0}: days.</summary>
    public required string OlderChoice { get; init; }

    /// <summary>A bulk button on the backfill or summary card. {0}: verdict.</summary>
    public required string OlderAs { get; init; }

    /// <summary>The age chosen on the card is not one the card offers.</summary>
    public required string BadAge { get; init; }

    /// <summary>Graph could not list the alerts when the bulk action was proposed.</summary>
    public required string GraphUnavailable { get; init; }

    /// <summary>The answer to Cancel on a confirmation that did not come from a storm card.</summary>
    public required string Cancelled { get; init; }

    /// <summary>Someone other than the proposer confirms. {0}: the proposer.</summary>
    public required string NotProposer { get; init; }

    public static BulkSelectionTexts En { get; } = new()
    {
        Language = "en",
        ConfirmBody = "Mark {0} open alerts ({1}) as {2}? Alerts someone decides one by one meanwhile are left as they decide.",
        ScopeList = "every open alert that matches `alerts {0}`",
        ScopeOlderThan = "every open alert detected more than {0} days ago",
        ScopeIds = "{0} chosen alerts",
        RunHeading = "Bulk triage: {0}",
        AllMatchingAs = "All {0} matching: {1}",
        AllMatchingNote = "The buttons below act on all {0} matching open alerts, not only the {1} on this page; you confirm the count first.",
        OlderHeading = "Decide old alerts at once",
        OlderChoiceLabel = "Open alerts detected more than",
        OlderChoice = "{0} days ago",
        OlderAs = "All of them: {0}",
        BadAge = "Choose how old the alerts must be, then click again.",
        GraphUnavailable = "Microsoft Graph could not list the alerts just now, so nothing was changed. Try again in a minute.",
        Cancelled = "Cancelled; nothing was changed. Run the command again to see the alerts.",
        NotProposer = "Only {0}, who asked for this bulk action, can confirm it.",
    };

    public static BulkSelectionTexts Ja { get; } = new()
    {
        Language = "ja",
        ConfirmBody = "未対応アラート {0} 件 ({1}) を「{2}」にしますか? この間に個別に判定されたアラートは、その判定のままにします。",
        ScopeList = "`alerts {0}` に一致するすべての未対応アラート",
        ScopeOlderThan = "{0} 日以上前に検出されたすべての未対応アラート",
        ScopeIds = "選択した {0} 件のアラート",
        RunHeading = "一括トリアージ: {0}",
        AllMatchingAs = "一致する {0} 件すべて: {1}",
        AllMatchingNote = "下のボタンは、このページの {1} 件だけでなく、一致する未対応アラート {0} 件すべてに適用されます。先に件数を確認します。",
        OlderHeading = "古いアラートをまとめて判定",
        OlderChoiceLabel = "次より前に検出された未対応アラート",
        OlderChoice = "{0} 日以上前",
        OlderAs = "すべて: {0}",
        BadAge = "アラートの経過日数を選んでから、もう一度クリックしてください。",
        GraphUnavailable = "Microsoft Graph からアラートを一覧取得できなかったため、何も変更していません。1 分ほどしてから再度お試しください。",
        Cancelled = "キャンセルしました。何も変更していません。アラートを表示するには、コマンドをもう一度実行してください。",
        NotProposer = "この一括操作を確定できるのは、依頼した {0} さんだけです。",
    };

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static BulkSelectionTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);
}
