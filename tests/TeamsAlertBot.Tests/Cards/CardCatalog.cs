using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Cards;

/// <summary>
/// Every card the bot can send, in every language, under a stable name. A new builder in
/// <see cref="BotCards"/> must be added here; <c>Catalog_EveryBotCardsBuilder_IsCovered</c> fails until it is.
/// </summary>
internal static class CardCatalog
{
    private static readonly DateTimeOffset SubscribedAt = new(2026, 11, 28, 9, 5, 0, TimeSpan.Zero);

    public static IReadOnlyDictionary<string, AdaptiveCard> All { get; } = Build();

    private static Dictionary<string, AdaptiveCard> Build()
    {
        var cards = new Dictionary<string, AdaptiveCard>(StringComparer.Ordinal);
        foreach (BotTexts texts in BotTexts.All)
        {
            string lang = texts.Language;
            cards[$"{nameof(BotCards.Help)}.{lang}"] = BotCards.Help(texts);

            cards[$"{nameof(BotCards.Status)}.subscribed-healthy.{lang}"] = BotCards.Status(texts, Report(subscribed: true, healthy: true));
            cards[$"{nameof(BotCards.Status)}.subscribed-unhealthy.{lang}"] = BotCards.Status(texts, Report(subscribed: true, healthy: false));
            cards[$"{nameof(BotCards.Status)}.unsubscribed-healthy.{lang}"] = BotCards.Status(texts, Report(subscribed: false, healthy: true));
            cards[$"{nameof(BotCards.Status)}.unsubscribed-unhealthy.{lang}"] = BotCards.Status(texts, Report(subscribed: false, healthy: false));
            cards[$"{nameof(BotCards.Status)}.subscribed-by-unknown.{lang}"] = BotCards.Status(
                texts, Report(subscribed: true, healthy: true) with { SubscribedBy = null, SubscribedAt = null });
            cards[$"{nameof(BotCards.Status)}.operator.{lang}"] = BotCards.Status(
                texts, Report(subscribed: true, healthy: true) with { Operator = StatusCardTests.Operations(SubscribedAt) });

            cards[$"{nameof(BotCards.Error)}.unknown-action.{lang}"] = BotCards.Error(texts, texts.Format(texts.UnknownAction, "alert.frobnicate"));
            cards[$"{nameof(BotCards.Error)}.storage-unavailable.{lang}"] = BotCards.Error(texts, texts.StorageUnavailable);
        }

        AlertCardSamples.AddTo(cards);
        Triage.TriageCardsTests.AddTo(cards);
        Triage.MitigationCardsTests.AddTo(cards);
        Triage.BulkCardsTests.AddTo(cards);
        StormOverviewCardsTests.AddTo(cards);
        Triage.ResponseCardsTests.AddTo(cards);
        Digest.DigestCardsTests.AddTo(cards);
        Queries.QueryCardsTests.AddTo(cards);
        return cards;
    }

    private static StatusReport Report(bool subscribed, bool healthy) => new(
        ConversationName: "Security Operations > General",
        Subscribed: subscribed,
        SubscribedBy: subscribed ? "Aiko Tanaka" : null,
        SubscribedAt: subscribed ? SubscribedAt : null,
        StorageKind: "Redis",
        StorageHealthy: healthy,
        StorageRoundTrip: healthy ? TimeSpan.FromMilliseconds(1.234) : TimeSpan.Zero,
        SubscribedConversations: subscribed ? 3 : 0);
}
