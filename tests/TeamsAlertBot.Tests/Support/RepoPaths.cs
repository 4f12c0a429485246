namespace TeamsAlertBot.Tests.Support;

/// <summary>Locations in the repository, found from the test assembly's folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds TeamsAlertBot.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The Node tools used by the tests (package.json, validate-cards.cjs).</summary>
    public static string TestsJs => Path.Combine(Root, "tests", "js");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamsAlertBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TeamsAlertBot.sln above {AppContext.BaseDirectory}; the tests must run from the repository.");
    }
}
