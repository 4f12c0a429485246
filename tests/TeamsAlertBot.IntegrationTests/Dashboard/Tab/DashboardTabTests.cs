using System.Net;
using Microsoft.Playwright;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TeamsAlertBot.IntegrationTests.Dashboard.Tab;

/// <summary>
/// The dashboard tab in a real browser (Debian's chromium, Playwright), framed by the fake Teams host
/// and signed in through teams-js SSO, against the bot with the HTTPS fakes and a real redis-server.
/// Every wait is on a condition (Playwright's auto-retrying assertions), never a sleep.
/// </summary>
public sealed class DashboardTabTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly string[] OpenIds = [.. TabScenario.OpenAlerts.Select(a => a.Id)];
    private TabScenario _scenario = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _scenario = await TabScenario.StartAsync(redis);
    }

    public async ValueTask DisposeAsync()
    {
        // What the page said when a test fails: its console errors.
        foreach (string error in _scenario.ConsoleErrors)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"console: {error}");
        }

        await _scenario.DisposeAsync();
    }

    private static ILocator Rows(IFrameLocator tab) => tab.Locator("table.alerts tbody tr");

    private static ILocator Row(IFrameLocator tab, string id) => tab.Locator($"table.alerts tbody tr[data-alert-id='{id}']");

    [Fact]
    public async Task Tab_InTeams_ListsTheOpenAlertsFiltersThemAndExportsTheFilteredRows()
    {
        IFrameLocator tab = await _scenario.OpenTabAsync("analyst");

        await Expect(Rows(tab)).ToHaveCountAsync(OpenIds.Length);
        foreach (string id in OpenIds)
        {
            await Expect(Row(tab, id)).ToBeVisibleAsync();
        }

        await Expect(Row(tab, TabScenario.ResolvedAlert)).ToHaveCountAsync(0);
        await Expect(tab.Locator("#total-count")).ToHaveTextAsync($"{OpenIds.Length} alerts");
        await Expect(tab.GetByText($"Signed in as {TabScenario.AnalystName}")).ToBeVisibleAsync();
        await AssertNoStrayTextAsync(tab);

        // Filter: high severity only.
        await tab.GetByLabel("Severity", new() { Exact = true }).SelectOptionAsync("high");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        string[] high = [.. TabScenario.OpenAlerts.Where(a => a.Severity == "high").Select(a => a.Id)];
        await Expect(Rows(tab)).ToHaveCountAsync(high.Length);
        foreach (string id in high)
        {
            await Expect(Row(tab, id)).ToBeVisibleAsync();
        }

        // The CSV export downloads the filtered rows (fetch + blob with the bearer token).
        IDownload download = await _scenario.Page.RunAndWaitForDownloadAsync(() => tab.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        await Expect(tab.Locator("#live")).ToHaveTextAsync("Exported alerts.csv.");
        string csv = await File.ReadAllTextAsync((await download.PathAsync())!, Ct);
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(high.Length + 1, lines.Length);
        foreach (string id in high)
        {
            Assert.Single(lines, l => l.Contains(id, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => TabScenario.OpenAlerts.Where(a => a.Severity != "high").Any(a => l.Contains(a.Id, StringComparison.Ordinal)));

        // An alert's detail and back, keyboard only.
        await tab.GetByRole(AriaRole.Button, new() { Name = high[0], Exact = true }).FocusAsync();
        await _scenario.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = $"Alert {high[0]}" })).ToBeFocusedAsync();
        await tab.GetByRole(AriaRole.Button, new() { Name = "Back to the list" }).ClickAsync();
        await Expect(Rows(tab)).ToHaveCountAsync(high.Length);
        await ScreenshotAsync("list");

        // The response-time panel: the fake Graph has no score, the team has no verdicts yet.
        await tab.GetByRole(AriaRole.Button, new() { Name = "Response time" }).ClickAsync();
        await Expect(tab.Locator("#partner-score")).ToContainTextAsync("The partner security score is not available");
        await Expect(tab.Locator("#team-score")).ToContainTextAsync("0 verdicts");
        await ScreenshotAsync("score");

        // teams-js asked the host for what Teams gives a tab, and nothing left loopback or broke the CSP.
        Assert.Contains("initialize", _scenario.Host.Calls);
        Assert.Contains("getContext", _scenario.Host.Calls);
        Assert.Contains("authentication.getAuthToken", _scenario.Host.Calls);
        AssertNoScriptOrStyleViolation();
    }

    [Fact]
    public async Task Tab_BulkVerdict_ConfirmsTheCountUpdatesGraphOncePerAlertAndEditsTheCards()
    {
        IFrameLocator tab = await _scenario.OpenTabAsync("analyst");
        await Expect(Rows(tab)).ToHaveCountAsync(OpenIds.Length);
        string[] chosen = ["alert-t01", "alert-t03"];
        foreach (string id in chosen)
        {
            await tab.GetByRole(AriaRole.Checkbox, new() { Name = $"Select alert {id}" }).CheckAsync();
        }

        await Expect(tab.Locator("#selected-count")).ToHaveTextAsync("2 selected");
        await tab.GetByRole(AriaRole.Combobox, new() { Name = "Verdict", Exact = true }).SelectOptionAsync("fraud");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Apply to selected" }).ClickAsync();

        ILocator dialog = tab.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Mark 2 alerts as Fraud?");
        await Expect(dialog.Locator("#confirm-fraud")).ToBeVisibleAsync();
        // Nothing is written before the confirmation.
        Assert.DoesNotContain(_scenario.Fakes.GraphRequests, r => r.Method == "PATCH");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply to 2 alerts" }).ClickAsync();
        await Expect(tab.Locator("#run-done")).ToHaveTextAsync("Done: 2 updated, 0 skipped, 0 failed.");

        RecordedRequest[] patches = [.. _scenario.Fakes.GraphRequests.Where(r => r.Method == "PATCH")];
        foreach (string id in chosen)
        {
            Assert.Single(patches, p => p.RawTarget.EndsWith($"/{id}", StringComparison.Ordinal));
        }

        Assert.Equal(chosen.Length, patches.Length);
        // Each chosen alert's card is edited in place (PUT on its activity), as after a click.
        IAlertLedger ledger = _scenario.Get<IAlertLedger>();
        foreach (string id in chosen)
        {
            AlertCardPost card = (await ledger.GetCardAsync(id, TeamsActivities.ChannelId))!;
            await TabScenario.WaitForAsync(() => Task.FromResult(_scenario.Fakes.ConnectorRequests.Any(r =>
                r.Method == "PUT" && r.RawTarget.Contains(Uri.EscapeDataString(card.ActivityId), StringComparison.Ordinal) && r.Body.Contains("tab-alert-" + id, StringComparison.Ordinal))));
        }

        // Fraud resolves the alerts in Graph: they leave the open list, the others stay.
        await Expect(Rows(tab)).ToHaveCountAsync(OpenIds.Length - chosen.Length);
        foreach (string id in chosen)
        {
            await Expect(Row(tab, id)).ToHaveCountAsync(0);
        }

        AssertNoScriptOrStyleViolation();
    }

    [Fact]
    public async Task Tab_WithoutTriageRole_IsReadOnlyInJapaneseAndTheApiRefusesTheWrites()
    {
        IFrameLocator tab = await _scenario.OpenTabAsync("reader", "ja-jp");

        await Expect(Rows(tab)).ToHaveCountAsync(OpenIds.Length);
        await Expect(tab.Locator("#read-only")).ToHaveTextAsync("閲覧のみ: トリアージ ロールがないため、判定はできません。");
        await Expect(tab.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(tab.Locator("input.select")).ToHaveCountAsync(0);
        await Expect(tab.Locator("#bulk-apply")).ToHaveCountAsync(0);
        await Expect(tab.Locator("#bulk-verdict")).ToHaveCountAsync(0);
        await AssertNoStrayTextAsync(tab);

        string token = _scenario.TokenFor("reader");
        using (HttpResponseMessage propose = await _scenario.CallApiAsync(HttpMethod.Post, "/api/dashboard/bulk", token, """{"verdict":"fraud","alertIds":["alert-t01"]}"""))
        {
            Assert.Equal(HttpStatusCode.Forbidden, propose.StatusCode);
        }

        using (HttpResponseMessage confirm = await _scenario.CallApiAsync(HttpMethod.Post, "/api/dashboard/bulk/any-proposal/confirm", token, "{}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
        }

        Assert.DoesNotContain(_scenario.Fakes.GraphRequests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Api_WithoutAValidToken_Answers401()
    {
        using var forged = new ChannelSigningKey("entra-forged", null);
        string?[] tokens =
        [
            null,
            "not-a-token",
            TabUserTokens.Sign(_scenario.Fakes, TabScenario.Analyst, TabScenario.AnalystName, key: forged),
            TabUserTokens.Sign(_scenario.Fakes, TabScenario.Analyst, TabScenario.AnalystName, lifetime: TimeSpan.FromMinutes(-10)),
        ];
        foreach (string? token in tokens)
        {
            using HttpResponseMessage response = await _scenario.CallApiAsync(HttpMethod.Get, "/api/dashboard/alerts", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using HttpResponseMessage valid = await _scenario.CallApiAsync(HttpMethod.Get, "/api/dashboard/alerts", _scenario.TokenFor("analyst"));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Tab_WhenACardIsClicked_UpdatesLive()
    {
        IFrameLocator tab = await _scenario.OpenTabAsync("analyst");
        await Expect(Row(tab, "alert-t02").Locator("td.verdict")).ToHaveTextAsync("Undecided");
        await Expect(tab.Locator("#live-state")).ToHaveTextAsync("Live updates on");

        // Investigating keeps the alert open (the other verdicts resolve it in Graph), so its row stays.
        Assert.Equal(HttpStatusCode.OK, await _scenario.ClickCardAsync("alert-t02", "Investigating"));
        await TabScenario.WaitForAsync(() => Task.FromResult(_scenario.Fakes.GraphRequests.Any(r => r.Method == "PATCH" && r.RawTarget.EndsWith("/alert-t02", StringComparison.Ordinal))));

        // No reload and no polling: the page learns it from the event stream.
        try
        {
            await Expect(Row(tab, "alert-t02").Locator("td.verdict")).ToContainTextAsync($"Investigating by {TabScenario.AnalystName}");
        }
        catch (PlaywrightException)
        {
            using HttpResponseMessage list = await _scenario.CallApiAsync(HttpMethod.Get, "/api/dashboard/alerts", _scenario.TokenFor("analyst"));
            TestContext.Current.TestOutputHelper?.WriteLine($"the API's list: {await list.Content.ReadAsStringAsync(Ct)}");
            throw;
        }

        await Expect(tab.Locator("#live")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Alert alert-t02 (was decided|changed)\\.$"));
    }

    [Fact]
    public async Task Tab_OutsideTeams_SaysToOpenItInTeamsUnderAStrictPolicy()
    {
        IResponse? response = await _scenario.Page.GotoAsync($"{_scenario.BotUrl}/tab/");

        await Expect(_scenario.Page.Locator("#outside-teams")).ToContainTextAsync("Open this page in Microsoft Teams");
        string policy = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com", policy, StringComparison.Ordinal);
        Assert.EndsWith(_scenario.Host.Origin, policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Empty(_scenario.Host.Calls);
    }

    /// <summary>No placeholder leaked into the page (a null or an array written as text).</summary>
    private static async Task AssertNoStrayTextAsync(IFrameLocator tab)
    {
        string text = await tab.Locator("body").InnerTextAsync();
        Assert.DoesNotMatch(@"\bnull\b|\bundefined\b|\[object ", text);
    }

    /// <summary>TEST_TAB_SCREENSHOTS=&lt;folder&gt; keeps a picture of the page at this step (to look at, not asserted).</summary>
    private async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("TEST_TAB_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await _scenario.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        }
    }

    private void AssertNoScriptOrStyleViolation()
    {
        // teams-js asks its CDN for the list of Teams origins; connect-src 'self' refuses that (it falls
        // back to its bundled list), so only that refusal is expected.
        string[] violations = [.. _scenario.ConsoleErrors.Where(e => e.Contains("Content Security Policy", StringComparison.Ordinal) && !e.Contains("https://res.cdn.office.net/", StringComparison.Ordinal))];
        Assert.Empty(violations);
        Assert.All(_scenario.OffLoopback, url => Assert.StartsWith("https://res.cdn.office.net/", url, StringComparison.Ordinal));
    }
}
