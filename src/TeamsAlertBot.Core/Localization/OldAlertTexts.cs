using System.Globalization;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Old alerts kept in view: the daily summary's line for open alerts older than its window, and the
/// one grouped reminder for alerts that passed the response target while no card for them existed.
/// </summary>
public sealed record OldAlertTexts
{
    public required string Language { get; init; }

    /// <summary>The summary's section heading.</summary>
    public required string OlderHeading { get; init; }

    /// <summary>{0}: count; {1}: the summary's window in days.</summary>
    public required string OlderOpen { get; init; }

    /// <summary>The button that lists them.</summary>
    public required string ListThem { get; init; }

    /// <summary>
    /// The grouped reminder. {0}: mentions; {1}: count; {2}: the response target; {3}: the command that lists them.
    /// </summary>
    public required string GroupedReminder { get; init; }

    /// <summary>The line after the first alerts when there are more. {0}: how many more.</summary>
    public required string AndMore { get; init; }

    public static OldAlertTexts En { get; } = new()
    {
        Language = "en",
        OlderHeading = "Older open alerts",
        OlderOpen = "{0} open alerts were detected more than {1} days ago; the counts above leave them out. Partner Center still expects a verdict for each.",
        ListThem = "List them",
        GroupedReminder = "{0} Reminder: {1} open alerts have waited more than {2} without a verdict, and had no card here when they passed it (detected before the bot was added here, or missed). This is one reminder for all of them. Type `{3}` to list them, or use the bulk buttons of the backfill card or the daily summary.",
        AndMore = "… and {0} more",
    };

    public static OldAlertTexts Ja { get; } = new()
    {
        Language = "ja",
        OlderHeading = "古い未対応アラート",
        OlderOpen = "{1} 日以上前に検出された未対応アラートが {0} 件あります。上の件数には含まれていません。Partner Center では、これらにも判定が必要です。",
        ListThem = "一覧を表示",
        GroupedReminder = "{0} リマインダー: 未対応アラート {1} 件が判定のないまま {2} を超えました。いずれも、その時点でここにカードがありませんでした (ボットの追加前に検出された、または見落とされた)。まとめて 1 回だけお知らせします。一覧は `{3}` と入力してください。バックフィル カードや日次サマリーの一括ボタンも使えます。",
        AndMore = "… ほか {0} 件",
    };

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static OldAlertTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);
}
