using System.Globalization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>Texts of the storm card, per language (the same complete-catalog rule as <see cref="Localization.BotTexts"/>).</summary>
public sealed record StormTexts
{
    public required string Language { get; init; }

    /// <summary>{0}: the customer.</summary>
    public required string Title { get; init; }

    /// <summary>{0}: more than this many alerts; {1}: within this many minutes.</summary>
    public required string Explanation { get; init; }

    /// <summary>{0}: when the storm started (local time).</summary>
    public required string Started { get; init; }

    public static StormTexts En { get; } = new()
    {
        Language = "en",
        Title = "Alert storm: {0}",
        Explanation = "More than {0} new alerts for this customer arrived within {1} minutes. To keep the channel readable, further alerts for this customer are posted as replies in this thread, most severe first.",
        Started = "Started {0:yyyy-MM-dd HH:mm}",
    };

    public static StormTexts Ja { get; } = new()
    {
        Language = "ja",
        Title = "アラートの集中発生: {0}",
        Explanation = "この顧客について {1} 分以内に {0} 件を超える新しいアラートが届きました。チャネルを読みやすく保つため、この顧客の以降のアラートはこのスレッドに返信として、重大度の高い順に投稿します。",
        Started = "開始 {0:yyyy-MM-dd HH:mm}",
    };

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static StormTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;

    public string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.GetCultureInfo(Language), format, args);
}

/// <summary>The root card of a customer's alert storm; the storm's alerts are threaded under it.</summary>
public static class StormCards
{
    /// <summary>The element id that marks the storm root of a customer (read back through Graph).</summary>
    public static string MarkerId(string customerTenantId) => "tab-storm-" + customerTenantId;

    /// <summary>Builds the storm root card.</summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="customerTenantId">The customer's tenant (marks the card).</param>
    /// <param name="customer">The customer's name to show.</param>
    /// <param name="threshold">Alerts that make a storm.</param>
    /// <param name="window">Within this window.</param>
    /// <param name="now">When the storm started.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    /// <param name="extra">More sections under the heading (e.g. a bulk run's progress).</param>
    /// <param name="actions">The card's buttons (e.g. bulk triage).</param>
    public static AdaptiveCard Root(
        StormTexts texts, string customerTenantId, string customer, int threshold, TimeSpan window, DateTimeOffset now, TimeZoneInfo timeZone,
        IReadOnlyList<CardElement>? extra = null, IReadOnlyList<CardAction>? actions = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(timeZone);
        // A heading must be a TextBlock, which reads markdown: the customer's name is escaped.
        string title = texts.Format(texts.Title, MarkdownText.Escape(customer));
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.Format(texts.Title, customer),
            Body =
            [
                new Container([
                    new TextBlock(title) { Size = "large", Weight = "bolder", Style = "heading", Color = "attention" },
                    new TextBlock(texts.Format(texts.Explanation, threshold, (int)window.TotalMinutes)),
                    new TextBlock(texts.Format(texts.Started, TimeZoneInfo.ConvertTime(now, timeZone).DateTime)) { IsSubtle = true, Size = "small" },
                ]) { Style = "attention", Id = MarkerId(customerTenantId) },
                .. extra ?? [],
            ],
            Actions = actions is { Count: > 0 } ? actions : null,
        };
    }
}
