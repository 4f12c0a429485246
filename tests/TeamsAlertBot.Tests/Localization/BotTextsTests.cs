using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Localization;

public sealed partial class BotTextsTests
{
    /// <summary>
    /// Texts that are the same in every language: the product name is a brand, not a word.
    /// (<see cref="BotTexts.Language"/> differs by definition and is checked like any other text.)
    /// </summary>
    private static readonly HashSet<string> LanguageIndependent = new(StringComparer.Ordinal) { nameof(BotTexts.BotName) };

    public static TheoryData<string> TextProperties => [.. StringProperties().Select(p => p.Name)];

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("ja")]
    [InlineData("JA-jp")]
    [InlineData("ja_JP")]
    public void For_JapaneseLocale_ReturnsJa(string locale)
    {
        Assert.Same(BotTexts.Ja, BotTexts.For(locale, BotTexts.En));
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("en-GB")]
    [InlineData("en")]
    [InlineData("EN-us")]
    public void For_EnglishLocale_ReturnsEnEvenWithJapaneseFallback(string locale)
    {
        Assert.Same(BotTexts.En, BotTexts.For(locale, BotTexts.Ja));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("fr-FR")]
    [InlineData("zh-Hans-CN")]
    [InlineData("jav")]
    [InlineData("-")]
    public void For_BlankOrUnknownLocale_ReturnsFallback(string? locale)
    {
        Assert.Same(BotTexts.Ja, BotTexts.For(locale, BotTexts.Ja));
        Assert.Same(BotTexts.En, BotTexts.For(locale, BotTexts.En));
    }

    [Theory]
    [InlineData("ja", "ja")]
    [InlineData("en", "en")]
    [InlineData(null, "en")]
    [InlineData("de", "en")]
    public void ForLanguage_ConfiguredLanguage_ReturnsCatalogOrEnglish(string? language, string expected)
    {
        Assert.Equal(expected, BotTexts.ForLanguage(language).Language);
    }

    [Fact]
    public void All_BothCatalogs_DistinctLanguages()
    {
        Assert.Equal(["en", "ja"], BotTexts.All.Select(t => t.Language));
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void Ja_EveryText_NonEmptyAndTranslated(string property)
    {
        string en = Text(BotTexts.En, property);
        string ja = Text(BotTexts.Ja, property);

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
        string en = Text(BotTexts.En, property);
        string ja = Text(BotTexts.Ja, property);

        Assert.Equal(Placeholders(en), Placeholders(ja));
    }

    [Theory]
    [MemberData(nameof(TextProperties))]
    public void Format_EveryTextWithItsPlaceholders_IsAValidCompositeFormat(string property)
    {
        foreach (BotTexts texts in BotTexts.All)
        {
            string format = Text(texts, property);
            int count = Placeholders(format).Select(p => p.Index + 1).DefaultIfEmpty(0).Max();
            object[] args = [.. Enumerable.Range(0, count).Select(i => (object)new DateTime(2026, 11, 28, 9, 5, 0, DateTimeKind.Utc))];

            string formatted = texts.Format(format, args);

            Assert.DoesNotContain("{", formatted, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TextProperties_Reflection_FindsTheCatalog()
    {
        // Guards the reflection above: an empty list would make every theory vacuous.
        Assert.Contains(nameof(BotTexts.HelpTitle), TextProperties.Select(row => row.Data));
        Assert.True(TextProperties.Count > 20);
    }

    [Fact]
    public void Format_StatusSubscribedBy_UsesTheDateFormatInEitherLanguage()
    {
        var at = new DateTimeOffset(2026, 11, 28, 9, 5, 0, TimeSpan.Zero);

        Assert.Equal("by Aiko, 2026-11-28 09:05 (+00:00)", BotTexts.En.Format(BotTexts.En.StatusSubscribedBy, "Aiko", at));
        Assert.Equal("Aiko が 2026-11-28 18:05 (+09:00) に購読", BotTexts.Ja.Format(BotTexts.Ja.StatusSubscribedBy, "Aiko", at.ToOffset(TimeSpan.FromHours(9))));
    }

    [Fact]
    public void Format_Number_UsesTheCatalogCulture()
    {
        string expected = string.Format(CultureInfo.GetCultureInfo("en"), "{0}", 12.5);

        Assert.Equal($"Redis: healthy ({expected} ms)", BotTexts.En.Format(BotTexts.En.StatusStorageHealthy, "Redis", 12.5));
    }

    private static IEnumerable<PropertyInfo> StringProperties() =>
        typeof(BotTexts).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string));

    private static string Text(BotTexts texts, string property) =>
        (string)typeof(BotTexts).GetProperty(property)!.GetValue(texts)!;

    /// <summary>The placeholders of a composite format, sorted: index plus alignment/format as written.</summary>
    private static List<(int Index, string Spec)> Placeholders(string format) =>
        [.. PlaceholderPattern().Matches(format.Replace("{{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal))
            .Select(m => (int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture), m.Groups["spec"].Value))
            .Order()];

    [GeneratedRegex(@"\{(?<index>\d+)(?<spec>[^}]*)\}")]
    private static partial Regex PlaceholderPattern();
}
