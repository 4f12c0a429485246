using System.Globalization;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Texts of the storm card's live overview and its per-subscription bulk buttons, per language (the
/// same complete-catalog rule as <see cref="BotTexts"/>: a missing text does not compile).
/// </summary>
public sealed record StormOverviewTexts
{
    public required string Language { get; init; }

    public required string Heading { get; init; }

    /// <summary>{0}: alerts counted; {1}: open; {2}: of these, investigating; {3}: decided.</summary>
    public required string Totals { get; init; }

    /// <summary>{0}: since when decided alerts are counted (local time).</summary>
    public required string Scope { get; init; }

    public required string Oldest { get; init; }

    public required string Newest { get; init; }

    public required string BySeverity { get; init; }

    public required string ByType { get; init; }

    public required string BySubscription { get; init; }

    /// <summary>{0}: alerts; {1}: of these, open.</summary>
    public required string Row { get; init; }

    /// <summary>{0}: rows not shown; {1}: alerts in them.</summary>
    public required string More { get; init; }

    public required string NoSubscription { get; init; }

    public required string UnknownType { get; init; }

    /// <summary>{0}: when the overview was counted (local time).</summary>
    public required string AsOf { get; init; }

    public required string SubscriptionBulkHeading { get; init; }

    /// <summary>{0}: the subscription; {1}: its open alerts.</summary>
    public required string SubscriptionButton { get; init; }

    /// <summary>{0}: verdict.</summary>
    public required string SubscriptionOpenAs { get; init; }

    /// <summary>{0}: subscriptions with open alerts not offered here.</summary>
    public required string MoreSubscriptions { get; init; }

    public static StormOverviewTexts En { get; } = new()
    {
        Language = "en",
        Heading = "Overview",
        Totals = "{0} alerts: {1} open ({2} investigating), {3} decided",
        Scope = "Counted: every open alert of this customer, and its alerts detected since {0} whatever their status.",
        Oldest = "Oldest detected",
        Newest = "Newest detected",
        BySeverity = "By severity",
        ByType = "By type",
        BySubscription = "By subscription",
        Row = "{0} ({1} open)",
        More = "and {0} more ({1} alerts)",
        NoSubscription = "(no subscription)",
        UnknownType = "(unknown type)",
        AsOf = "Updated {0:yyyy-MM-dd HH:mm:ss}",
        SubscriptionBulkHeading = "Bulk for one subscription",
        SubscriptionButton = "{0} ({1} open)",
        SubscriptionOpenAs = "Subscription's open: {0}",
        MoreSubscriptions = "{0} more subscriptions with open alerts: use the buttons for all open alerts, or ask subscription <id>.",
    };

    public static StormOverviewTexts Ja { get; } = new()
    {
        Language = "ja",
        Heading = "概要",
        Totals = "アラート {0} 件: 未対応 {1} 件 (うち調査中 {2} 件)、判定済み {3} 件",
        Scope = "集計対象: この顧客の未対応アラートすべてと、{0} 以降に検出されたアラート (状態を問わず)。",
        Oldest = "最も古い検出",
        Newest = "最も新しい検出",
        BySeverity = "重大度別",
        ByType = "種類別",
        BySubscription = "サブスクリプション別",
        Row = "{0} 件 (未対応 {1} 件)",
        More = "ほか {0} 行 ({1} 件)",
        NoSubscription = "(サブスクリプションなし)",
        UnknownType = "(種類不明)",
        AsOf = "{0:yyyy-MM-dd HH:mm:ss} 時点",
        SubscriptionBulkHeading = "サブスクリプション単位の一括判定",
        SubscriptionButton = "{0} (未対応 {1} 件)",
        SubscriptionOpenAs = "このサブスクリプションの未対応: {0}",
        MoreSubscriptions = "未対応アラートのあるサブスクリプションがほかに {0} 件あります。すべての未対応アラートのボタンを使うか、サブスクリプション <id> で確認してください。",
    };

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static StormOverviewTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);
}
