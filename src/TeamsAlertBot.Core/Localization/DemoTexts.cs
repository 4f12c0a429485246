namespace TeamsAlertBot.Core.Localization;

/// <summary>
/// Texts of the embedded demo tenant (Demo:Enabled), per language (the same complete-catalog rule as
/// <see cref="BotTexts"/>: a missing text does not compile).
/// </summary>
public sealed record DemoTexts
{
    public required string Language { get; init; }

    /// <summary>The marker at the top of every card while the demo tenant serves the data.</summary>
    public required string Marker { get; init; }

    public static DemoTexts En { get; } = new()
    {
        Language = "en",
        Marker = "DEMO DATA — made-up alerts, customers and subscriptions from the bot's embedded demo tenant (Demo:Enabled). Nothing here is real.",
    };

    public static DemoTexts Ja { get; } = new()
    {
        Language = "ja",
        Marker = "デモデータ — ボットに組み込まれたデモテナントの架空のアラート・顧客・サブスクリプションです (Demo:Enabled)。実在のデータではありません。",
    };

    /// <summary>All catalogs.</summary>
    public static IReadOnlyList<DemoTexts> All { get; } = [En, Ja];

    /// <summary>The catalog for a language tag (en, ja); English otherwise.</summary>
    public static DemoTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
            && (language.Length == 2 || language[2] is '-' or '_')
            ? Ja
            : En;
}
