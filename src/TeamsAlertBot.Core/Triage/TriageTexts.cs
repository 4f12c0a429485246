using System.Globalization;

namespace TeamsAlertBot.Core.Triage;

/// <summary>Every triage string a user reads, per language (complete catalogs, as <see cref="Localization.BotTexts"/>).</summary>
public sealed record TriageTexts
{
    public required string Language { get; init; }

    public required string Legitimate { get; init; }

    public required string Fraud { get; init; }

    public required string Ignore { get; init; }

    public required string Investigating { get; init; }

    public required string Reopen { get; init; }

    /// <summary>{0}: the verdict to retry.</summary>
    public required string Retry { get; init; }

    public required string ConfirmFraud { get; init; }

    public required string Cancel { get; init; }

    public required string ConfirmFraudTitle { get; init; }

    public required string ConfirmFraudBody { get; init; }

    public required string CommentLabel { get; init; }

    public required string CommentPlaceholder { get; init; }

    public required string TriageLabel { get; init; }

    /// <summary>{0}: verdict; {1}: who; {2}: when.</summary>
    public required string Decided { get; init; }

    /// <summary>{0}: who; {1}: when.</summary>
    public required string Claimed { get; init; }

    /// <summary>{0}: verdict; {1}: who.</summary>
    public required string Updating { get; init; }

    /// <summary>{0}: verdict; {1}: who.</summary>
    public required string Failed { get; init; }

    /// <summary>{0}: the comment.</summary>
    public required string Comment { get; init; }

    /// <summary>{0}: who; {1}: verdict; {2}: when.</summary>
    public required string ThreadRecord { get; init; }

    public required string NotAllowed { get; init; }

    public required string NotConfigured { get; init; }

    public required string VerificationFailed { get; init; }

    public required string Tampered { get; init; }

    public required string Gone { get; init; }

    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>The name of a verdict in this language.</summary>
    public string Verdict(TriageVerdict verdict) => verdict switch
    {
        TriageVerdict.Legitimate => Legitimate,
        TriageVerdict.Fraud => Fraud,
        TriageVerdict.Ignore => Ignore,
        TriageVerdict.Investigating => Investigating,
        TriageVerdict.Reopen => Reopen,
        _ => verdict.ToString(),
    };

    public static TriageTexts En { get; } = new()
    {
        Language = "en",
        Legitimate = "Legitimate",
        Fraud = "Fraud",
        Ignore = "Ignore",
        Investigating = "Investigating",
        Reopen = "Reopen",
        Retry = "Retry: {0}",
        ConfirmFraud = "Yes, mark as fraud",
        Cancel = "Cancel",
        ConfirmFraudTitle = "Mark this alert as fraud?",
        ConfirmFraudBody = "Microsoft is told that this activity is fraud. Confirm only after you checked the subscription's activity with the customer.",
        CommentLabel = "Comment (optional)",
        CommentPlaceholder = "What did you find?",
        TriageLabel = "Triage",
        Decided = "{0} — {1}, {2}",
        Claimed = "Investigating — {0}, {1}",
        Updating = "Updating to {0} ({1})…",
        Failed = "Could not record {0} ({1}) in Microsoft's system. Try again.",
        Comment = "“{0}”",
        ThreadRecord = "{0} marked this alert as **{1}** ({2}).",
        NotAllowed = "You are not allowed to triage partner security alerts. Ask your admin to add you to the triage group.",
        NotConfigured = "Nobody may triage yet: the bot's admin has not configured who may (triage group or allow-list).",
        VerificationFailed = "I could not verify your permissions right now. Please try again in a minute.",
        Tampered = "This button could not be verified, so nothing was changed.",
        Gone = "This alert no longer exists in Microsoft's system.",
    };

    public static TriageTexts Ja { get; } = new()
    {
        Language = "ja",
        Legitimate = "正当",
        Fraud = "不正",
        Ignore = "無視",
        Investigating = "調査中",
        Reopen = "再オープン",
        Retry = "再試行: {0}",
        ConfirmFraud = "はい、不正としてマーク",
        Cancel = "キャンセル",
        ConfirmFraudTitle = "このアラートを不正としてマークしますか?",
        ConfirmFraudBody = "このアクティビティが不正であると Microsoft に報告されます。顧客とサブスクリプションのアクティビティを確認してから確定してください。",
        CommentLabel = "コメント (任意)",
        CommentPlaceholder = "確認した内容",
        TriageLabel = "トリアージ",
        Decided = "{0} — {1}、{2}",
        Claimed = "調査中 — {0}、{1}",
        Updating = "{0} に更新中 ({1})…",
        Failed = "{0} ({1}) を Microsoft のシステムに記録できませんでした。もう一度お試しください。",
        Comment = "「{0}」",
        ThreadRecord = "{0} がこのアラートを **{1}** としてマークしました ({2})。",
        NotAllowed = "パートナー セキュリティ アラートをトリアージする権限がありません。管理者にトリアージ グループへの追加を依頼してください。",
        NotConfigured = "トリアージできるユーザーがまだ設定されていません (トリアージ グループまたは許可リスト)。ボットの管理者に連絡してください。",
        VerificationFailed = "現在、権限を確認できません。1 分ほどしてからもう一度お試しください。",
        Tampered = "このボタンを検証できなかったため、何も変更していません。",
        Gone = "このアラートは Microsoft のシステムに存在しません。",
    };

    public static TriageTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public static IReadOnlyList<TriageTexts> All { get; } = [En, Ja];
}

/// <summary>What an analyst decides on an alert's card.</summary>
public enum TriageVerdict
{
    Legitimate,
    Fraud,
    Ignore,
    Investigating,
    Reopen,
}
