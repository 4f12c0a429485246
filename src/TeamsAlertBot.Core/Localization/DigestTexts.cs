using System.Globalization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Texts of the daily summary card, the <c>summary</c> command and the SLA reminders, per language
/// (the same complete-catalog rule as <see cref="BotTexts"/>: a missing text does not compile).
/// </summary>
public sealed record DigestTexts
{
    public required string Language { get; init; }

    public required string Title { get; init; }

    /// <summary>{0}: local time of the report; {1}: the time zone id.</summary>
    public required string AsOf { get; init; }

    /// <summary>{0}: open alerts; {1}: of these, without a verdict; {2}: the look-back in days.</summary>
    public required string OpenIntro { get; init; }

    /// <summary>{0}: the look-back in days.</summary>
    public required string NoOpen { get; init; }

    public required string ByTypeHeading { get; init; }

    /// <summary>{0}: alerts; {1}: customers; {2}: subscriptions.</summary>
    public required string TypeCounts { get; init; }

    /// <summary>{0}: how many are listed.</summary>
    public required string OldestHeading { get; init; }

    public required string NoUntriaged { get; init; }

    /// <summary>{0}: how long the alert has waited.</summary>
    public required string Waiting { get; init; }

    /// <summary>{0}: yesterday's local date.</summary>
    public required string VerdictsHeading { get; init; }

    public required string NoVerdicts { get; init; }

    /// <summary>{0}: who decided.</summary>
    public required string DecidedBy { get; init; }

    /// <summary>{0}: how many more verdicts are not listed.</summary>
    public required string MoreVerdicts { get; init; }

    public required string VerdictLegitimate { get; init; }

    public required string VerdictFraud { get; init; }

    public required string VerdictIgnore { get; init; }

    public required string VerdictUnknown { get; init; }

    public required string UnknownCustomer { get; init; }

    public required string UnknownType { get; init; }

    /// <summary>The reply to <c>summary</c> when alerts are not polled on this deployment.</summary>
    public required string SummaryUnavailable { get; init; }

    /// <summary>The reply to <c>summary</c> when Microsoft Graph could not be read.</summary>
    public required string SummaryFailed { get; init; }

    /// <summary>{0}: mentions (may be empty); {1}: how long the alert has waited; {2}: the alert title.</summary>
    public required string SlaReminder { get; init; }

    /// <summary>{0}: mentions (may be empty); {1}: how long the alert has waited; {2}: the alert title; {3}: the response target (<c>Sla:EscalateAfter</c>).</summary>
    public required string SlaEscalation { get; init; }

    /// <summary>{0}: minutes.</summary>
    public required string DurationMinutes { get; init; }

    /// <summary>{0}: hours.</summary>
    public required string DurationHours { get; init; }

    /// <summary>{0}: days; {1}: hours.</summary>
    public required string DurationDays { get; init; }

    public static DigestTexts En { get; } = new()
    {
        Language = "en",
        Title = "Daily partner security alert summary",
        AsOf = "As of {0:yyyy-MM-dd HH:mm} ({1})",
        OpenIntro = "{0} open alerts detected in the last {2} days; {1} of them have no verdict yet.",
        NoOpen = "No open alerts were detected in the last {0} days.",
        ByTypeHeading = "Open alerts by type",
        TypeCounts = "{0} alerts · {1} customers · {2} subscriptions",
        OldestHeading = "Oldest alerts without a verdict (top {0})",
        NoUntriaged = "Every open alert has a verdict.",
        Waiting = "waiting {0}",
        VerdictsHeading = "Verdicts yesterday ({0:yyyy-MM-dd})",
        NoVerdicts = "No alerts were resolved yesterday.",
        DecidedBy = "by {0}",
        MoreVerdicts = "… and {0} more",
        VerdictLegitimate = "Legitimate",
        VerdictFraud = "Fraud",
        VerdictIgnore = "Ignored",
        VerdictUnknown = "Resolved",
        UnknownCustomer = "Unknown customer",
        UnknownType = "Unknown alert type",
        SummaryUnavailable = "The summary needs the alert pipeline, which is not running on this deployment (see the bot's start-up log).",
        SummaryFailed = "The summary could not be built: Microsoft Graph did not answer. Please try again in a few minutes.",
        SlaReminder = "{0} Reminder: this alert (**{2}**) has had no verdict for {1}. Please triage it with the buttons on the card.",
        SlaEscalation = "{0} Escalation: this alert (**{2}**) is still without a verdict after {1}; the response target of {3} has passed. Please decide now or hand it over.",
        DurationMinutes = "{0} min",
        DurationHours = "{0} h",
        DurationDays = "{0} d {1} h",
    };

    public static DigestTexts Ja { get; } = new()
    {
        Language = "ja",
        Title = "パートナー セキュリティ アラートの日次サマリー",
        AsOf = "{0:yyyy-MM-dd HH:mm} 時点 ({1})",
        OpenIntro = "過去 {2} 日間に検出された未解決のアラートは {0} 件で、そのうち {1} 件はまだ判定されていません。",
        NoOpen = "過去 {0} 日間に検出された未解決のアラートはありません。",
        ByTypeHeading = "種類別の未解決アラート",
        TypeCounts = "アラート {0} 件 · 顧客 {1} 社 · サブスクリプション {2} 件",
        OldestHeading = "判定待ちの古いアラート (上位 {0} 件)",
        NoUntriaged = "未解決のアラートはすべて判定済みです。",
        Waiting = "{0} 経過",
        VerdictsHeading = "昨日の判定 ({0:yyyy-MM-dd})",
        NoVerdicts = "昨日解決されたアラートはありません。",
        DecidedBy = "判定者: {0}",
        MoreVerdicts = "… ほか {0} 件",
        VerdictLegitimate = "正当",
        VerdictFraud = "不正",
        VerdictIgnore = "無視",
        VerdictUnknown = "解決済み",
        UnknownCustomer = "不明な顧客",
        UnknownType = "不明なアラートの種類",
        SummaryUnavailable = "サマリーにはアラート パイプラインが必要ですが、この環境では動作していません (ボットの起動ログを確認してください)。",
        SummaryFailed = "Microsoft Graph から応答がなかったため、サマリーを作成できませんでした。数分後にもう一度お試しください。",
        SlaReminder = "{0} リマインダー: このアラート (**{2}**) は {1} のあいだ判定されていません。カードのボタンで判定してください。",
        SlaEscalation = "{0} エスカレーション: このアラート (**{2}**) は {1} が経過しても判定されておらず、{3}の対応目標を過ぎました。今すぐ判定するか、担当を引き継いでください。",
        DurationMinutes = "{0} 分",
        DurationHours = "{0} 時間",
        DurationDays = "{0} 日 {1} 時間",
    };

    /// <summary>All catalogs.</summary>
    public static IReadOnlyList<DigestTexts> All { get; } = [En, Ja];

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static DigestTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
            && (language.Length == 2 || language[2] is '-' or '_')
            ? Ja
            : En;

    /// <summary>Formats <paramref name="format"/> with this catalog's culture.</summary>
    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>A waiting time: minutes under an hour, hours under two days, then days and hours.</summary>
    public string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromHours(1))
        {
            return Format(DurationMinutes, Math.Max(0, (int)duration.TotalMinutes));
        }

        return duration < TimeSpan.FromHours(48)
            ? Format(DurationHours, (int)duration.TotalHours)
            : Format(DurationDays, (int)duration.TotalDays, duration.Hours);
    }

    /// <summary>The label of a Graph verdict.</summary>
    public string Verdict(AlertResolvedReason? reason) => reason switch
    {
        AlertResolvedReason.Legitimate => VerdictLegitimate,
        AlertResolvedReason.Fraud => VerdictFraud,
        AlertResolvedReason.Ignore => VerdictIgnore,
        _ => VerdictUnknown,
    };
}
