using System.Globalization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Every string of the alert cards, in one typed catalog per language, the same way as
/// <see cref="BotTexts"/>: a language is a complete instance, so the compiler refuses a missing text.
/// Texts with <c>{0}</c> are composite formats, filled in with the catalog's culture.
/// </summary>
public sealed record AlertTexts
{
    /// <summary>The language tag of this catalog (en, ja).</summary>
    public required string Language { get; init; }

    /// <summary>Title of an alert that has neither a display name nor a type.</summary>
    public required string FallbackTitle { get; init; }

    public required string TestMarker { get; init; }

    public required string TestMarkerNote { get; init; }

    /// <summary>Put before the summary line of a test alert.</summary>
    public required string TestPrefix { get; init; }

    /// <summary>On a card posted again because the first post's delivery could not be confirmed.</summary>
    public required string PossibleRepeat { get; init; }

    /// <summary>Heads the card that follows a loss of the bot's state: {0} when it was noticed, {1} how many open alerts are listed.</summary>
    public required string RecoveryNotice { get; init; }

    /// <summary>A card could not be delivered and was given up: {0} alert id, {1} conversation, {2} attempts, {3} why.</summary>
    public required string DeadLetterNotice { get; init; }

    public required string SeverityLabel { get; init; }

    public required string ConfidenceLabel { get; init; }

    public required string StatusLabel { get; init; }

    public required string AlertTypeLabel { get; init; }

    public required string CustomerLabel { get; init; }

    public required string ResellerLabel { get; init; }

    public required string SubscriptionLabel { get; init; }

    public required string DetectedLabel { get; init; }

    public required string FirstObservedLabel { get; init; }

    public required string LastObservedLabel { get; init; }

    public required string VerdictLabel { get; init; }

    public required string ResolvedByLabel { get; init; }

    public required string ResolvedOnLabel { get; init; }

    /// <summary>Any value the alert does not give, or gives in a form the bot does not know.</summary>
    public required string Unknown { get; init; }

    /// <summary>The alert names no value-added reseller.</summary>
    public required string NoReseller { get; init; }

    public required string LevelHigh { get; init; }

    public required string LevelMedium { get; init; }

    public required string LevelLow { get; init; }

    public required string LevelInformational { get; init; }

    public required string StatusActive { get; init; }

    public required string StatusInvestigating { get; init; }

    public required string StatusResolved { get; init; }

    public required string VerdictLegitimate { get; init; }

    public required string VerdictFraud { get; init; }

    public required string VerdictIgnore { get; init; }

    /// <summary>{0}: how many resources the alert lists.</summary>
    public required string AffectedResourcesTitle { get; init; }

    public required string NoAffectedResources { get; init; }

    /// <summary>{0}: how many items are not shown.</summary>
    public required string AndMore { get; init; }

    public required string DetailsTitle { get; init; }

    public required string DescriptionTitle { get; init; }

    public required string ChecklistTitle { get; init; }

    public required string ChecklistVerifyActivity { get; init; }

    public required string ChecklistReportFinding { get; init; }

    public required string ChecklistEnforceMfa { get; init; }

    public required string ChecklistReviewRoles { get; init; }

    public required string ChecklistCheckSpend { get; init; }

    public required string LinkSubscription { get; init; }

    public required string LinkActivityLog { get; init; }

    public required string LinkCostAnalysis { get; init; }

    public required string LinkSignInLogs { get; init; }

    public required string LinkPartnerCenter { get; init; }

    /// <summary>{0}: alert id; {1}: card version; {2}: when the card was built.</summary>
    public required string Footer { get; init; }

    public required string AgeJustNow { get; init; }

    /// <summary>{0}: whole minutes.</summary>
    public required string AgeMinutes { get; init; }

    /// <summary>{0}: whole hours.</summary>
    public required string AgeHours { get; init; }

    /// <summary>{0}: whole days.</summary>
    public required string AgeDays { get; init; }

    /// <summary>
    /// {0}: severity; {1}: status; {2}: alert type or title; {3}: customer; {4}: subscription;
    /// {5}: age of the detection.
    /// </summary>
    public required string SummaryLine { get; init; }

    /// <summary>{0}: status; {1}: verdict.</summary>
    public required string StatusWithVerdict { get; init; }

    public required string BackfillTitle { get; init; }

    /// <summary>{0}: number of open alerts.</summary>
    public required string BackfillIntro { get; init; }

    public required string BackfillNone { get; init; }

    public required string BackfillByType { get; init; }

    /// <summary>{0}: how many customers are listed.</summary>
    public required string BackfillByCustomer { get; init; }

    public required string BackfillByAge { get; init; }

    public required string BackfillOtherTypes { get; init; }

    public required string BackfillOtherCustomers { get; init; }

    public required string BackfillOldest { get; init; }

    public required string AgeBucketUnderOneDay { get; init; }

    public required string AgeBucketOneToSevenDays { get; init; }

    public required string AgeBucketSevenToThirtyDays { get; init; }

    public required string AgeBucketOverThirtyDays { get; init; }

    public required string AgeBucketUnknown { get; init; }

    /// <summary>{0}: page number; {1}: page count.</summary>
    public required string BackfillPostPage { get; init; }

    public required string BackfillAllPosted { get; init; }

    /// <summary>Formats <paramref name="format"/> with this catalog's culture.</summary>
    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>The reader's word for a severity; <c>Unknown</c> for values the bot does not know.</summary>
    public string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.High => LevelHigh,
        AlertSeverity.Medium => LevelMedium,
        AlertSeverity.Low => LevelLow,
        AlertSeverity.Informational => LevelInformational,
        _ => Unknown,
    };

    /// <summary>The reader's word for a confidence level.</summary>
    public string Confidence(AlertConfidence confidence) => confidence switch
    {
        AlertConfidence.High => LevelHigh,
        AlertConfidence.Medium => LevelMedium,
        AlertConfidence.Low => LevelLow,
        _ => Unknown,
    };

    /// <summary>The reader's word for a status.</summary>
    public string Status(AlertStatus status) => status switch
    {
        AlertStatus.Active => StatusActive,
        AlertStatus.Investigating => StatusInvestigating,
        AlertStatus.Resolved => StatusResolved,
        _ => Unknown,
    };

    /// <summary>The reader's word for a verdict; <c>Unknown</c> when there is none.</summary>
    public string Verdict(AlertResolvedReason? verdict) => verdict switch
    {
        AlertResolvedReason.Legitimate => VerdictLegitimate,
        AlertResolvedReason.Fraud => VerdictFraud,
        AlertResolvedReason.Ignore => VerdictIgnore,
        _ => Unknown,
    };

    /// <summary>
    /// How long ago <paramref name="at"/> was: "just now" under a minute (or in the future, when
    /// clocks disagree), then whole minutes, hours under a day, and days.
    /// </summary>
    public string Age(DateTimeOffset at, DateTimeOffset now)
    {
        TimeSpan age = now - at;
        if (age < TimeSpan.FromMinutes(1))
        {
            return AgeJustNow;
        }

        if (age < TimeSpan.FromHours(1))
        {
            return Format(AgeMinutes, (int)age.TotalMinutes);
        }

        return age < TimeSpan.FromDays(1)
            ? Format(AgeHours, (int)age.TotalHours)
            : Format(AgeDays, (int)age.TotalDays);
    }

    /// <summary>English.</summary>
    public static AlertTexts En { get; } = new()
    {
        Language = "en",
        FallbackTitle = "Partner security alert",
        TestMarker = "TEST ALERT",
        TestMarkerNote = "Microsoft marked this alert as a test.",
        TestPrefix = "[TEST]",
        RecoveryNotice = "The bot's state store lost its data (noticed {0}). Alert cards posted before then are not posted again, and alerts detected since are posted after a check of this conversation. The {1} open alerts detected earlier are summed up below: post them here if this conversation should have them.",
        DeadLetterNotice = "Alert {0} could not be posted to {1} after {2} attempts ({3}). An admin can list such alerts with `deadletters` and post them again with `deadletters retry`; `alert {0}` shows it now.",
        PossibleRepeat = "This card may be a repeat: Teams did not confirm an earlier post of this alert, and the bot could not check this conversation. If you see the alert twice, act on either card.",
        SeverityLabel = "Severity",
        ConfidenceLabel = "Confidence",
        StatusLabel = "Status",
        AlertTypeLabel = "Alert type",
        CustomerLabel = "Customer",
        ResellerLabel = "Reseller",
        SubscriptionLabel = "Subscription",
        DetectedLabel = "Detected",
        FirstObservedLabel = "First observed",
        LastObservedLabel = "Last observed",
        VerdictLabel = "Verdict",
        ResolvedByLabel = "Resolved by",
        ResolvedOnLabel = "Resolved",
        Unknown = "Unknown",
        NoReseller = "None",
        LevelHigh = "High",
        LevelMedium = "Medium",
        LevelLow = "Low",
        LevelInformational = "Informational",
        StatusActive = "Active",
        StatusInvestigating = "Investigating",
        StatusResolved = "Resolved",
        VerdictLegitimate = "Legitimate",
        VerdictFraud = "Fraud",
        VerdictIgnore = "Ignored",
        AffectedResourcesTitle = "Affected resources ({0})",
        NoAffectedResources = "No resources listed: review the whole subscription.",
        AndMore = "…and {0} more",
        DetailsTitle = "Details",
        DescriptionTitle = "Description",
        ChecklistTitle = "Response checklist",
        ChecklistVerifyActivity = "Verify the subscription's recent activity with the customer: were these deployments and operations expected?",
        ChecklistReportFinding = "Report the finding: tell the customer, and record your verdict (legitimate, fraud or ignore) on the alert.",
        ChecklistEnforceMfa = "Enforce multifactor authentication for every user in the customer's tenant.",
        ChecklistReviewRoles = "Review role assignments (Azure RBAC and Entra roles) and remove any you do not recognise.",
        ChecklistCheckSpend = "Check cost analysis for spend anomalies, and set a budget if the subscription has none.",
        LinkSubscription = "Subscription overview",
        LinkActivityLog = "Activity log",
        LinkCostAnalysis = "Cost analysis",
        LinkSignInLogs = "Sign-in logs",
        LinkPartnerCenter = "Partner Center",
        Footer = "Alert {0} · card version {1} · updated {2}",
        AgeJustNow = "just now",
        AgeMinutes = "{0} min ago",
        AgeHours = "{0} h ago",
        AgeDays = "{0} d ago",
        SummaryLine = "{0} severity · {1} · {2} · customer {3} · subscription {4} · detected {5}",
        StatusWithVerdict = "{0}: {1}",
        BackfillTitle = "Open partner security alerts",
        BackfillIntro = "{0} open alerts are waiting for a verdict.",
        BackfillNone = "There are no open partner security alerts.",
        BackfillByType = "By alert type",
        BackfillByCustomer = "By customer (top {0})",
        BackfillByAge = "By age",
        BackfillOtherTypes = "Other types",
        BackfillOtherCustomers = "Other customers",
        BackfillOldest = "Oldest alert",
        AgeBucketUnderOneDay = "Less than 24 h",
        AgeBucketOneToSevenDays = "1–7 days",
        AgeBucketSevenToThirtyDays = "7–30 days",
        AgeBucketOverThirtyDays = "More than 30 days",
        AgeBucketUnknown = "Detection time unknown",
        BackfillPostPage = "Post these alerts (page {0} of {1})",
        BackfillAllPosted = "All of these alerts have been posted below.",
    };

    /// <summary>Japanese.</summary>
    public static AlertTexts Ja { get; } = new()
    {
        Language = "ja",
        FallbackTitle = "パートナー セキュリティ アラート",
        TestMarker = "テスト アラート",
        TestMarkerNote = "Microsoft がこのアラートをテストとしてマークしています。",
        TestPrefix = "[テスト]",
        RecoveryNotice = "ボットの状態ストアがデータを失いました ({0} に検出)。それ以前に投稿したアラート カードは再投稿しません。その後に検出されたアラートは、この会話を確認してから投稿します。それより前に検出された未対応のアラート {1} 件を下にまとめています。この会話に必要であれば、ここに投稿してください。",
        DeadLetterNotice = "アラート {0} を {1} に {2} 回投稿しようとしましたが、できませんでした ({3})。管理者は `配信失敗` で一覧を表示し、`配信失敗 再試行` で再投稿できます。今すぐ見るには `アラート {0}` を使ってください。",
        PossibleRepeat = "このカードは重複している可能性があります。このアラートの以前の投稿を Teams が確認できず、ボットもこの会話を確認できませんでした。アラートが 2 件表示されている場合は、どちらのカードから対応してもかまいません。",
        SeverityLabel = "重大度",
        ConfidenceLabel = "信頼度",
        StatusLabel = "状態",
        AlertTypeLabel = "アラートの種類",
        CustomerLabel = "顧客",
        ResellerLabel = "リセラー",
        SubscriptionLabel = "サブスクリプション",
        DetectedLabel = "検出日時",
        FirstObservedLabel = "最初の観測",
        LastObservedLabel = "最後の観測",
        VerdictLabel = "判定",
        ResolvedByLabel = "解決したユーザー",
        ResolvedOnLabel = "解決日時",
        Unknown = "不明",
        NoReseller = "なし",
        LevelHigh = "高",
        LevelMedium = "中",
        LevelLow = "低",
        LevelInformational = "情報",
        StatusActive = "アクティブ",
        StatusInvestigating = "調査中",
        StatusResolved = "解決済み",
        VerdictLegitimate = "正当",
        VerdictFraud = "不正",
        VerdictIgnore = "無視",
        AffectedResourcesTitle = "影響を受けるリソース ({0})",
        NoAffectedResources = "リソースの記載はありません。サブスクリプション全体を確認してください。",
        AndMore = "…他 {0} 件",
        DetailsTitle = "詳細",
        DescriptionTitle = "説明",
        ChecklistTitle = "対応チェックリスト",
        ChecklistVerifyActivity = "サブスクリプションの最近のアクティビティを顧客と確認してください。これらのデプロイや操作は想定どおりですか?",
        ChecklistReportFinding = "調査結果を報告してください。顧客に伝え、アラートに判定 (正当、不正、無視) を記録します。",
        ChecklistEnforceMfa = "顧客テナントのすべてのユーザーに多要素認証 (MFA) を強制してください。",
        ChecklistReviewRoles = "ロールの割り当て (Azure RBAC と Entra ロール) を確認し、心当たりのないものを削除してください。",
        ChecklistCheckSpend = "コスト分析で支出の異常を確認し、予算が未設定なら設定してください。",
        LinkSubscription = "サブスクリプションの概要",
        LinkActivityLog = "アクティビティ ログ",
        LinkCostAnalysis = "コスト分析",
        LinkSignInLogs = "サインイン ログ",
        LinkPartnerCenter = "パートナー センター",
        Footer = "アラート {0} · カード バージョン {1} · {2} 更新",
        AgeJustNow = "たった今",
        AgeMinutes = "{0} 分前",
        AgeHours = "{0} 時間前",
        AgeDays = "{0} 日前",
        SummaryLine = "重大度 {0} · {1} · {2} · 顧客 {3} · サブスクリプション {4} · {5}に検出",
        StatusWithVerdict = "{0} ({1})",
        BackfillTitle = "未解決のパートナー セキュリティ アラート",
        BackfillIntro = "判定待ちのアラートが {0} 件あります。",
        BackfillNone = "未解決のパートナー セキュリティ アラートはありません。",
        BackfillByType = "アラートの種類別",
        BackfillByCustomer = "顧客別 (上位 {0})",
        BackfillByAge = "経過時間別",
        BackfillOtherTypes = "その他の種類",
        BackfillOtherCustomers = "その他の顧客",
        BackfillOldest = "最も古いアラート",
        AgeBucketUnderOneDay = "24 時間未満",
        AgeBucketOneToSevenDays = "1～7 日",
        AgeBucketSevenToThirtyDays = "7～30 日",
        AgeBucketOverThirtyDays = "30 日超",
        AgeBucketUnknown = "検出日時不明",
        BackfillPostPage = "これらのアラートを投稿 ({0}/{1} ページ)",
        BackfillAllPosted = "これらのアラートはすべて下に投稿しました。",
    };

    /// <summary>All catalogs.</summary>
    public static IReadOnlyList<AlertTexts> All { get; } = [En, Ja];

    /// <summary>
    /// The catalog for a language tag or BCP-47 locale (<c>ja</c>, <c>ja-JP</c> → Japanese);
    /// English for anything else, including nothing.
    /// </summary>
    public static AlertTexts For(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return En;
        }

        return language.Split('-', '_')[0].Equals("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;
    }
}
