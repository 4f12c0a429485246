using static Microsoft.Playwright.Assertions;

namespace TeamsAlertBot.IntegrationTests.Dashboard.Tab;

/// <summary>
/// The dashboard page in the local run (the README's first command), opened straight in a browser:
/// no Teams, no sign-in, the demo tenant's open alerts, and a page that says it is the local run.
/// </summary>
[Trait("Redis", "None")]
public sealed class DashboardTabLocalRunTests : IAsyncLifetime
{
    private TabScenario _scenario = null!;

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _scenario = await TabScenario.StartLocalRunAsync();
    }

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Tab_LocalRunInAPlainBrowser_ListsTheDemoTenantsOpenAlertsAndSaysItIsTheLocalRun()
    {
        await _scenario.Page.GotoAsync($"{_scenario.BotUrl}/tab/");

        await Expect(_scenario.Page.Locator("#local-mode")).ToContainTextAsync("Local run");
        await Expect(_scenario.Page.Locator("table.alerts tbody tr").First).ToBeVisibleAsync();
        Assert.True(await _scenario.Page.Locator("table.alerts tbody tr").CountAsync() > 0);
        await Expect(_scenario.Page.GetByText("Signed in as Local developer")).ToBeVisibleAsync();
        Assert.Empty(_scenario.Host.Calls);
        Assert.All(_scenario.OffLoopback, url => Assert.StartsWith("https://res.cdn.office.net/", url, StringComparison.Ordinal));
    }
}
