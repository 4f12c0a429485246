using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Cards;

/// <summary>
/// Checks the bot's cards with the official Adaptive Cards library (tests/js/validate-cards.cjs),
/// the renderer code Teams' own clients build on, plus the few rules that library lets through.
/// </summary>
public sealed partial class CardValidationTests : IDisposable
{
    /// <summary>Teams refuses messages over about 28 KB; a card alone must stay well under.</summary>
    private const int MaxCardBytes = 28 * 1024;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("teamsalertbot-cards-");

    public static TheoryData<string> CardNames => [.. CardCatalog.All.Keys];

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task ValidateCards_EveryCardTheBotBuilds_OfficialLibraryReportsNoProblems()
    {
        NodeProcess.RequireInstalledPackages();
        foreach ((string name, AdaptiveCard card) in CardCatalog.All)
        {
            await File.WriteAllBytesAsync(CardPath(name), Serialize(card), TestContext.Current.CancellationToken);
        }

        NodeProcess.Result result = await ValidateAsync();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains($"{CardCatalog.All.Count} card(s) checked, {CardCatalog.All.Count} valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCards_BrokenCards_EachProblemReported()
    {
        NodeProcess.RequireInstalledPackages();
        await WriteJsonAsync("good", """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"ok"}]}""");
        await WriteJsonAsync("huge-text", """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"x","size":"huge"}]}""");
        await WriteJsonAsync("unknown-element", """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Carousel3D","items":[]}]}""");
        await WriteJsonAsync("openurl-without-url", """{"type":"AdaptiveCard","version":"1.5","body":[],"actions":[{"type":"Action.OpenUrl","title":"Go"}]}""");
        await File.WriteAllBytesAsync(
            CardPath("empty-textblock"),
            Serialize(new AdaptiveCard { Body = [new Container([new TextBlock(string.Empty)])] }),
            TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(
            CardPath("wrong-version"),
            Serialize(new AdaptiveCard { Version = "1.6", Body = [new TextBlock("hi")] }),
            TestContext.Current.CancellationToken);
        await WriteJsonAsync("not-a-card", """{"type":"HeroCard","version":"1.5","body":[]}""");
        await WriteJsonAsync("bad-lang", """{"type":"AdaptiveCard","version":"1.5","lang":"japanese","body":[]}""");

        NodeProcess.Result result = await ValidateAsync();

        Assert.True(result.ExitCode == 1, result.Describe());
        string output = result.StandardOutput;
        Assert.DoesNotContain("good.json:", output, StringComparison.Ordinal);
        Assert.Matches(ProblemLine("huge-text", "InvalidPropertyValue"), output);
        Assert.Matches(ProblemLine("unknown-element", "UnknownElementType"), output);
        Assert.Matches(ProblemLine("openurl-without-url", "PropertyCantBeNull"), output);
        Assert.Matches(ProblemLine("empty-textblock", "MissingText"), output);
        Assert.Matches(ProblemLine("wrong-version", "InvalidVersion"), output);
        Assert.Matches(ProblemLine("not-a-card", "InvalidRootType"), output);
        Assert.Matches(ProblemLine("bad-lang", "InvalidPropertyValue"), output);
        Assert.Contains("8 card(s) checked, 1 valid, 7 with problems", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCards_ManyCardsWithValidLang_AllValid()
    {
        // The library's lang pattern is stateful; without the validator's workaround every second one failed.
        NodeProcess.RequireInstalledPackages();
        string[] languages = ["en", "ja", "ja", "en", "ja"];
        for (int i = 0; i < languages.Length; i++)
        {
            await WriteJsonAsync($"card-{i}", $$"""{"type":"AdaptiveCard","version":"1.5","lang":"{{languages[i]}}","body":[{"type":"Container","lang":"ja","items":[{"type":"TextBlock","text":"x","lang":"en"}]}]}""");
        }

        NodeProcess.Result result = await ValidateAsync();

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public async Task ValidateCards_NoCardFiles_UsageError()
    {
        NodeProcess.RequireInstalledPackages();

        NodeProcess.Result result = await ValidateAsync();

        Assert.True(result.ExitCode == 2, result.Describe());
    }

    [Theory]
    [MemberData(nameof(CardNames))]
    public void Serialize_CatalogCard_IsAnAdaptiveCard15UnderSizeLimit(string name)
    {
        byte[] json = Serialize(CardCatalog.All[name]);

        Assert.True(json.Length < MaxCardBytes, $"{name} is {json.Length} bytes");
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("AdaptiveCard", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("1.5", document.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void Catalog_EveryBotCardsBuilder_IsCovered()
    {
        IEnumerable<string> builders = typeof(BotCards)
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(AdaptiveCard))
            .Select(m => m.Name)
            .Distinct();

        foreach (string builder in builders)
        {
            foreach (string language in Core.Localization.BotTexts.All.Select(t => t.Language))
            {
                Assert.Contains(
                    CardCatalog.All.Keys,
                    name => name.StartsWith(builder + ".", StringComparison.Ordinal) && name.EndsWith("." + language, StringComparison.Ordinal));
            }
        }
    }

    private static byte[] Serialize(AdaptiveCard card) =>
        JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard);

    private static Regex ProblemLine(string file, string problem) =>
        new($"(?m)^{Regex.Escape(file)}\\.json: {Regex.Escape(problem)}: ");

    private string CardPath(string name) => Path.Combine(_folder.FullName, name + ".json");

    private Task WriteJsonAsync(string name, string json) =>
        File.WriteAllTextAsync(CardPath(name), json, TestContext.Current.CancellationToken);

    private Task<NodeProcess.Result> ValidateAsync() =>
        NodeProcess.RunAsync("validate-cards.cjs", [_folder.FullName], TestContext.Current.CancellationToken);
}
