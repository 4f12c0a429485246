using System.Globalization;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Every string of the "ask the bot" answers (customer, subscription, reseller, profile, alert,
/// alerts), one complete typed catalog per language like <see cref="BotTexts"/>: the compiler
/// refuses a catalog with a missing text. Texts with <c>{0}</c> are composite formats.
/// </summary>
public sealed record QueryTexts
{
    /// <summary>The language tag of this catalog (en, ja).</summary>
    public required string Language { get; init; }

    public required string Unknown { get; init; }

    public required string Yes { get; init; }

    public required string No { get; init; }

    // Usage and bad input.
    public required string UsageTitle { get; init; }

    public required string UsageCustomer { get; init; }

    public required string UsageSubscription { get; init; }

    public required string UsageReseller { get; init; }

    public required string UsageAlert { get; init; }

    public required string UsageSupport { get; init; }

    public required string UsageAlerts { get; init; }

    public required string InputMissing { get; init; }

    /// <summary>{0}: characters given; {1}: the most accepted.</summary>
    public required string InputTooLong { get; init; }

    /// <summary>{0}: the refused characters.</summary>
    public required string InputInvalidCharacters { get; init; }

    /// <summary>{0}: the word not understood.</summary>
    public required string AlertsUnknownWord { get; init; }

    /// <summary>{0}: the option given twice.</summary>
    public required string AlertsDuplicate { get; init; }

    /// <summary>{0}: the option without a value.</summary>
    public required string AlertsMissingValue { get; init; }

    /// <summary>{0}: the age as typed.</summary>
    public required string AlertsBadAge { get; init; }

    /// <summary>{0}: the page as typed; {1}: the highest page accepted.</summary>
    public required string AlertsBadPage { get; init; }

    /// <summary>{0}: the type as typed.</summary>
    public required string AlertsBadType { get; init; }

    // Problems.
    public required string NotFoundTitle { get; init; }

    /// <summary>{0}: what was searched for.</summary>
    public required string CustomerNotFound { get; init; }

    /// <summary>{0}: subscription id; {1}: customer.</summary>
    public required string SubscriptionNotFound { get; init; }

    /// <summary>{0}: alert id.</summary>
    public required string AlertNotFound { get; init; }

    public required string NeedCustomerTitle { get; init; }

    /// <summary>{0}: subscription id.</summary>
    public required string SubscriptionNeedsCustomer { get; init; }

    public required string BusyTitle { get; init; }

    /// <summary>{0}: how long to wait.</summary>
    public required string PartnerCenterBusy { get; init; }

    public required string UnavailableTitle { get; init; }

    /// <summary>{0}: how long to wait.</summary>
    public required string PartnerCenterUnavailable { get; init; }

    /// <summary>{0}: the HTTP status.</summary>
    public required string PartnerCenterRefused { get; init; }

    public required string GraphBusyTitle { get; init; }

    /// <summary>{0}: how long to wait.</summary>
    public required string GraphBusy { get; init; }

    /// <summary>{0}: how long to wait.</summary>
    public required string GraphUnavailable { get; init; }

    /// <summary>{0}: the service (Partner Center, Microsoft Graph).</summary>
    public required string NotConfiguredTitle { get; init; }

    /// <summary>{0}: the service; {1}: the settings that set it up.</summary>
    public required string NotConfigured { get; init; }

    public required string ProfileNotAllowedTitle { get; init; }

    /// <summary>{0}: the HTTP status.</summary>
    public required string ProfileNotAllowed { get; init; }

    public required string ProfileNeedsGrantTitle { get; init; }

    /// <summary>{0}: why the grant is unusable (one of the Grant* texts); {1}: the consent path.</summary>
    public required string ProfileNeedsGrant { get; init; }

    public required string GrantNotConsented { get; init; }

    public required string GrantMissing { get; init; }

    public required string GrantExpired { get; init; }

    public required string GrantUnreadable { get; init; }

    /// <summary>{0}: Partner Center's MS-RequestId / MS-CorrelationId.</summary>
    public required string RequestIds { get; init; }

    /// <summary>{0}: seconds.</summary>
    public required string DurationSeconds { get; init; }

    /// <summary>{0}: minutes.</summary>
    public required string DurationMinutes { get; init; }

    /// <summary>{0}: hours.</summary>
    public required string DurationHours { get; init; }

    /// <summary>{0}: days.</summary>
    public required string DurationDays { get; init; }

    // Customer.
    public required string CustomerTitle { get; init; }

    public required string CompanyLabel { get; init; }

    public required string DomainLabel { get; init; }

    public required string TenantLabel { get; init; }

    public required string RelationshipLabel { get; init; }

    public required string DelegatedAccessLabel { get; init; }

    public required string IndirectResellerLabel { get; init; }

    public required string NoIndirectReseller { get; init; }

    public required string RelationshipReseller { get; init; }

    public required string RelationshipAdvisor { get; init; }

    public required string RelationshipSyndication { get; init; }

    public required string RelationshipMicrosoftSupport { get; init; }

    public required string RelationshipNone { get; init; }

    /// <summary>{0}: how many.</summary>
    public required string OpenAlertsTitle { get; init; }

    public required string NoOpenAlerts { get; init; }

    public required string OpenAlertsUnavailable { get; init; }

    /// <summary>{0}: how many more.</summary>
    public required string AndMore { get; init; }

    public required string ActionListAlerts { get; init; }

    public required string ActionResellers { get; init; }

    public required string LinkPartnerCenter { get; init; }

    public required string LinkAzurePortal { get; init; }

    // Choice.
    /// <summary>{0}: what was typed.</summary>
    public required string ChoiceTitle { get; init; }

    public required string ChoiceIntro { get; init; }

    /// <summary>{0}: how many are shown.</summary>
    public required string ChoiceTruncated { get; init; }

    public required string ChoiceButton { get; init; }

    // Subscription.
    public required string SubscriptionTitle { get; init; }

    public required string NameLabel { get; init; }

    public required string OfferLabel { get; init; }

    public required string StatusLabel { get; init; }

    public required string QuantityLabel { get; init; }

    public required string BillingLabel { get; init; }

    public required string CreatedLabel { get; init; }

    public required string StartLabel { get; init; }

    public required string CommitmentEndLabel { get; init; }

    public required string AutoRenewLabel { get; init; }

    public required string SubscriptionIdLabel { get; init; }

    public required string CustomerLabel { get; init; }

    /// <summary>{0}: how many.</summary>
    public required string AzureSubscriptionsTitle { get; init; }

    public required string NoAzureSubscriptions { get; init; }

    /// <summary>{0}: the Azure subscription id asked for.</summary>
    public required string AskedAzureSubscription { get; init; }

    public required string SubscriptionActive { get; init; }

    public required string SubscriptionSuspended { get; init; }

    public required string SubscriptionDeleted { get; init; }

    // Resellers.
    /// <summary>{0}: the customer.</summary>
    public required string ResellersTitle { get; init; }

    /// <summary>{0}: the customer.</summary>
    public required string NoResellers { get; init; }

    public required string MpnIdLabel { get; init; }

    public required string StateLabel { get; init; }

    public required string RelationshipTypeLabel { get; init; }

    public required string IndirectResellerOf { get; init; }

    public required string IndirectProviderOf { get; init; }

    public required string AssociatedPartnerLabel { get; init; }

    public required string AssociatedMarker { get; init; }

    // Profile.
    public required string ProfileTitle { get; init; }

    public required string EmailLabel { get; init; }

    public required string LanguageLabel { get; init; }

    public required string AddressLabel { get; init; }

    // Alert history.
    public required string HistoryTitle { get; init; }

    public required string HistoryEmpty { get; init; }

    /// <summary>{0}: status before; {1}: status after; {2}: who.</summary>
    public required string HistoryStatusChange { get; init; }

    /// <summary>{0}: action; {1}: who; {2}: outcome.</summary>
    public required string HistoryBotAction { get; init; }

    /// <summary>{0}: the comment.</summary>
    public required string HistoryComment { get; init; }

    public required string HistorySourceGraph { get; init; }

    public required string HistorySourceBot { get; init; }

    /// <summary>The bot's cancellation of an Azure subscription, in the history.</summary>
    public required string HistoryCancelSubscription { get; init; }

    public required string HistoryApplied { get; init; }

    public required string HistoryGraphFailed { get; init; }

    public required string HistoryAccepted { get; init; }

    /// <summary>The outcome of what the bot records alone (a checklist tick).</summary>
    public required string HistoryRecorded { get; init; }

    /// <summary>{0}: Partner Center's status and code, or <see cref="HistoryNoAnswer"/>.</summary>
    public required string HistoryPartnerCenterFailed { get; init; }

    public required string HistoryNoAnswer { get; init; }

    public required string HistoryAuditUnavailable { get; init; }

    // Alert list.
    public required string ListTitle { get; init; }

    /// <summary>{0}: the filters, joined.</summary>
    public required string ListFilters { get; init; }

    public required string ListStatusOpen { get; init; }

    public required string ListStatusActive { get; init; }

    public required string ListStatusInvestigating { get; init; }

    public required string ListStatusAll { get; init; }

    /// <summary>{0}: customer.</summary>
    public required string ListFilterCustomer { get; init; }

    /// <summary>{0}: type.</summary>
    public required string ListFilterType { get; init; }

    /// <summary>{0}: age.</summary>
    public required string ListFilterOlder { get; init; }

    /// <summary>{0}: total; {1}: page; {2}: pages.</summary>
    public required string ListCount { get; init; }

    public required string ListEmpty { get; init; }

    /// <summary>{0}: page asked; {1}: pages.</summary>
    public required string ListPastEnd { get; init; }

    /// <summary>{0}: next page; {1}: pages.</summary>
    public required string ListNextPage { get; init; }

    public required string ListDetailsHint { get; init; }

    /// <summary>An audit entry's action in this language: a verdict's name, the cancellation, or the stored word.</summary>
    public string HistoryAction(string action) =>
        Enum.TryParse(action, ignoreCase: true, out Triage.TriageVerdict verdict) && Enum.IsDefined(verdict)
            ? Triage.TriageTexts.For(Language).Verdict(verdict)
            : action == Triage.AuditVocabulary.CancelAzureSubscription ? HistoryCancelSubscription
            : ResponseStepAction(action) ?? action;

    /// <summary>A checklist tick's action in this language ("Response step done: …"), or null when it is none.</summary>
    private string? ResponseStepAction(string action)
    {
        ResponseTexts response = ResponseTexts.For(Language);
        foreach ((string prefix, string format) in new[] { (Triage.AuditVocabulary.ResponseStepDonePrefix, response.HistoryStepDone), (Triage.AuditVocabulary.ResponseStepUndonePrefix, response.HistoryStepUndone) })
        {
            if (action.StartsWith(prefix, StringComparison.Ordinal)
                && Enum.TryParse(action[prefix.Length..], ignoreCase: false, out Triage.ResponseItem item) && Enum.IsDefined(item))
            {
                return response.Format(format, response.Step(item));
            }
        }

        return null;
    }

    /// <summary>An audit entry's outcome in this language, or the stored word when it is not one the bot writes.</summary>
    public string HistoryOutcome(string outcome) => outcome switch
    {
        Triage.AuditVocabulary.Applied => HistoryApplied,
        Triage.AuditVocabulary.GraphFailed => HistoryGraphFailed,
        Triage.AuditVocabulary.Accepted => HistoryAccepted,
        Triage.AuditVocabulary.Recorded => HistoryRecorded,
        _ when outcome.StartsWith(Triage.AuditVocabulary.PartnerCenterFailedPrefix, StringComparison.Ordinal) => Format(
            HistoryPartnerCenterFailed,
            outcome[Triage.AuditVocabulary.PartnerCenterFailedPrefix.Length..] is Triage.AuditVocabulary.NoAnswer or "" ? HistoryNoAnswer : outcome[Triage.AuditVocabulary.PartnerCenterFailedPrefix.Length..]),
        _ => outcome,
    };

    /// <summary>Formats <paramref name="format"/> with this catalog's culture.</summary>
    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    /// <summary>The usage line of a query command.</summary>
    public string Usage(CommandKind kind) => kind switch
    {
        CommandKind.Customer => UsageCustomer,
        CommandKind.Subscription => UsageSubscription,
        CommandKind.Reseller => UsageReseller,
        CommandKind.Alert => UsageAlert,
        CommandKind.Support => UsageSupport,
        CommandKind.Alerts => UsageAlerts,
        _ => UsageAlerts,
    };

    /// <summary>Partner Center's <c>relationshipToPartner</c> in words; an unknown value is shown as it is.</summary>
    public string Relationship(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => Unknown,
        "RESELLER" => RelationshipReseller,
        "ADVISOR" => RelationshipAdvisor,
        "SYNDICATION" => RelationshipSyndication,
        "MICROSOFT_SUPPORT" => RelationshipMicrosoftSupport,
        "NONE" => RelationshipNone,
        _ => value.Trim(),
    };

    /// <summary>A partner relationship type in words; an unknown value is shown as it is.</summary>
    public string RelationshipType(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => Unknown,
        "ISINDIRECTRESELLEROF" => IndirectResellerOf,
        "ISINDIRECTCLOUDSOLUTIONPROVIDEROF" => IndirectProviderOf,
        _ => value.Trim(),
    };

    /// <summary>A subscription status in words; an unknown value is shown as it is.</summary>
    public string SubscriptionStatus(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => Unknown,
        "ACTIVE" => SubscriptionActive,
        "SUSPENDED" => SubscriptionSuspended,
        "DELETED" => SubscriptionDeleted,
        _ => value.Trim(),
    };

    /// <summary>A wait or an age, rounded up: seconds under 2 minutes, minutes under 2 hours, hours under 2 days, then days.</summary>
    public string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMinutes(2))
        {
            return Format(DurationSeconds, Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds)));
        }

        if (duration < TimeSpan.FromHours(2))
        {
            return Format(DurationMinutes, (int)Math.Ceiling(duration.TotalMinutes));
        }

        return duration >= TimeSpan.FromDays(2)
            ? Format(DurationDays, (int)Math.Ceiling(duration.TotalDays))
            : Format(DurationHours, (int)Math.Ceiling(duration.TotalHours));
    }

    /// <summary>English.</summary>
    public static QueryTexts En { get; } = new()
    {
        Language = "en",
        Unknown = "unknown",
        Yes = "Yes",
        No = "No",
        UsageTitle = "How to use this command",
        UsageCustomer = "customer <tenant id | domain | name>, e.g. customer contoso.onmicrosoft.com or customer Contoso",
        UsageSubscription = "subscription <subscription id> [customer], e.g. subscription 9e8d7c6b-… contoso.onmicrosoft.com",
        UsageReseller = "reseller <customer>, e.g. reseller Contoso",
        UsageAlert = "alert <alert id>, e.g. alert 0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10",
        UsageSupport = "support <alert id>, e.g. support 0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10",
        UsageAlerts = "alerts [open | active | investigating | all] [customer X] [type Y] [older than 24h | 3d] [page N]",
        InputMissing = "Something is missing after the command.",
        InputTooLong = "That is {0} characters long; I accept at most {1}.",
        InputInvalidCharacters = "The text contains characters I don't accept here ({0}). Use letters, digits, spaces and . - _ & ' , ( ) @ only.",
        AlertsUnknownWord = "I don't understand \"{0}\" here.",
        AlertsDuplicate = "\"{0}\" was given twice.",
        AlertsMissingValue = "\"{0}\" needs a value after it.",
        AlertsBadAge = "\"{0}\" is not an age I understand: use hours or days, e.g. 24h or 3d (at most 365 days).",
        AlertsBadPage = "\"{0}\" is not a page number from 1 to {1}.",
        AlertsBadType = "\"{0}\" is not an alert type: use letters, digits, _ and - (at most 64).",
        NotFoundTitle = "Not found",
        CustomerNotFound = "No customer matches \"{0}\" (by tenant id, domain, or the beginning of the company name).",
        SubscriptionNotFound = "{1} has no subscription \"{0}\": it is neither a Partner Center subscription nor an Azure subscription under its Azure plan.",
        AlertNotFound = "There is no partner security alert \"{0}\".",
        NeedCustomerTitle = "Whose subscription is it?",
        SubscriptionNeedsCustomer = "No open alert names subscription \"{0}\", so I can't tell which customer it belongs to. Add the customer: subscription {0} <customer>.",
        BusyTitle = "Partner Center is busy",
        PartnerCenterBusy = "Partner Center is limiting how often the bot may ask right now. Please try again in {0}.",
        UnavailableTitle = "Partner Center is unavailable",
        PartnerCenterUnavailable = "Partner Center did not answer properly. Please try again in {0}.",
        PartnerCenterRefused = "Partner Center refused the bot's request (HTTP {0}). An admin should check the bot's Partner Center permissions.",
        GraphBusyTitle = "Microsoft Graph is busy or unavailable",
        GraphBusy = "Microsoft Graph is limiting how often the bot may ask for alerts. Please try again in {0}.",
        GraphUnavailable = "Microsoft Graph did not answer properly when asked for alerts. Please try again in {0}.",
        NotConfiguredTitle = "{0} is not set up on this deployment",
        NotConfigured = "This deployment of the bot has no credentials for {0}, so it was not asked. The bot's admin sets {1} (docs/configuration.md).",
        ProfileNotAllowedTitle = "Partner Center refused the organization profile",
        ProfileNotAllowed = "Partner Center shows the organization profile only to an app acting for a signed-in partner user (App+User), and it refused the bot acting for the partner admin who granted access (HTTP {0}). That admin needs a Partner Center role that may read the profile (e.g. Admin Agent) and an MFA sign-in when granting. Meanwhile see it in Partner Center under Account settings → Organization profile.",
        ProfileNeedsGrantTitle = "The organization profile needs a partner admin's grant",
        ProfileNeedsGrant = "Partner Center shows the organization profile only to an app acting for a signed-in partner user (App+User): {0}. A partner admin named in Graph:Delegated:AllowedAdminObjectIds (with Graph:Delegated:Enabled on) opens {1} on the bot's address once and signs in with MFA; the same grant serves Microsoft Graph.",
        GrantNotConsented = "no partner admin has granted the bot that access yet",
        GrantMissing = "the stored grant is gone (the token store was emptied)",
        GrantExpired = "Entra ID no longer accepts the stored grant (it expired or was revoked)",
        GrantUnreadable = "the stored grant cannot be decrypted on this instance (the Data Protection key ring is not shared)",
        RequestIds = "For Partner Center support: {0}",
        DurationSeconds = "{0} seconds",
        DurationMinutes = "{0} minutes",
        DurationHours = "{0} hours",
        DurationDays = "{0} days",
        CustomerTitle = "Customer",
        CompanyLabel = "Company",
        DomainLabel = "Domain",
        TenantLabel = "Tenant id",
        RelationshipLabel = "Relationship",
        DelegatedAccessLabel = "Delegated admin access",
        IndirectResellerLabel = "Indirect reseller",
        NoIndirectReseller = "None (bought directly)",
        RelationshipReseller = "Reseller",
        RelationshipAdvisor = "Advisor",
        RelationshipSyndication = "Syndication",
        RelationshipMicrosoftSupport = "Microsoft support",
        RelationshipNone = "None",
        OpenAlertsTitle = "Open alerts ({0})",
        NoOpenAlerts = "No open alerts.",
        OpenAlertsUnavailable = "The open alerts could not be read from Microsoft Graph right now.",
        AndMore = "…and {0} more.",
        ActionListAlerts = "List its alerts",
        ActionResellers = "Resellers",
        LinkPartnerCenter = "Open in Partner Center",
        LinkAzurePortal = "Open in the Azure portal",
        ChoiceTitle = "Several customers match \"{0}\"",
        ChoiceIntro = "Pick one, or type the command again with its tenant id or domain.",
        ChoiceTruncated = "Only the first {0} are shown; type more of the name to narrow it down.",
        ChoiceButton = "Show",
        SubscriptionTitle = "Subscription",
        NameLabel = "Name",
        OfferLabel = "Offer",
        StatusLabel = "Status",
        QuantityLabel = "Quantity",
        BillingLabel = "Billing",
        CreatedLabel = "Created",
        StartLabel = "Started",
        CommitmentEndLabel = "Commitment ends",
        AutoRenewLabel = "Auto-renew",
        SubscriptionIdLabel = "Subscription id",
        CustomerLabel = "Customer",
        AzureSubscriptionsTitle = "Azure subscriptions under this plan ({0})",
        NoAzureSubscriptions = "No Azure subscriptions under this plan.",
        AskedAzureSubscription = "{0} is an Azure subscription under this Azure plan.",
        SubscriptionActive = "Active",
        SubscriptionSuspended = "Suspended",
        SubscriptionDeleted = "Deleted",
        ResellersTitle = "Indirect resellers of {0}",
        NoResellers = "{0} has no indirect reseller: it buys directly from you.",
        MpnIdLabel = "Partner ID (MPN)",
        StateLabel = "State",
        RelationshipTypeLabel = "Relationship",
        IndirectResellerOf = "Indirect reseller of the customer",
        IndirectProviderOf = "Indirect provider of the customer",
        AssociatedPartnerLabel = "Associated partner (customer record)",
        AssociatedMarker = "associated partner",
        ProfileTitle = "Partner organization profile",
        EmailLabel = "Email",
        LanguageLabel = "Language",
        AddressLabel = "Address",
        HistoryTitle = "History",
        HistoryEmpty = "No status changes recorded yet.",
        HistoryStatusChange = "{0} → {1} by {2}",
        HistoryBotAction = "{0} by {1}: {2}",
        HistoryComment = "Comment: {0}",
        HistorySourceGraph = "Microsoft",
        HistorySourceBot = "Bot",
        HistoryCancelSubscription = "Azure subscription cancelled",
        HistoryApplied = "recorded in Microsoft's system",
        HistoryGraphFailed = "Microsoft's system did not record it",
        HistoryAccepted = "accepted by Partner Center",
        HistoryRecorded = "recorded in the bot",
        HistoryPartnerCenterFailed = "Partner Center did not do it ({0})",
        HistoryNoAnswer = "no answer",
        HistoryAuditUnavailable = "The bot's own audit trail could not be read right now.",
        ListTitle = "Partner security alerts",
        ListFilters = "Showing: {0}",
        ListStatusOpen = "open (active or investigating)",
        ListStatusActive = "active",
        ListStatusInvestigating = "investigating",
        ListStatusAll = "any status",
        ListFilterCustomer = "customer {0}",
        ListFilterType = "type contains \"{0}\"",
        ListFilterOlder = "older than {0}",
        ListCount = "{0} alerts · page {1} of {2}",
        ListEmpty = "No alert matches.",
        ListPastEnd = "Page {0} is past the end: there are {1} pages.",
        ListNextPage = "Next page ({0}/{1})",
        ListDetailsHint = "Type alert <id> for an alert's card and history.",
    };

    /// <summary>Japanese.</summary>
    public static QueryTexts Ja { get; } = new()
    {
        Language = "ja",
        Unknown = "不明",
        Yes = "はい",
        No = "いいえ",
        UsageTitle = "コマンドの使い方",
        UsageCustomer = "顧客 <テナント ID | ドメイン | 名前> 例: 顧客 contoso.onmicrosoft.com、顧客 Contoso",
        UsageSubscription = "サブスクリプション <サブスクリプション ID> [顧客] 例: サブスクリプション 9e8d7c6b-… contoso.onmicrosoft.com",
        UsageReseller = "リセラー <顧客> 例: リセラー Contoso",
        UsageAlert = "アラート <アラート ID> 例: アラート 0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10",
        UsageSupport = "サポート <アラート ID> 例: サポート 0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10",
        UsageAlerts = "アラート一覧 [未対応 | アクティブ | 調査中 | すべて] [顧客 X] [種類 Y] [24時間以上 | 3日以上] [ページ N]",
        InputMissing = "コマンドの後に必要な指定がありません。",
        InputTooLong = "{0} 文字は長すぎます。{1} 文字以内で指定してください。",
        InputInvalidCharacters = "ここでは使えない文字が含まれています ({0})。文字、数字、空白と . - _ & ' , ( ) @ だけを使ってください。",
        AlertsUnknownWord = "「{0}」はここでは理解できません。",
        AlertsDuplicate = "「{0}」が 2 回指定されています。",
        AlertsMissingValue = "「{0}」の後に値を指定してください。",
        AlertsBadAge = "「{0}」は経過時間として理解できません。時間か日で指定してください (例: 24時間以上、3日以上、24h。最大 365 日)。",
        AlertsBadPage = "「{0}」は 1 から {1} までのページ番号ではありません。",
        AlertsBadType = "「{0}」はアラートの種類として使えません。英字、数字、_ と - で 64 文字以内にしてください。",
        NotFoundTitle = "見つかりません",
        CustomerNotFound = "「{0}」に一致する顧客はいません (テナント ID、ドメイン、会社名の先頭で検索します)。",
        SubscriptionNotFound = "{1} にサブスクリプション「{0}」はありません。Partner Center のサブスクリプションでも、Azure プラン配下の Azure サブスクリプションでもありません。",
        AlertNotFound = "パートナー セキュリティ アラート「{0}」はありません。",
        NeedCustomerTitle = "どの顧客のサブスクリプションですか?",
        SubscriptionNeedsCustomer = "サブスクリプション「{0}」を含む未対応のアラートがないため、顧客が分かりません。顧客を追加してください: サブスクリプション {0} <顧客>",
        BusyTitle = "Partner Center が混み合っています",
        PartnerCenterBusy = "Partner Center が現在ボットからの要求を制限しています。{0}後にもう一度お試しください。",
        UnavailableTitle = "Partner Center を利用できません",
        PartnerCenterUnavailable = "Partner Center から正常な応答がありませんでした。{0}後にもう一度お試しください。",
        PartnerCenterRefused = "Partner Center がボットの要求を拒否しました (HTTP {0})。管理者はボットの Partner Center のアクセス許可を確認してください。",
        GraphBusyTitle = "Microsoft Graph が混み合っているか利用できません",
        GraphBusy = "Microsoft Graph が現在アラートの取得を制限しています。{0}後にもう一度お試しください。",
        GraphUnavailable = "アラートの取得時に Microsoft Graph から正常な応答がありませんでした。{0}後にもう一度お試しください。",
        NotConfiguredTitle = "このデプロイでは {0} が設定されていません",
        NotConfigured = "このデプロイのボットには {0} の資格情報がないため、問い合わせていません。ボットの管理者が {1} を設定します (docs/configuration.md)。",
        ProfileNotAllowedTitle = "Partner Center が組織プロファイルを拒否しました",
        ProfileNotAllowed = "Partner Center は、サインインしたパートナー ユーザーの代理で動くアプリ (App+User) にだけ組織プロファイルを返します。アクセスを許可したパートナー管理者の代理で動くボットが拒否されました (HTTP {0})。その管理者には組織プロファイルを読める Partner Center のロール (管理エージェントなど) と、許可時の MFA サインインが必要です。それまでは Partner Center の [アカウント設定] → [組織プロファイル] で確認してください。",
        ProfileNeedsGrantTitle = "組織プロファイルにはパートナー管理者の許可が必要です",
        ProfileNeedsGrant = "Partner Center は、サインインしたパートナー ユーザーの代理で動くアプリ (App+User) にだけ組織プロファイルを返します: {0}。Graph:Delegated:AllowedAdminObjectIds に載っているパートナー管理者が (Graph:Delegated:Enabled を有効にして) ボットのアドレスの {1} を一度開き、MFA でサインインしてください。同じ許可が Microsoft Graph にも使われます。",
        GrantNotConsented = "まだどのパートナー管理者もボットにそのアクセスを許可していません",
        GrantMissing = "保存されていた許可がなくなっています (トークンの保存先が空になりました)",
        GrantExpired = "保存されている許可を Entra ID が受け付けなくなりました (期限切れか取り消し)",
        GrantUnreadable = "このインスタンスでは保存されている許可を復号できません (Data Protection のキー リングが共有されていません)",
        RequestIds = "Partner Center サポート向け: {0}",
        DurationSeconds = "{0} 秒",
        DurationMinutes = "{0} 分",
        DurationHours = "{0} 時間",
        DurationDays = "{0} 日",
        CustomerTitle = "顧客",
        CompanyLabel = "会社名",
        DomainLabel = "ドメイン",
        TenantLabel = "テナント ID",
        RelationshipLabel = "関係",
        DelegatedAccessLabel = "委任された管理者アクセス",
        IndirectResellerLabel = "間接リセラー",
        NoIndirectReseller = "なし (直接購入)",
        RelationshipReseller = "リセラー",
        RelationshipAdvisor = "アドバイザー",
        RelationshipSyndication = "シンジケーション",
        RelationshipMicrosoftSupport = "Microsoft サポート",
        RelationshipNone = "なし",
        OpenAlertsTitle = "未対応のアラート ({0} 件)",
        NoOpenAlerts = "未対応のアラートはありません。",
        OpenAlertsUnavailable = "現在 Microsoft Graph から未対応のアラートを取得できません。",
        AndMore = "…ほか {0} 件。",
        ActionListAlerts = "アラート一覧",
        ActionResellers = "リセラー",
        LinkPartnerCenter = "Partner Center で開く",
        LinkAzurePortal = "Azure portal で開く",
        ChoiceTitle = "「{0}」に一致する顧客が複数あります",
        ChoiceIntro = "1 つ選ぶか、テナント ID かドメインを指定してもう一度入力してください。",
        ChoiceTruncated = "最初の {0} 件だけを表示しています。名前をもう少し長く入力して絞り込んでください。",
        ChoiceButton = "表示",
        SubscriptionTitle = "サブスクリプション",
        NameLabel = "名前",
        OfferLabel = "オファー",
        StatusLabel = "状態",
        QuantityLabel = "数量",
        BillingLabel = "課金",
        CreatedLabel = "作成日",
        StartLabel = "開始日",
        CommitmentEndLabel = "契約終了日",
        AutoRenewLabel = "自動更新",
        SubscriptionIdLabel = "サブスクリプション ID",
        CustomerLabel = "顧客",
        AzureSubscriptionsTitle = "このプランの Azure サブスクリプション ({0} 件)",
        NoAzureSubscriptions = "このプランに Azure サブスクリプションはありません。",
        AskedAzureSubscription = "{0} はこの Azure プラン配下の Azure サブスクリプションです。",
        SubscriptionActive = "有効",
        SubscriptionSuspended = "一時停止",
        SubscriptionDeleted = "削除済み",
        ResellersTitle = "{0} の間接リセラー",
        NoResellers = "{0} に間接リセラーはいません (直接購入しています)。",
        MpnIdLabel = "パートナー ID (MPN)",
        StateLabel = "状態",
        RelationshipTypeLabel = "関係",
        IndirectResellerOf = "顧客の間接リセラー",
        IndirectProviderOf = "顧客の間接プロバイダー",
        AssociatedPartnerLabel = "関連付けられたパートナー (顧客レコード)",
        AssociatedMarker = "関連付けられたパートナー",
        ProfileTitle = "パートナーの組織プロファイル",
        EmailLabel = "メール",
        LanguageLabel = "言語",
        AddressLabel = "住所",
        HistoryTitle = "履歴",
        HistoryEmpty = "状態の変更はまだ記録されていません。",
        HistoryStatusChange = "{0} → {1} ({2})",
        HistoryBotAction = "{0} ({1}): {2}",
        HistoryComment = "コメント: {0}",
        HistorySourceGraph = "Microsoft",
        HistorySourceBot = "ボット",
        HistoryCancelSubscription = "Azure サブスクリプションの取り消し",
        HistoryApplied = "Microsoft のシステムに記録済み",
        HistoryGraphFailed = "Microsoft のシステムに記録できませんでした",
        HistoryAccepted = "Partner Center が受け付けました",
        HistoryRecorded = "ボットに記録済み",
        HistoryPartnerCenterFailed = "Partner Center で実行されませんでした ({0})",
        HistoryNoAnswer = "応答なし",
        HistoryAuditUnavailable = "現在ボットの監査記録を読み取れません。",
        ListTitle = "パートナー セキュリティ アラート",
        ListFilters = "表示中: {0}",
        ListStatusOpen = "未対応 (アクティブまたは調査中)",
        ListStatusActive = "アクティブ",
        ListStatusInvestigating = "調査中",
        ListStatusAll = "すべての状態",
        ListFilterCustomer = "顧客 {0}",
        ListFilterType = "種類に「{0}」を含む",
        ListFilterOlder = "{0}以上前",
        ListCount = "{0} 件 · {1} / {2} ページ",
        ListEmpty = "一致するアラートはありません。",
        ListPastEnd = "{0} ページはありません。全部で {1} ページです。",
        ListNextPage = "次のページ ({0}/{1})",
        ListDetailsHint = "「アラート <ID>」と入力すると、アラートのカードと履歴を表示します。",
    };

    /// <summary>All catalogs.</summary>
    public static IReadOnlyList<QueryTexts> All { get; } = [En, Ja];

    /// <summary>The catalog for a language tag or locale (<c>ja</c>, <c>ja-JP</c> → Japanese); English otherwise.</summary>
    public static QueryTexts For(string? language) =>
        language is not null && language.Split('-', '_')[0].Equals("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;
}
