using System.Globalization;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Every string of the guided response (the checklist after a verdict), the customer notification
/// draft and the false-positive support packet, one complete catalog per language (as
/// <see cref="BotTexts"/>): the compiler refuses a missing text.
/// </summary>
public sealed record ResponseTexts
{
    public required string Language { get; init; }

    // ---- the checklist's steps (Partner Center's guidance after a compromise, and what to record otherwise) ----
    public required string StepResetCredentials { get; init; }

    public required string StepRecoveryContacts { get; init; }

    public required string StepRiskyUsers { get; init; }

    public required string StepSignInLogs { get; init; }

    public required string StepActivityLog { get; init; }

    public required string StepRemoveAttackerResources { get; init; }

    public required string StepDeleteUnattachedDisks { get; init; }

    public required string StepLowerQuotas { get; init; }

    public required string StepSupportRequest { get; init; }

    public required string StepEnableDefender { get; init; }

    public required string StepSetBudgets { get; init; }

    public required string StepCancelSubscription { get; init; }

    public required string StepStopMiningWorkloads { get; init; }

    public required string StepReviewMachineLearning { get; init; }

    public required string StepRecordConfirmation { get; init; }

    public required string StepRecordEvidence { get; init; }

    public required string StepReportFalsePositive { get; init; }

    public required string StepRecordIgnoreReason { get; init; }

    public required string StepWatchForRecurrence { get; init; }

    // ---- the checklist on and behind the alert card ----

    /// <summary>The label of the progress line on the alert card.</summary>
    public required string ProgressLabel { get; init; }

    /// <summary>{0}: steps done; {1}: steps in the checklist.</summary>
    public required string Progress { get; init; }

    /// <summary>{0}: steps done; {1}: steps in the checklist.</summary>
    public required string ShowChecklist { get; init; }

    /// <summary>{0}: the verdict.</summary>
    public required string ChecklistTitle { get; init; }

    /// <summary>{0}: start of the window; {1}: its end.</summary>
    public required string ChecklistWindow { get; init; }

    public required string ChecklistIntro { get; init; }

    public required string Tick { get; init; }

    public required string Untick { get; init; }

    public required string Open { get; init; }

    public required string BackToAlert { get; init; }

    /// <summary>{0}: who; {1}: when.</summary>
    public required string DoneBy { get; init; }

    /// <summary>{0}: who; {1}: when (the cancellation Partner Center accepted).</summary>
    public required string CancelledBy { get; init; }

    /// <summary>The checklist exists only after Legitimate, Fraud or Ignore recorded in Microsoft's system.</summary>
    public required string NoChecklist { get; init; }

    /// <summary>A tick on a checklist of a verdict that was reopened or replaced since.</summary>
    public required string StaleChecklist { get; init; }

    // ---- customer notification draft ----
    public required string NotifyButton { get; init; }

    public required string NotifyTitle { get; init; }

    public required string NotifyIntro { get; init; }

    /// <summary>The button that shows the draft in the other language (written in that language).</summary>
    public required string NotifyInThisLanguage { get; init; }

    public required string NotifyDraftLabel { get; init; }

    /// <summary>{0}: the alert type; {1}: the subscription.</summary>
    public required string NotifySubject { get; init; }

    /// <summary>{0}: the customer.</summary>
    public required string NotifyGreeting { get; init; }

    /// <summary>{0}: the alert type; {1}: the subscription; {2}: when it was detected.</summary>
    public required string NotifyWhat { get; init; }

    /// <summary>{0}: severity; {1}: first observed; {2}: last observed.</summary>
    public required string NotifyWhen { get; init; }

    public required string NotifyResourcesHeading { get; init; }

    public required string NotifyNoResources { get; init; }

    public required string NotifyStatusOpen { get; init; }

    public required string NotifyStatusFraud { get; init; }

    public required string NotifyStatusLegitimate { get; init; }

    public required string NotifyStatusIgnore { get; init; }

    public required string NotifyActionsHeading { get; init; }

    public required string NotifyConfirmActivity { get; init; }

    public required string NotifyNoAction { get; init; }

    public required string NotifyClosing { get; init; }

    /// <summary>{0}: the alert id (the reference the customer may quote).</summary>
    public required string NotifyReference { get; init; }

    // ---- support packet ----
    public required string SupportButton { get; init; }

    public required string SupportTitle { get; init; }

    public required string SupportIntro { get; init; }

    public required string SupportPacketLabel { get; init; }

    public required string SupportLink { get; init; }

    public required string FieldPartnerTenant { get; init; }

    public required string FieldCustomerTenant { get; init; }

    public required string FieldSubscription { get; init; }

    public required string FieldAlertId { get; init; }

    public required string FieldAlertType { get; init; }

    public required string FieldDetected { get; init; }

    public required string FieldFirstObserved { get; init; }

    public required string FieldLastObserved { get; init; }

    /// <summary>{0}: how many.</summary>
    public required string FieldResources { get; init; }

    public required string FieldChecked { get; init; }

    public required string NothingChecked { get; init; }

    public required string NotKnown { get; init; }

    /// <summary>{0}: how many more.</summary>
    public required string AndMore { get; init; }

    /// <summary>{0}: the checklist step that was ticked.</summary>
    public required string CheckedStep { get; init; }

    // ---- the audit trail ----

    /// <summary>{0}: the step (history line of a tick).</summary>
    public required string HistoryStepDone { get; init; }

    /// <summary>{0}: the step (history line of an untick).</summary>
    public required string HistoryStepUndone { get; init; }

    /// <summary>Formats <paramref name="format"/> with this catalog's culture.</summary>
    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>The sentence of a checklist step in this language.</summary>
    public string Step(ResponseItem item) => item switch
    {
        ResponseItem.ResetCredentials => StepResetCredentials,
        ResponseItem.RecoveryContacts => StepRecoveryContacts,
        ResponseItem.RiskyUsers => StepRiskyUsers,
        ResponseItem.SignInLogs => StepSignInLogs,
        ResponseItem.ActivityLog => StepActivityLog,
        ResponseItem.RemoveAttackerResources => StepRemoveAttackerResources,
        ResponseItem.DeleteUnattachedDisks => StepDeleteUnattachedDisks,
        ResponseItem.LowerQuotas => StepLowerQuotas,
        ResponseItem.SupportRequest => StepSupportRequest,
        ResponseItem.EnableDefender => StepEnableDefender,
        ResponseItem.SetBudgets => StepSetBudgets,
        ResponseItem.CancelSubscription => StepCancelSubscription,
        ResponseItem.StopMiningWorkloads => StepStopMiningWorkloads,
        ResponseItem.ReviewMachineLearning => StepReviewMachineLearning,
        ResponseItem.RecordConfirmation => StepRecordConfirmation,
        ResponseItem.RecordEvidence => StepRecordEvidence,
        ResponseItem.ReportFalsePositive => StepReportFalsePositive,
        ResponseItem.RecordIgnoreReason => StepRecordIgnoreReason,
        ResponseItem.WatchForRecurrence => StepWatchForRecurrence,
        _ => item.ToString(),
    };

    public static ResponseTexts En { get; } = new()
    {
        Language = "en",
        StepResetCredentials = "Reset the credentials of the subscription's owners and enforce multifactor authentication for them.",
        StepRecoveryContacts = "Check the admins' recovery e-mail addresses and phone numbers; remove any you do not recognise.",
        StepRiskyUsers = "Review the risky users in Microsoft Entra ID Protection and confirm or dismiss each.",
        StepSignInLogs = "Review the sign-in logs around the alert's time window for unfamiliar locations, apps and failures.",
        StepActivityLog = "Review the subscription's activity log around the alert's time window: who created, changed or deleted what.",
        StepRemoveAttackerResources = "Remove the resources, role assignments, service principals and users the attacker created.",
        StepDeleteUnattachedDisks = "Delete unattached managed disks left behind by removed virtual machines.",
        StepLowerQuotas = "Lower the subscription's compute quotas (vCPUs, GPUs) to what the customer really uses.",
        StepSupportRequest = "Open an Azure support request to report the compromise and ask about charges caused by it.",
        StepEnableDefender = "Turn on Microsoft Defender for Cloud for the subscription.",
        StepSetBudgets = "Set budgets and cost alerts on the subscription.",
        StepCancelSubscription = "If the subscription cannot be trusted again, cancel it: use \"Cancel the Azure subscription…\" on the alert card.",
        StepStopMiningWorkloads = "Stop and delete the virtual machines that connected to crypto-mining pools, and block the pools' addresses.",
        StepReviewMachineLearning = "Review the Azure Machine Learning workspaces and compute clusters; delete those the customer did not create.",
        StepRecordConfirmation = "Record who at the customer confirmed the activity as theirs, and when (in the comment or your ticket).",
        StepRecordEvidence = "Record the evidence: the deployment's owner, change ticket or project that explains the activity.",
        StepReportFalsePositive = "If the detection was wrong, send the support packet to Microsoft support as a false positive.",
        StepRecordIgnoreReason = "Record why the alert is ignored (test alert, duplicate, resource already deleted, …).",
        StepWatchForRecurrence = "Watch whether the same alert type comes back on this subscription; if it does, triage it again.",
        ProgressLabel = "Response",
        Progress = "{0} of {1} done",
        ShowChecklist = "Response checklist ({0}/{1})",
        ChecklistTitle = "Response checklist after \"{0}\"",
        ChecklistWindow = "Logs are linked for {0} – {1}.",
        ChecklistIntro = "Tick each step when it is done; the alert card shows the progress for everyone, and the audit trail records who and when.",
        Tick = "Done",
        Untick = "Undo",
        Open = "Open",
        BackToAlert = "Back to the alert",
        DoneBy = "Done — {0}, {1}",
        CancelledBy = "Cancellation accepted — {0}, {1}",
        NoChecklist = "The response checklist appears once Legitimate, Fraud or Ignore is recorded in Microsoft's system.",
        StaleChecklist = "This checklist belongs to a verdict that was reopened or replaced; here is the current one.",
        NotifyButton = "Draft customer message",
        NotifyTitle = "Message to the customer (draft)",
        NotifyIntro = "Copy the text below into your e-mail or ticket. The bot sends nothing to the customer.",
        NotifyInThisLanguage = "In English",
        NotifyDraftLabel = "Draft (select all and copy)",
        NotifySubject = "Subject: Security alert on your Azure subscription {1}: {0}",
        NotifyGreeting = "Dear {0},",
        NotifyWhat = "Microsoft's security monitoring reported \"{0}\" on your Azure subscription {1} on {2}.",
        NotifyWhen = "Severity: {0}. Activity first observed: {1}; last observed: {2}.",
        NotifyResourcesHeading = "Affected resources:",
        NotifyNoResources = "No single resource was named; the whole subscription is concerned.",
        NotifyStatusOpen = "We are investigating this activity. Please tell us whether you expected it.",
        NotifyStatusFraud = "We have determined that this activity was not authorised and are containing it.",
        NotifyStatusLegitimate = "We reviewed this activity and recorded it as legitimate, as you confirmed.",
        NotifyStatusIgnore = "We reviewed this alert and closed it; no action is needed from you.",
        NotifyActionsHeading = "We recommend these actions:",
        NotifyConfirmActivity = "Confirm whether you or your team started this activity.",
        NotifyNoAction = "No action is needed from you.",
        NotifyClosing = "Please reply to this message if you have any question.",
        NotifyReference = "Reference: {0}",
        SupportButton = "Support packet",
        SupportTitle = "False-positive support packet",
        SupportIntro = "Copy the packet below into a support request when you believe the alert is a false positive.",
        SupportPacketLabel = "Packet (select all and copy)",
        SupportLink = "Open a support request",
        FieldPartnerTenant = "Partner tenant id",
        FieldCustomerTenant = "Customer tenant id",
        FieldSubscription = "Subscription id",
        FieldAlertId = "Alert id",
        FieldAlertType = "Alert type",
        FieldDetected = "Detected",
        FieldFirstObserved = "First observed",
        FieldLastObserved = "Last observed",
        FieldResources = "Affected resources ({0})",
        FieldChecked = "What the partner checked",
        NothingChecked = "nothing recorded in the bot yet",
        NotKnown = "unknown",
        AndMore = "… and {0} more",
        CheckedStep = "Checklist: {0}",
        HistoryStepDone = "Response step done: {0}",
        HistoryStepUndone = "Response step undone: {0}",
    };

    public static ResponseTexts Ja { get; } = new()
    {
        Language = "ja",
        StepResetCredentials = "サブスクリプション所有者の資格情報をリセットし、多要素認証 (MFA) を強制してください。",
        StepRecoveryContacts = "管理者の回復用メール アドレスと電話番号を確認し、心当たりのないものを削除してください。",
        StepRiskyUsers = "Microsoft Entra ID Protection の危険なユーザーを確認し、それぞれ確認済みまたは無視にしてください。",
        StepSignInLogs = "アラートの時間帯前後のサインイン ログで、見慣れない場所、アプリ、失敗を確認してください。",
        StepActivityLog = "アラートの時間帯前後のサブスクリプションのアクティビティ ログで、誰が何を作成・変更・削除したかを確認してください。",
        StepRemoveAttackerResources = "攻撃者が作成したリソース、ロールの割り当て、サービス プリンシパル、ユーザーを削除してください。",
        StepDeleteUnattachedDisks = "削除された仮想マシンが残した未接続のマネージド ディスクを削除してください。",
        StepLowerQuotas = "サブスクリプションのコンピューティング クォータ (vCPU、GPU) を顧客が実際に使う量まで下げてください。",
        StepSupportRequest = "Azure サポート リクエストを作成し、侵害を報告して、それによる料金について問い合わせてください。",
        StepEnableDefender = "サブスクリプションで Microsoft Defender for Cloud を有効にしてください。",
        StepSetBudgets = "サブスクリプションに予算とコスト アラートを設定してください。",
        StepCancelSubscription = "サブスクリプションを再び信頼できない場合は取り消してください。アラート カードの「Azure サブスクリプションを取り消す…」を使います。",
        StepStopMiningWorkloads = "暗号通貨マイニング プールに接続した仮想マシンを停止・削除し、プールのアドレスをブロックしてください。",
        StepReviewMachineLearning = "Azure Machine Learning のワークスペースとコンピューティング クラスターを確認し、顧客が作成していないものを削除してください。",
        StepRecordConfirmation = "顧客側の誰がいつこのアクティビティを自社のものと確認したかを記録してください (コメントまたはチケットに)。",
        StepRecordEvidence = "根拠を記録してください: アクティビティを説明するデプロイの所有者、変更チケット、プロジェクト。",
        StepReportFalsePositive = "検出が誤りだった場合は、サポート パケットを誤検知として Microsoft サポートに送ってください。",
        StepRecordIgnoreReason = "アラートを無視する理由を記録してください (テスト アラート、重複、リソース削除済みなど)。",
        StepWatchForRecurrence = "同じ種類のアラートがこのサブスクリプションで再発しないか確認し、再発したら改めてトリアージしてください。",
        ProgressLabel = "対応",
        Progress = "{1} 件中 {0} 件完了",
        ShowChecklist = "対応チェックリスト ({0}/{1})",
        ChecklistTitle = "「{0}」判定後の対応チェックリスト",
        ChecklistWindow = "ログのリンクは {0} – {1} の範囲です。",
        ChecklistIntro = "完了した手順にチェックを付けてください。進捗はアラート カードに全員向けに表示され、監査証跡に誰がいつ行ったかが記録されます。",
        Tick = "完了",
        Untick = "取り消し",
        Open = "開く",
        BackToAlert = "アラートに戻る",
        DoneBy = "完了 — {0}、{1}",
        CancelledBy = "取り消し受付済み — {0}、{1}",
        NoChecklist = "対応チェックリストは、正当・不正・無視の判定が Microsoft のシステムに記録されると表示されます。",
        StaleChecklist = "このチェックリストは再オープンまたは変更された判定のものです。現在のチェックリストを表示します。",
        NotifyButton = "顧客向けメッセージの下書き",
        NotifyTitle = "顧客へのメッセージ (下書き)",
        NotifyIntro = "以下の文面をメールやチケットにコピーしてください。ボットが顧客に送信することはありません。",
        NotifyInThisLanguage = "日本語で",
        NotifyDraftLabel = "下書き (すべて選択してコピー)",
        NotifySubject = "件名: Azure サブスクリプション {1} のセキュリティ アラート: {0}",
        NotifyGreeting = "{0} 御中",
        NotifyWhat = "Microsoft のセキュリティ監視により、{2} にお客様の Azure サブスクリプション {1} で「{0}」が報告されました。",
        NotifyWhen = "重大度: {0}。アクティビティの最初の観測: {1}、最後の観測: {2}。",
        NotifyResourcesHeading = "影響を受けるリソース:",
        NotifyNoResources = "特定のリソースは示されていません。サブスクリプション全体が対象です。",
        NotifyStatusOpen = "現在このアクティビティを調査しています。お客様が想定していたものかどうかをお知らせください。",
        NotifyStatusFraud = "このアクティビティは許可されていないものと判断し、封じ込めを行っています。",
        NotifyStatusLegitimate = "このアクティビティを確認し、お客様のご確認どおり正当なものとして記録しました。",
        NotifyStatusIgnore = "このアラートを確認してクローズしました。お客様の対応は不要です。",
        NotifyActionsHeading = "次の対応をお勧めします:",
        NotifyConfirmActivity = "このアクティビティをお客様またはお客様のチームが開始したかどうかをご確認ください。",
        NotifyNoAction = "お客様の対応は不要です。",
        NotifyClosing = "ご不明な点があれば、このメッセージにご返信ください。",
        NotifyReference = "参照番号: {0}",
        SupportButton = "サポート パケット",
        SupportTitle = "誤検知のサポート パケット",
        SupportIntro = "アラートが誤検知だと考える場合は、以下のパケットをサポート リクエストにコピーしてください。",
        SupportPacketLabel = "パケット (すべて選択してコピー)",
        SupportLink = "サポート リクエストを作成",
        FieldPartnerTenant = "パートナー テナント ID",
        FieldCustomerTenant = "顧客テナント ID",
        FieldSubscription = "サブスクリプション ID",
        FieldAlertId = "アラート ID",
        FieldAlertType = "アラートの種類",
        FieldDetected = "検出日時",
        FieldFirstObserved = "最初の観測",
        FieldLastObserved = "最後の観測",
        FieldResources = "影響を受けるリソース ({0})",
        FieldChecked = "パートナーが確認した内容",
        NothingChecked = "ボットにはまだ記録がありません",
        NotKnown = "不明",
        AndMore = "… ほか {0} 件",
        CheckedStep = "チェックリスト: {0}",
        HistoryStepDone = "対応手順完了: {0}",
        HistoryStepUndone = "対応手順取り消し: {0}",
    };

    public static ResponseTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public static IReadOnlyList<ResponseTexts> All { get; } = [En, Ja];
}
