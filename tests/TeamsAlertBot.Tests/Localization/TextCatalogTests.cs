using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TeamsAlertBot.Tests.Localization;

/// <summary>
/// Every text catalog of the bot (a type with a string <c>Language</c> and static <c>En</c> and
/// <c>Ja</c> instances of itself), found by reflection so a new catalog is checked without being
/// listed: both languages complete, translated, with the same placeholders, valid formats.
/// </summary>
public sealed partial class TextCatalogTests
{
    private static readonly Assembly[] Assemblies = [typeof(Core.Localization.BotTexts).Assembly, typeof(TeamsAlertBot.Bot.AlertBot).Assembly];

    /// <summary>Texts that are the same in every language on purpose (names).</summary>
    private static readonly HashSet<string> SameInEveryLanguage = ["BotTexts.BotName", "QueryTexts.HistorySourceGraph"];

    public static IReadOnlyList<Type> Catalogs { get; } = [.. Assemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => t.GetProperty("Language", BindingFlags.Public | BindingFlags.Instance)?.PropertyType == typeof(string)
            && t.GetProperty("En", BindingFlags.Public | BindingFlags.Static)?.PropertyType == t
            && t.GetProperty("Ja", BindingFlags.Public | BindingFlags.Static)?.PropertyType == t)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    public static TheoryData<string, string> Texts
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (Type catalog in Catalogs)
            {
                foreach (PropertyInfo property in TextProperties(catalog))
                {
                    data.Add(catalog.FullName!, property.Name);
                }
            }

            return data;
        }
    }

    private static IEnumerable<PropertyInfo> TextProperties(Type catalog) => catalog
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.Name != "Language");

    private static (string En, string Ja) Read(string catalogName, string property)
    {
        Type catalog = Catalogs.Single(t => t.FullName == catalogName);
        object en = catalog.GetProperty("En")!.GetValue(null)!;
        object ja = catalog.GetProperty("Ja")!.GetValue(null)!;
        PropertyInfo text = catalog.GetProperty(property)!;
        return ((string)text.GetValue(en)!, (string)text.GetValue(ja)!);
    }

    [Fact]
    public void Reflection_FindsEveryCatalog()
    {
        string[] names = [.. Catalogs.Select(t => t.Name)];
        Assert.Contains("BotTexts", names);
        Assert.Contains("AlertTexts", names);
        Assert.Contains("TriageTexts", names);
        Assert.Contains("StormTexts", names);
        Assert.Contains("ConsentTexts", names);
        Assert.Contains("QueryTexts", names);
        Assert.Contains("DigestTexts", names);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void EveryText_PresentInBothLanguagesAndTranslated(string catalog, string property)
    {
        (string en, string ja) = Read(catalog, property);

        Assert.False(string.IsNullOrWhiteSpace(en), $"{catalog}.En.{property} is empty");
        Assert.False(string.IsNullOrWhiteSpace(ja), $"{catalog}.Ja.{property} is empty");
        // The same text in both languages is fine only for what has no English words (symbols, ids, formats).
        bool exempt = SameInEveryLanguage.Contains($"{catalog[(catalog.LastIndexOf('.') + 1)..]}.{property}");
        Assert.False(en == ja && EnglishWord().IsMatch(en) && !exempt, $"{catalog}.Ja.{property} is not translated: {ja}");
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void EveryText_SamePlaceholdersAndAValidFormatInBothLanguages(string catalog, string property)
    {
        (string en, string ja) = Read(catalog, property);

        Assert.Equal(Placeholders(en), Placeholders(ja));
        object[] args = [.. Enumerable.Range(0, Placeholders(en).Count).Select(i => (object)new DateTimeOffset(2026, 11, 28, 9, 5, 0, TimeSpan.Zero).AddDays(i))];
        _ = string.Format(CultureInfo.InvariantCulture, en, args);
        _ = string.Format(CultureInfo.InvariantCulture, ja, args);
    }

    private static SortedSet<int> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"(?<!\{)\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[A-Za-z]{4,}")]
    private static partial Regex EnglishWord();
}
