using System.Globalization;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Every string a user reads, in one typed catalog per language. A language is a complete
/// instance: the compiler refuses a catalog with a missing text, so no string falls back silently.
/// Texts with <c>{0}</c> are composite formats, filled in with the catalog's culture.
/// </summary>
public sealed record BotTexts
{
    /// <summary>The language tag of this catalog (en, ja).</summary>
    public required string Language { get; init; }

    public required string BotName { get; init; }

    public required string HelpTitle { get; init; }

    public required string HelpIntro { get; init; }

    public required string HelpFooter { get; init; }

    public required string CommandHelp { get; init; }

    public required string CommandSubscribe { get; init; }

    public required string CommandUnsubscribe { get; init; }

    public required string CommandStatus { get; init; }

    public required string CommandWebhook { get; init; }

    public required string CommandDeadLetters { get; init; }

    /// <summary>The dead letters listed: {0} how many, {1} one line per letter.</summary>
    public required string DeadLettersList { get; init; }

    /// <summary>One dead letter: {0} alert id, {1} conversation, {2} when, {3} why.</summary>
    public required string DeadLetterLine { get; init; }

    public required string DeadLettersNone { get; init; }

    /// <summary>{0} how many were queued again.</summary>
    public required string DeadLettersRetried { get; init; }

    public required string DeadLettersAdminsOnly { get; init; }

    /// <summary>The alert pipeline does not run on this deployment (no dead letters to show).</summary>
    public required string DeadLettersPipelineOff { get; init; }

    public required string CommandCustomer { get; init; }

    /// <summary>A look-up (customer, subscription, reseller, profile, alert, alerts, summary) by someone outside the triage role.</summary>
    public required string QueriesNotAllowed { get; init; }

    /// <summary>A look-up while nobody is configured for the triage role.</summary>
    public required string QueriesNotConfigured { get; init; }

    /// <summary>A look-up while the role could not be checked.</summary>
    public required string QueriesVerificationFailed { get; init; }

    public required string CommandSubscription { get; init; }

    public required string CommandReseller { get; init; }

    public required string CommandProfile { get; init; }

    public required string CommandAlert { get; init; }

    public required string CommandSupport { get; init; }

    public required string CommandAlerts { get; init; }

    public required string CommandSummary { get; init; }

    /// <summary>{0}: the registered URL; {1}: the events.</summary>
    public required string WebhookRegisteredAt { get; init; }

    public required string WebhookNotRegistered { get; init; }

    /// <summary>{0}: the URL now registered.</summary>
    public required string WebhookRegistered { get; init; }

    public required string WebhookNoPublicUrl { get; init; }

    public required string WebhookAdminsOnly { get; init; }

    public required string WebhookFailed { get; init; }

    public required string Welcome { get; init; }

    /// <summary>{0}: the channel or chat name.</summary>
    public required string Subscribed { get; init; }

    /// <summary>{0}: the channel or chat name; {1}: why posting is off (<see cref="SettingNotSet"/>, <see cref="SettingTurnedOff"/>).</summary>
    public required string SubscribedPipelineOff { get; init; }

    /// <summary>{0}: a setting's path.</summary>
    public required string SettingNotSet { get; init; }

    /// <summary>{0}: a setting's path.</summary>
    public required string SettingTurnedOff { get; init; }

    public required string AlreadySubscribed { get; init; }

    public required string Unsubscribed { get; init; }

    public required string NotSubscribed { get; init; }

    public required string SubscribeOnlyInTeamsConversations { get; init; }

    /// <summary>subscribe, unsubscribe or a backfill click by someone outside the triage role.</summary>
    public required string RoutingNotAllowed { get; init; }

    /// <summary>subscribe, unsubscribe or a backfill click while nobody is configured for the triage role.</summary>
    public required string RoutingNotConfigured { get; init; }

    /// <summary>subscribe in a personal or group chat while <c>TeamsAlertBot:AllowAlertsInChats</c> is off.</summary>
    public required string AlertsOnlyInChannels { get; init; }

    /// <summary>A click on a button whose feature (alert posting and triage) does not run on this deployment.</summary>
    public required string ActionNotRunningHere { get; init; }

    public required string BulkNeedsRedis { get; init; }

    public required string StatusTitle { get; init; }

    public required string StatusSubscription { get; init; }

    public required string StatusSubscribedYes { get; init; }

    public required string StatusSubscribedNo { get; init; }

    /// <summary>{0}: who subscribed; {1}: when (a DateTimeOffset in the display time zone).</summary>
    public required string StatusSubscribedBy { get; init; }

    public required string StatusStorage { get; init; }

    /// <summary>{0}: storage kind; {1}: round trip in milliseconds.</summary>
    public required string StatusStorageHealthy { get; init; }

    /// <summary>{0}: storage kind.</summary>
    public required string StatusStorageUnhealthy { get; init; }

    public required string StatusConversation { get; init; }

    public required string StatusSubscribedChannels { get; init; }

    public required string StatusDelivery { get; init; }

    /// <summary>{0} cards and edits queued, {1} given up on.</summary>
    public required string StatusDeliveryValue { get; init; }

    public required string StatusDeliveryOff { get; init; }

    public required string StatusPipeline { get; init; }

    public required string StatusPipelineRunning { get; init; }

    /// <summary>{0}: why it is off.</summary>
    public required string StatusPipelineOff { get; init; }

    public required string StatusPoller { get; init; }

    /// <summary>{0}: the instance name.</summary>
    public required string StatusPollerThis { get; init; }

    public required string StatusPollerNone { get; init; }

    public required string StatusLastPoll { get; init; }

    /// <summary>{0}: when; {1}: how long ago.</summary>
    public required string StatusLastPollValue { get; init; }

    /// <summary>{0}: the poll interval.</summary>
    public required string StatusLastPollLate { get; init; }

    public required string StatusLastPollNone { get; init; }

    public required string StatusGraph { get; init; }

    public required string StatusPartnerCenter { get; init; }

    /// <summary>{0}: the settings.</summary>
    public required string StatusServiceNotConfigured { get; init; }

    /// <summary>{0}: HTTP status; {1}: how long ago.</summary>
    public required string StatusServiceAnswered { get; init; }

    /// <summary>{0}: why; {1}: how long ago.</summary>
    public required string StatusServiceFailed { get; init; }

    public required string StatusServiceNotCalled { get; init; }

    public required string StatusTriage { get; init; }

    public required string StatusMitigation { get; init; }

    /// <summary>{0}: the group's object id.</summary>
    public required string StatusRoleGroup { get; init; }

    /// <summary>{0}: how many.</summary>
    public required string StatusRoleUsers { get; init; }

    public required string StatusRoleEveryone { get; init; }

    /// <summary>{0}: the settings.</summary>
    public required string StatusRoleNobody { get; init; }

    public required string StatusDelegated { get; init; }

    /// <summary>{0}: who; {1}: when.</summary>
    public required string StatusDelegatedGranted { get; init; }

    public required string StatusDelegatedMissing { get; init; }

    /// <summary>{0}: seconds.</summary>
    public required string StatusAgeSeconds { get; init; }

    /// <summary>{0}: minutes.</summary>
    public required string StatusAgeMinutes { get; init; }

    /// <summary>{0}: hours.</summary>
    public required string StatusAgeHours { get; init; }

    /// <summary>{0}: what the user typed.</summary>
    public required string UnknownCommand { get; init; }

    /// <summary>{0}: the suggested command.</summary>
    public required string DidYouMean { get; init; }

    public required string EmptyCommand { get; init; }

    public required string WorkingOnIt { get; init; }

    public required string ActionErrorTitle { get; init; }

    /// <summary>{0}: the verb that is not known.</summary>
    public required string UnknownAction { get; init; }

    public required string MalformedAction { get; init; }

    public required string StorageUnavailable { get; init; }

    public required string ActionFailed { get; init; }

    /// <summary>Formats <paramref name="format"/> with this catalog's culture.</summary>
    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>English.</summary>
    public static BotTexts En { get; } = new()
    {
        Language = "en",
        BotName = "TeamsAlertBot",
        HelpTitle = "TeamsAlertBot commands",
        HelpIntro = "I post Microsoft partner security alerts to this channel so your team can triage them here. Mention me with one of these commands:",
        HelpFooter = "Commands work in English or Japanese. In a channel, start with @TeamsAlertBot.",
        CommandHelp = "Show this list.",
        CommandSubscribe = "Post new partner security alerts to this channel.",
        CommandUnsubscribe = "Stop posting alerts to this channel.",
        CommandStatus = "Show this channel's subscription and the health of the bot's storage.",
        CommandWebhook = "Admins: show the Partner Center webhook registration; \"webhook register\" points it at this bot.",
        CommandDeadLetters = "Admins: list the alert cards the bot gave up posting; \"deadletters retry\" posts them again.",
        DeadLettersList = "{0} alert cards could not be posted (newest first):\n\n{1}\n\nType **deadletters retry** to post them again.",
        DeadLetterLine = "- alert {0} → {1}, {2}: {3}",
        DeadLettersNone = "No alert card is waiting in the dead letters.",
        DeadLettersRetried = "{0} alert cards were queued again; each is posted unless its conversation already has it.",
        DeadLettersAdminsOnly = "Only admins (the mitigation role) may list or retry dead letters.",
        DeadLettersPipelineOff = "The alert pipeline does not run on this deployment, so there are no dead letters.",
        CommandCustomer = "customer <tenant id | domain | name>: the customer, its reseller and its open alerts.",
        CommandSubscription = "subscription <id> [customer]: the subscription, its Azure subscriptions and its open alerts.",
        CommandReseller = "reseller <customer>: the customer's indirect reseller(s).",
        CommandProfile = "Show the partner's organization profile.",
        CommandAlert = "alert <id>: the alert's card with its current state and history.",
        CommandSupport = "support <alert id>: the false-positive support packet (the facts support asks for and what you checked) and the support link.",
        CommandAlerts = "alerts [open | active | investigating | all] [customer X] [type Y] [older than 24h] [page N]: list alerts, a page at a time.",
        CommandSummary = "Show the daily summary now: open alerts, affected customers, the oldest untriaged, yesterday's verdicts.",
        WebhookRegisteredAt = "The Partner Center webhook is registered: {0} ({1}).",
        WebhookNotRegistered = "No Partner Center webhook is registered. An admin can type **webhook register**.",
        WebhookRegistered = "Registered the Partner Center webhook: {0}. Fraud events now reach me within seconds.",
        WebhookNoPublicUrl = "PartnerCenter:Webhook:PublicUrl is not set, so I don't know my public address. Ask the bot's operator to set it.",
        WebhookAdminsOnly = "Only members of the mitigation (admin) group may change the webhook registration.",
        WebhookFailed = "Partner Center did not accept the request. Check the bot's Partner Center permissions and try again.",
        Welcome = "Hello! I'm TeamsAlertBot. Type **@TeamsAlertBot subscribe** in the channel that should receive partner security alerts, or **help** for all commands.",
        Subscribed = "Subscribed: new partner security alerts will be posted to {0}.",
        SubscribedPipelineOff = "{0} is subscribed, but this deployment does not post alerts yet ({1}), so no card will come until the bot's admin sets it up (docs/configuration.md).",
        SettingNotSet = "{0} is not set",
        SettingTurnedOff = "{0} is false",
        AlreadySubscribed = "This conversation is already subscribed to partner security alerts.",
        Unsubscribed = "Unsubscribed: no more alerts will be posted here.",
        NotSubscribed = "This conversation is not subscribed, so there was nothing to stop.",
        SubscribeOnlyInTeamsConversations = "I can only subscribe a conversation I have been added to.",
        RoutingNotAllowed = "Only the security team (the triage group) may change where alerts are posted or post older ones. Ask your admin to add you.",
        RoutingNotConfigured = "Nobody may change where alerts are posted yet: the bot's admin has not configured the triage group or allow-list.",
        AlertsOnlyInChannels = "Alerts go to Teams channels only: they carry partner and customer data, and this bot is not set up to post them into personal or group chats. Subscribe your security team's channel instead.",
        BulkNeedsRedis = "Bulk verdicts run only where the bot keeps its state in Redis (Redis:ConnectionString), so nothing was done. Each alert's own buttons still work here.",
        ActionNotRunningHere = "This button belongs to alert posting and triage, which are not running on this deployment of the bot, so nothing was done. Ask the bot's operator.",
        StatusTitle = "TeamsAlertBot status",
        StatusSubscription = "Alerts in this conversation",
        StatusSubscribedYes = "Subscribed",
        StatusSubscribedNo = "Not subscribed",
        StatusSubscribedBy = "by {0}, {1:yyyy-MM-dd HH:mm (zzz)}",
        StatusStorage = "State storage",
        StatusStorageHealthy = "{0}: healthy ({1} ms)",
        StatusStorageUnhealthy = "{0}: NOT reachable — subscriptions and alerts may be delayed",
        StatusConversation = "Conversation",
        StatusSubscribedChannels = "Subscribed conversations (all teams)",
        StatusDelivery = "Alert delivery",
        StatusDeliveryValue = "{0} queued; {1} given up on (admins: deadletters)",
        StatusDeliveryOff = "not running on this deployment",
        StatusPipeline = "Alert pipeline",
        StatusPipelineRunning = "running on this deployment",
        StatusPipelineOff = "off: {0}",
        StatusPoller = "Polling instance",
        StatusPollerThis = "{0} (this instance)",
        StatusPollerNone = "none holds the poll lease",
        StatusLastPoll = "Last complete poll",
        StatusLastPollValue = "{0:yyyy-MM-dd HH:mm:ss (zzz)}, {1} ago",
        StatusLastPollLate = "LATE: a poll is due every {0}",
        StatusLastPollNone = "none yet",
        StatusGraph = "Microsoft Graph (alerts)",
        StatusPartnerCenter = "Partner Center (customers)",
        StatusServiceNotConfigured = "not set up, never called: set {0}",
        StatusServiceAnswered = "answered HTTP {0}, {1} ago",
        StatusServiceFailed = "no answer ({0}), {1} ago",
        StatusServiceNotCalled = "not called by this instance yet",
        StatusTriage = "Who may triage",
        StatusMitigation = "Who may mitigate",
        StatusRoleGroup = "members of group {0}",
        StatusRoleUsers = "{0} allow-listed users",
        StatusRoleEveryone = "everyone (Development only)",
        StatusRoleNobody = "nobody — set {0}",
        StatusDelegated = "Delegated Graph access",
        StatusDelegatedGranted = "granted by {0} on {1:yyyy-MM-dd}",
        StatusDelegatedMissing = "not granted: a partner admin signs in at /admin/graph-consent",
        StatusAgeSeconds = "{0} s",
        StatusAgeMinutes = "{0} min",
        StatusAgeHours = "{0} h",
        UnknownCommand = "I don't know the command \"{0}\".",
        DidYouMean = "Did you mean **{0}**? Type **help** for all commands.",
        EmptyCommand = "Type **help** to see what I can do.",
        WorkingOnIt = "Working on it…",
        ActionErrorTitle = "That didn't work",
        UnknownAction = "This card's button \"{0}\" is not something I know how to do. The card may be from an older version of the bot.",
        MalformedAction = "The card sent an action I could not read.",
        QueriesNotAllowed = "Only the security team (the triage group) may look up customers, subscriptions and alerts. Ask your admin to add you.",
        QueriesNotConfigured = "Nobody may look up customers, subscriptions and alerts yet: the bot's admin has not configured the triage group or allow-list.",
        QueriesVerificationFailed = "I could not verify your permissions right now. Please try again in a minute.",
        StorageUnavailable = "My storage is not reachable right now, so I could not do that. Please try again in a minute.",
        ActionFailed = "Something failed on my side while doing that (a Microsoft service did not answer as expected). Nothing was lost; please try again in a minute.",
    };

    /// <summary>Japanese.</summary>
    public static BotTexts Ja { get; } = new()
    {
        Language = "ja",
        BotName = "TeamsAlertBot",
        HelpTitle = "TeamsAlertBot のコマンド",
        HelpIntro = "Microsoft パートナー セキュリティ アラートをこのチャネルに投稿し、チームがここでトリアージできるようにします。次のコマンドでメンションしてください:",
        HelpFooter = "コマンドは英語でも日本語でも使えます。チャネルでは @TeamsAlertBot に続けて入力してください。",
        CommandHelp = "この一覧を表示します。",
        CommandSubscribe = "新しいパートナー セキュリティ アラートをこのチャネルに投稿します。",
        CommandUnsubscribe = "このチャネルへのアラート投稿を停止します。",
        CommandStatus = "このチャネルの購読状況とボットのストレージの状態を表示します。",
        CommandWebhook = "管理者向け: Partner Center の Webhook 登録を表示します。「webhook register」でこのボットを登録します。",
        CommandDeadLetters = "管理者向け: 投稿をあきらめたアラート カードを一覧表示します。「配信失敗 再試行」で再投稿します。",
        DeadLettersList = "投稿できなかったアラート カードが {0} 件あります (新しい順):\n\n{1}\n\n再投稿するには **配信失敗 再試行** と入力してください。",
        DeadLetterLine = "- アラート {0} → {1}、{2}: {3}",
        DeadLettersNone = "配信失敗のアラート カードはありません。",
        DeadLettersRetried = "{0} 件のアラート カードを再びキューに入れました。会話にまだない場合にだけ投稿します。",
        DeadLettersAdminsOnly = "配信失敗の一覧表示と再試行は、管理者 (緩和策ロール) だけが行えます。",
        DeadLettersPipelineOff = "このデプロイではアラート パイプラインが動作していないため、配信失敗はありません。",
        CommandCustomer = "顧客 <テナント ID | ドメイン | 名前>: 顧客、そのリセラー、未対応のアラートを表示します。",
        CommandSubscription = "サブスクリプション <ID> [顧客]: サブスクリプション、その Azure サブスクリプション、未対応のアラートを表示します。",
        CommandReseller = "リセラー <顧客>: 顧客の間接リセラーを表示します。",
        CommandProfile = "パートナーの組織プロファイルを表示します。",
        CommandAlert = "アラート <ID>: アラートのカードを現在の状態と履歴付きで表示します。",
        CommandSupport = "サポート <アラート ID>: 誤検知のサポート パケット (サポートが求める情報と確認した内容) とサポートへのリンクを表示します。",
        CommandAlerts = "アラート一覧 [未対応 | アクティブ | 調査中 | すべて] [顧客 X] [種類 Y] [24時間以上] [ページ N]: アラートをページごとに一覧表示します。",
        CommandSummary = "日次サマリーを今すぐ表示します: 未対応のアラート、影響を受けた顧客、最も古い未トリアージのアラート、昨日の判定。",
        WebhookRegisteredAt = "Partner Center の Webhook は登録済みです: {0} ({1})。",
        WebhookNotRegistered = "Partner Center の Webhook は登録されていません。管理者は **webhook register** と入力してください。",
        WebhookRegistered = "Partner Center の Webhook を登録しました: {0}。不正イベントは数秒以内に届きます。",
        WebhookNoPublicUrl = "PartnerCenter:Webhook:PublicUrl が設定されていないため、ボットの公開アドレスが分かりません。ボットの運用担当者に設定を依頼してください。",
        WebhookAdminsOnly = "Webhook の登録を変更できるのは、緩和 (管理者) グループのメンバーだけです。",
        WebhookFailed = "Partner Center が要求を受け付けませんでした。ボットの Partner Center のアクセス許可を確認して、もう一度お試しください。",
        Welcome = "こんにちは、TeamsAlertBot です。パートナー セキュリティ アラートを受け取るチャネルで **@TeamsAlertBot 購読** と入力してください。**ヘルプ** ですべてのコマンドを表示します。",
        Subscribed = "購読しました。新しいパートナー セキュリティ アラートを {0} に投稿します。",
        SubscribedPipelineOff = "{0} を購読しましたが、このデプロイはまだアラートを投稿しません ({1})。ボットの管理者が設定するまでカードは届きません (docs/configuration.md)。",
        SettingNotSet = "{0} が未設定",
        SettingTurnedOff = "{0} が false",
        AlreadySubscribed = "この会話はすでにパートナー セキュリティ アラートを購読しています。",
        Unsubscribed = "購読を解除しました。ここにはアラートを投稿しません。",
        NotSubscribed = "この会話は購読していないため、停止するものはありません。",
        SubscribeOnlyInTeamsConversations = "購読できるのは、私が追加された会話だけです。",
        RoutingNotAllowed = "アラートの投稿先の変更や過去のアラートの投稿ができるのは、セキュリティ チーム (トリアージ グループ) だけです。管理者に追加を依頼してください。",
        RoutingNotConfigured = "アラートの投稿先を変更できるユーザーがまだ設定されていません (トリアージ グループまたは許可リスト)。ボットの管理者に連絡してください。",
        AlertsOnlyInChannels = "アラートは Teams のチャネルにのみ投稿します。パートナーと顧客のデータを含むため、このボットは個人チャットやグループ チャットに投稿するよう設定されていません。セキュリティ チームのチャネルで購読してください。",
        BulkNeedsRedis = "一括判定は、ボットが状態を Redis (Redis:ConnectionString) に保存している環境でのみ実行されるため、何も行っていません。各アラートのボタンはここでも使えます。",
        ActionNotRunningHere = "このボタンはアラートの投稿とトリアージの機能のものですが、このボットの環境ではその機能が動作していないため、何も実行していません。ボットの運用担当者に確認してください。",
        StatusTitle = "TeamsAlertBot の状態",
        StatusSubscription = "この会話のアラート",
        StatusSubscribedYes = "購読中",
        StatusSubscribedNo = "未購読",
        StatusSubscribedBy = "{0} が {1:yyyy-MM-dd HH:mm (zzz)} に購読",
        StatusStorage = "状態ストレージ",
        StatusStorageHealthy = "{0}: 正常 ({1} ミリ秒)",
        StatusStorageUnhealthy = "{0}: 接続できません — 購読とアラートが遅れる可能性があります",
        StatusConversation = "会話",
        StatusSubscribedChannels = "購読中の会話 (全チーム)",
        StatusDelivery = "アラートの配信",
        StatusDeliveryValue = "キュー {0} 件、配信失敗 {1} 件 (管理者: 配信失敗)",
        StatusDeliveryOff = "このデプロイでは動作していません",
        StatusPipeline = "アラート パイプライン",
        StatusPipelineRunning = "このデプロイで動作中",
        StatusPipelineOff = "停止中: {0}",
        StatusPoller = "ポーリング中のインスタンス",
        StatusPollerThis = "{0} (このインスタンス)",
        StatusPollerNone = "ポーリングのリースを持つインスタンスはありません",
        StatusLastPoll = "最後に完了したポーリング",
        StatusLastPollValue = "{0:yyyy-MM-dd HH:mm:ss (zzz)} ({1}前)",
        StatusLastPollLate = "遅延: ポーリングは {0} ごとのはずです",
        StatusLastPollNone = "まだありません",
        StatusGraph = "Microsoft Graph (アラート)",
        StatusPartnerCenter = "Partner Center (顧客情報)",
        StatusServiceNotConfigured = "未設定のため呼び出していません: {0} を設定してください",
        StatusServiceAnswered = "HTTP {0} で応答 ({1}前)",
        StatusServiceFailed = "応答なし ({0}、{1}前)",
        StatusServiceNotCalled = "このインスタンスからはまだ呼び出していません",
        StatusTriage = "トリアージできるユーザー",
        StatusMitigation = "緩和操作できるユーザー",
        StatusRoleGroup = "グループ {0} のメンバー",
        StatusRoleUsers = "許可リストの {0} ユーザー",
        StatusRoleEveryone = "全員 (開発環境のみ)",
        StatusRoleNobody = "だれもいません — {0} を設定してください",
        StatusDelegated = "委任された Graph アクセス",
        StatusDelegatedGranted = "{0} が {1:yyyy-MM-dd} に許可",
        StatusDelegatedMissing = "未許可: パートナー管理者が /admin/graph-consent でサインインします",
        StatusAgeSeconds = "{0} 秒",
        StatusAgeMinutes = "{0} 分",
        StatusAgeHours = "{0} 時間",
        UnknownCommand = "「{0}」というコマンドはありません。",
        DidYouMean = "**{0}** のことですか? **ヘルプ** ですべてのコマンドを表示します。",
        EmptyCommand = "**ヘルプ** と入力すると、できることを表示します。",
        WorkingOnIt = "処理中です…",
        ActionErrorTitle = "実行できませんでした",
        UnknownAction = "このカードのボタン「{0}」は処理できません。古いバージョンのボットのカードかもしれません。",
        MalformedAction = "カードから読み取れないアクションが送信されました。",
        QueriesNotAllowed = "顧客、サブスクリプション、アラートを照会できるのはセキュリティ チーム (トリアージ グループ) だけです。管理者に追加を依頼してください。",
        QueriesNotConfigured = "顧客、サブスクリプション、アラートを照会できるユーザーがまだ設定されていません (トリアージ グループまたは許可リスト)。ボットの管理者に連絡してください。",
        QueriesVerificationFailed = "現在、権限を確認できません。1 分ほどしてからもう一度お試しください。",
        StorageUnavailable = "現在ストレージに接続できないため、実行できませんでした。1 分ほどしてからもう一度お試しください。",
        ActionFailed = "処理中にこちら側で問題が発生しました (Microsoft のサービスが想定どおりに応答しませんでした)。データは失われていません。1 分ほどしてからもう一度お試しください。",
    };

    /// <summary>The catalog for a BCP-47 locale (<c>ja-JP</c> → Japanese); <paramref name="fallback"/> otherwise.</summary>
    public static BotTexts For(string? locale, BotTexts fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (string.IsNullOrWhiteSpace(locale))
        {
            return fallback;
        }

        string language = locale.Split('-', '_')[0];
        return language.ToUpperInvariant() switch
        {
            "JA" => Ja,
            "EN" => En,
            _ => fallback,
        };
    }

    /// <summary>The catalog named by a language tag from configuration (en or ja).</summary>
    public static BotTexts ForLanguage(string? language) => For(language, En);

    /// <summary>All catalogs.</summary>
    public static IReadOnlyList<BotTexts> All { get; } = [En, Ja];
}
