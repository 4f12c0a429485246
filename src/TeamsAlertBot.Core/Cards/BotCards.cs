using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>What the <c>status</c> card reports.</summary>
public sealed record StatusReport(
    string ConversationName,
    bool Subscribed,
    string? SubscribedBy,
    DateTimeOffset? SubscribedAt,
    string StorageKind,
    bool StorageHealthy,
    TimeSpan StorageRoundTrip,
    int SubscribedConversations)
{
    /// <summary>The zone the subscription time is shown in (the cards' display time zone).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Cards and edits queued and given up on; null when the alert pipeline does not run here.</summary>
    public (long Queued, long DeadLetters)? Delivery { get; init; }

    /// <summary>The operator's rows; null for someone who may not see them (no triage role).</summary>
    public OperatorStatus? Operator { get; init; }
}

/// <summary>Builders of the bot's general cards (help, status, errors).</summary>
public static class BotCards
{
    /// <summary>The <c>help</c> card: every command in both languages, described in the reader's.</summary>
    public static AdaptiveCard Help(BotTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        List<Fact> facts = [.. CommandParser.Catalog.Select(c => new Fact($"{c.Word} / {c.JapaneseWord}", Describe(texts, c.Kind)))];
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.HelpTitle,
            Body =
            [
                new TextBlock(texts.HelpTitle) { Size = "large", Weight = "bolder", Style = "heading" },
                new TextBlock(texts.HelpIntro),
                new FactSet(facts),
                new TextBlock(texts.HelpFooter) { IsSubtle = true, Size = "small" },
            ],
        };
    }

    /// <summary>The <c>status</c> card.</summary>
    public static AdaptiveCard Status(BotTexts texts, StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(report);
        string subscription = report.Subscribed
            ? texts.StatusSubscribedYes + (report.SubscribedBy is null || report.SubscribedAt is null
                ? string.Empty
                : " — " + texts.Format(texts.StatusSubscribedBy, report.SubscribedBy, TimeZoneInfo.ConvertTime(report.SubscribedAt.Value, report.TimeZone)))
            : texts.StatusSubscribedNo;
        string storage = report.StorageHealthy
            ? texts.Format(texts.StatusStorageHealthy, report.StorageKind, Math.Round(report.StorageRoundTrip.TotalMilliseconds, 1))
            : texts.Format(texts.StatusStorageUnhealthy, report.StorageKind);
        // Label/value rows rather than a FactSet: fact values are markdown, and the conversation's and
        // the subscriber's names are whatever someone called them.
        List<CardElement> body =
        [
            new TextBlock(texts.StatusTitle) { Size = "large", Weight = "bolder", Style = "heading" },
            Row(texts.StatusConversation, report.ConversationName),
            Row(texts.StatusSubscription, subscription),
            Row(texts.StatusStorage, storage),
            Row(texts.StatusSubscribedChannels, report.SubscribedConversations.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Row(texts.StatusDelivery, report.Delivery is { } delivery
                ? texts.Format(texts.StatusDeliveryValue, delivery.Queued, delivery.DeadLetters)
                : texts.StatusDeliveryOff),
        ];
        if (report.Operator is { } ops)
        {
            body.AddRange(OperatorRows(texts, ops, report.TimeZone));
        }

        return new AdaptiveCard { Lang = texts.Language, Speak = texts.StatusTitle, Body = body };
    }

    /// <summary>Why the pipeline is off, in the reader's language, naming the settings.</summary>
    public static string OffReasons(BotTexts texts, IEnumerable<PipelineOffReason> reasons)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(reasons);
        return string.Join(
            texts.Language == "ja" ? "、" : "; ",
            reasons.Select(r => texts.Format(r.TurnedOff ? texts.SettingTurnedOff : texts.SettingNotSet, r.Setting)));
    }

    private static IEnumerable<CardElement> OperatorRows(BotTexts texts, OperatorStatus ops, TimeZoneInfo zone)
    {
        bool runs = ops.PipelineOff.Count == 0;
        yield return Row(texts.StatusPipeline, runs ? texts.StatusPipelineRunning : texts.Format(texts.StatusPipelineOff, OffReasons(texts, ops.PipelineOff)), runs ? null : "warning");
        if (runs)
        {
            yield return Row(texts.StatusPoller, ops.Poller is null
                ? texts.StatusPollerNone
                : ops.PollerIsThisInstance ? texts.Format(texts.StatusPollerThis, ops.Poller) : ops.Poller);
            string lastPoll = ops.LastPoll is { } last
                ? texts.Format(texts.StatusLastPollValue, TimeZoneInfo.ConvertTime(last, zone), Age(texts, ops.Now - last))
                : texts.StatusLastPollNone;
            yield return Row(
                texts.StatusLastPoll,
                ops.PollLate ? lastPoll + " — " + texts.Format(texts.StatusLastPollLate, Age(texts, ops.PollInterval)) : lastPoll,
                ops.PollLate ? "attention" : null);
        }

        yield return ServiceRow(texts, texts.StatusGraph, ops.Graph, ops.Now);
        yield return ServiceRow(texts, texts.StatusPartnerCenter, ops.PartnerCenter, ops.Now);
        yield return RoleRow(texts, texts.StatusTriage, ops.Triage, "Triage:Authorization:TriageGroupId / TriageUserObjectIds");
        yield return RoleRow(texts, texts.StatusMitigation, ops.Mitigation, "Triage:Authorization:MitigationGroupId / MitigationUserObjectIds");
        if (ops.DelegatedGrant is { } grant)
        {
            yield return grant.Username is { } user && grant.ConsentedAt is { } at
                ? Row(texts.StatusDelegated, texts.Format(texts.StatusDelegatedGranted, user, TimeZoneInfo.ConvertTime(at, zone)))
                : Row(texts.StatusDelegated, texts.StatusDelegatedMissing, "warning");
        }
    }

    private static ColumnSet ServiceRow(BotTexts texts, string label, ServiceCallState state, DateTimeOffset now)
    {
        if (state.MissingSettings.Count > 0)
        {
            return Row(label, texts.Format(texts.StatusServiceNotConfigured, string.Join(", ", state.MissingSettings)), "warning");
        }

        List<(DateTimeOffset At, string Text, bool Failed)> seen = [];
        if (state.LastAnswer is { } answer)
        {
            seen.Add((answer.At, texts.Format(texts.StatusServiceAnswered, answer.Status, Age(texts, now - answer.At)), answer.Status is 429 or >= 500 or 401 or 403));
        }

        if (state.LastFailure is { } failure)
        {
            seen.Add((failure.At, texts.Format(texts.StatusServiceFailed, failure.Reason, Age(texts, now - failure.At)), true));
        }

        if (seen.Count == 0)
        {
            return Row(label, texts.StatusServiceNotCalled);
        }

        // Newest first: what the service does now matters more than what it did.
        seen.Sort((a, b) => b.At.CompareTo(a.At));
        return Row(label, string.Join("; ", seen.Select(s => s.Text)), seen[0].Failed ? "attention" : null);
    }

    private static ColumnSet RoleRow(BotTexts texts, string label, RoleHolders holders, string settings)
    {
        if (holders.Nobody)
        {
            return Row(label, texts.Format(texts.StatusRoleNobody, settings), "warning");
        }

        List<string> parts = [];
        if (holders.GroupId is { } group)
        {
            parts.Add(texts.Format(texts.StatusRoleGroup, group));
        }

        if (holders.Users > 0)
        {
            parts.Add(texts.Format(texts.StatusRoleUsers, holders.Users));
        }

        if (holders.EveryoneInDevelopment && parts.Count == 0)
        {
            parts.Add(texts.StatusRoleEveryone);
        }

        return Row(label, string.Join(texts.Language == "ja" ? "、" : ", ", parts));
    }

    private static string Age(BotTexts texts, TimeSpan age)
    {
        double seconds = Math.Max(0, age.TotalSeconds);
        return seconds < 120 ? texts.Format(texts.StatusAgeSeconds, (int)seconds)
            : seconds < 120 * 60 ? texts.Format(texts.StatusAgeMinutes, (int)(seconds / 60))
            : texts.Format(texts.StatusAgeHours, (int)(seconds / 3600));
    }

    private static ColumnSet Row(string label, string value, string? color = null) =>
        AlertCards.Row(label, [AlertCards.Plain(new TextRun(value) { Color = color })]);

    /// <summary>A card that explains why a card action could not be done.</summary>
    public static AdaptiveCard Error(BotTexts texts, string message)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.ActionErrorTitle,
            Body =
            [
                new Container([
                    new TextBlock(texts.ActionErrorTitle) { Weight = "bolder", Color = "attention", Style = "heading" },
                    // The message may name what the user sent (an unknown verb): plain text, never markdown.
                    AlertCards.Plain(new TextRun(message)),
                ]) { Style = "attention" },
            ],
        };
    }

    private static string Describe(BotTexts texts, CommandKind kind) => kind switch
    {
        CommandKind.Help => texts.CommandHelp,
        CommandKind.Subscribe => texts.CommandSubscribe,
        CommandKind.Unsubscribe => texts.CommandUnsubscribe,
        CommandKind.Status => texts.CommandStatus,
        CommandKind.Webhook => texts.CommandWebhook,
        CommandKind.DeadLetters => texts.CommandDeadLetters,
        CommandKind.Customer => texts.CommandCustomer,
        CommandKind.Subscription => texts.CommandSubscription,
        CommandKind.Reseller => texts.CommandReseller,
        CommandKind.Profile => texts.CommandProfile,
        CommandKind.Alert => texts.CommandAlert,
        CommandKind.Alerts => texts.CommandAlerts,
        CommandKind.Summary => texts.CommandSummary,
        CommandKind.Support => texts.CommandSupport,
        _ => string.Empty,
    };
}
