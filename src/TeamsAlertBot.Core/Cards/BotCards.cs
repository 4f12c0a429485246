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
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.StatusTitle,
            Body =
            [
                new TextBlock(texts.StatusTitle) { Size = "large", Weight = "bolder", Style = "heading" },
                AlertCards.Row(texts.StatusConversation, [AlertCards.Plain(new TextRun(report.ConversationName))]),
                AlertCards.Row(texts.StatusSubscription, [AlertCards.Plain(new TextRun(subscription))]),
                AlertCards.Row(texts.StatusStorage, [AlertCards.Plain(new TextRun(storage))]),
                AlertCards.Row(texts.StatusSubscribedChannels, [AlertCards.Plain(new TextRun(report.SubscribedConversations.ToString(System.Globalization.CultureInfo.InvariantCulture)))]),
                AlertCards.Row(texts.StatusDelivery, [AlertCards.Plain(new TextRun(report.Delivery is { } delivery
                    ? texts.Format(texts.StatusDeliveryValue, delivery.Queued, delivery.DeadLetters)
                    : texts.StatusDeliveryOff))]),
            ],
        };
    }

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
        _ => string.Empty,
    };
}
