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

    public required string MitigationLabel { get; init; }

    /// <summary>The button on a fraud card: cancel the affected Azure subscription.</summary>
    public required string MitigateButton { get; init; }

    /// <summary>{0}: the failed step to retry.</summary>
    public required string MitigateRetryButton { get; init; }

    public required string MitigateTitle { get; init; }

    /// <summary>{0}: the Azure subscription (name and id); {1}: the customer.</summary>
    public required string MitigateBody { get; init; }

    /// <summary>{0}: the Azure subscription id to type.</summary>
    public required string MitigateInputLabel { get; init; }

    public required string MitigateConfirm { get; init; }

    public required string MitigateBack { get; init; }

    public required string MitigateMismatch { get; init; }

    public required string MitigateNotAllowed { get; init; }

    /// <summary>The alert is not a recorded fraud verdict, or its Azure plan is unknown.</summary>
    public required string MitigateNotAvailable { get; init; }

    /// <summary>{0}: the Azure subscription id; {1}: who.</summary>
    public required string MitigationPending { get; init; }

    /// <summary>{0}: the Azure subscription id; {1}: who; {2}: when.</summary>
    public required string MitigationAccepted { get; init; }

    /// <summary>{0}: the Azure subscription id; {1}: who; {2}: Partner Center's reason.</summary>
    public required string MitigationFailed { get; init; }

    /// <summary>{0}: who; {1}: the Azure subscription id; {2}: when.</summary>
    public required string ThreadMitigation { get; init; }

    /// <summary>Why a cancellation failed when Partner Center never answered (timeout, instance stopped).</summary>
    public required string MitigationNoAnswer { get; init; }

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
        MitigationLabel = "Mitigation",
        MitigateButton = "Cancel the Azure subscription…",
        MitigateRetryButton = "Retry: cancel the Azure subscription…",
        MitigateTitle = "Cancel the compromised Azure subscription?",
        MitigateBody = "Partner Center cancels the Azure subscription {0} of {1} with the reason \"compromise\". Its resources stop and are deleted after Microsoft's retention period; this cannot be undone from the bot.",
        MitigateInputLabel = "To confirm, type the subscription id {0}",
        MitigateConfirm = "Cancel the subscription",
        MitigateBack = "Back",
        MitigateMismatch = "The id you typed does not match this alert's subscription, so nothing was cancelled.",
        MitigateNotAllowed = "Only the mitigation group may cancel subscriptions. Ask your admin if you need this right.",
        MitigateNotAvailable = "This alert's subscription cannot be cancelled from the bot: it needs a recorded fraud verdict and an Azure subscription found under the customer's Azure plan.",
        MitigationPending = "Cancelling Azure subscription {0} ({1})…",
        MitigationAccepted = "Azure subscription {0} cancellation accepted by Partner Center — {1}, {2}",
        MitigationFailed = "Partner Center did not cancel Azure subscription {0} ({1}): {2}",
        ThreadMitigation = "{0} had Partner Center cancel Azure subscription {1} as compromised ({2}).",
        MitigationNoAnswer = "no answer — check the subscription in Partner Center before retrying",
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
        MitigationLabel = "緩和策",
        MitigateButton = "Azure サブスクリプションを取り消す…",
        MitigateRetryButton = "再試行: Azure サブスクリプションを取り消す…",
        MitigateTitle = "侵害された Azure サブスクリプションを取り消しますか?",
        MitigateBody = "Partner Center が {1} の Azure サブスクリプション {0} を理由「compromise」(侵害) で取り消します。リソースは停止し、Microsoft の保持期間の後に削除されます。ボットから元に戻すことはできません。",
        MitigateInputLabel = "確認のため、サブスクリプション ID {0} を入力してください",
        MitigateConfirm = "サブスクリプションを取り消す",
        MitigateBack = "戻る",
        MitigateMismatch = "入力された ID がこのアラートのサブスクリプションと一致しないため、何も取り消していません。",
        MitigateNotAllowed = "サブスクリプションを取り消せるのは緩和策グループのメンバーだけです。必要な場合は管理者に依頼してください。",
        MitigateNotAvailable = "このアラートのサブスクリプションはボットから取り消せません。不正の判定が記録され、顧客の Azure プランの下に Azure サブスクリプションが見つかっている必要があります。",
        MitigationPending = "Azure サブスクリプション {0} を取り消し中 ({1})…",
        MitigationAccepted = "Azure サブスクリプション {0} の取り消しを Partner Center が受け付けました — {1}、{2}",
        MitigationFailed = "Partner Center は Azure サブスクリプション {0} を取り消しませんでした ({1}): {2}",
        ThreadMitigation = "{0} が Partner Center で Azure サブスクリプション {1} を侵害として取り消しました ({2})。",
        MitigationNoAnswer = "応答がありません — 再試行の前に Partner Center でサブスクリプションを確認してください",
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
