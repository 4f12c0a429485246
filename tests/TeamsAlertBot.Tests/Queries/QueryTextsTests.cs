using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Queries;

/// <summary>The query texts' helpers (completeness and placeholders: <see cref="Localization.TextCatalogTests"/>).</summary>
public sealed class QueryTextsTests
{
    [Theory]
    [InlineData("ja-JP", "ja")]
    [InlineData("ja", "ja")]
    [InlineData("en-US", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData(null, "en")]
    public void For_Locale_Catalog(string? locale, string expected)
    {
        Assert.Equal(expected, QueryTexts.For(locale).Language);
    }

    [Theory]
    [InlineData(1, "1 seconds", "1 秒")]
    [InlineData(30, "30 seconds", "30 秒")]
    [InlineData(90, "90 seconds", "90 秒")]
    [InlineData(600, "10 minutes", "10 分")]
    [InlineData(86400, "24 hours", "24 時間")]
    [InlineData(2 * 86400, "2 days", "2 日")]
    [InlineData(36 * 3600, "36 hours", "36 時間")]
    public void Duration_RoundsUpInTheReadersLanguage(int seconds, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.Duration(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(ja, QueryTexts.Ja.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("reseller", "Reseller", "リセラー")]
    [InlineData("MICROSOFT_SUPPORT", "Microsoft support", "Microsoft サポート")]
    [InlineData("somethingNew", "somethingNew", "somethingNew")]
    [InlineData(null, "unknown", "不明")]
    public void Relationship_KnownAndUnknownValues(string? value, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.Relationship(value));
        Assert.Equal(ja, QueryTexts.Ja.Relationship(value));
    }
}
