using System.Text.RegularExpressions;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Dashboard;

/// <summary>
/// The dashboard tab's texts (ClientApp/src/i18n.js) exist in English and Japanese alike, and the
/// committed bundle carries them (it was built from this source).
/// </summary>
public sealed partial class TabTextsTests
{
    private static string ClientApp => Path.Combine(RepoPaths.Root, "src", "TeamsAlertBot", "ClientApp");

    private static Dictionary<string, string> Catalog(string source, string language)
    {
        int start = source.IndexOf($"\n  {language}: {{\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{language}' catalog in i18n.js");
        int end = source.IndexOf("\n  },\n", start, StringComparison.Ordinal);
        return Entry().Matches(source[start..end]).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["text"].Value, StringComparer.Ordinal);
    }

    [Fact]
    public void Catalogs_EnglishAndJapanese_HaveTheSameKeysAndPlaceholders()
    {
        string source = File.ReadAllText(Path.Combine(ClientApp, "src", "i18n.js"));
        Dictionary<string, string> en = Catalog(source, "en");
        Dictionary<string, string> ja = Catalog(source, "ja");

        Assert.True(en.Count > 50, $"only {en.Count} English texts parsed");
        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), ja.Keys.Order(StringComparer.Ordinal));
        foreach ((string key, string text) in en)
        {
            Assert.False(string.IsNullOrWhiteSpace(ja[key]), $"{key} is empty in Japanese");
            Assert.Equal(Placeholders(text), Placeholders(ja[key]));
        }
    }

    [Fact]
    public void Bundle_Committed_CarriesTheJapaneseTexts()
    {
        string source = File.ReadAllText(Path.Combine(ClientApp, "src", "i18n.js"));
        string bundle = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "TeamsAlertBot", "wwwroot", "tab", "app.js"));

        foreach (string text in Catalog(source, "ja").Values)
        {
            Assert.Contains(text.Replace("\\'", "'", StringComparison.Ordinal), bundle, StringComparison.Ordinal);
        }
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^    '?(?<key>[\w-]+)'?: '(?<text>(?:[^'\\]|\\.)*)',$", RegexOptions.Multiline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
