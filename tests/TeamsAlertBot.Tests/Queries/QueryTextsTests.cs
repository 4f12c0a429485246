using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Queries;

public sealed partial class QueryTextsTests
{
    /// <summary>Texts that are the same in both languages (a product name).</summary>
    private static readonly HashSet<string> LanguageIndependent = new(StringComparer.Ordinal) { nameof(QueryTexts.HistorySourceGraph) };

    public static TheoryData<string> TextProperties => [.. typeof(QueryTexts)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string))
        .Select(p => p.Name)];

    [Fact]
    public void TextProperties_Reflection_FindsTheCatalog()
    {
        Assert.Contains(nameof(QueryTexts.CustomerTitle), TextProperties.Select(row => row.Data));
        Assert.True(TextProperties.Count > 50);
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void Ja_EveryText_NonEmptyAndTranslated(string property)
    {
        string en = Text(QueryTexts.En, property);
        string ja = Text(QueryTexts.Ja, property);

        Assert.False(string.IsNullOrWhiteSpace(en), $"En.{property} is empty");
        Assert.False(string.IsNullOrWhiteSpace(ja), $"Ja.{property} is empty");
        if (LanguageIndependent.Contains(property))
        {
            Assert.Equal(en, ja);
        }
        else
        {
            Assert.NotEqual(en, ja);
        }
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void EnAndJa_EveryText_SamePlaceholders(string property)
    {
        Assert.Equal(Placeholders(Text(QueryTexts.En, property)), Placeholders(Text(QueryTexts.Ja, property)));
    }

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

    private static string Text(QueryTexts texts, string property) =>
        (string)typeof(QueryTexts).GetProperty(property)!.GetValue(texts)!;

    private static List<(int Index, string Spec)> Placeholders(string format) =>
        [.. PlaceholderPattern().Matches(format)
            .Select(m => (int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture), m.Groups["spec"].Value))
            .Order()];

    [GeneratedRegex(@"\{(?<index>\d+)(?<spec>[^}]*)\}")]
    private static partial Regex PlaceholderPattern();
}
