using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.Triage;

namespace TeamsAlertBot.IntegrationTests.Dashboard.Tab;

/// <summary>
/// The dashboard tab as Teams runs it: the bot on a loopback port (HTTPS fakes for Entra, Graph,
/// Partner Center and the connector; a real redis-server) with a subscribed channel holding the
/// cards of four open alerts, the fake Teams host that frames /tab/ and answers teams-js, and
/// Debian's chromium driven headless by Playwright. Any browser request off loopback is refused
/// and recorded.
/// </summary>
internal sealed class TabScenario : IAsyncDisposable
{
    public const string Analyst = TeamsActivities.AnalystObjectId;
    public const string AnalystName = "Aiko Analyst";
    public const string Reader = "2b7e4c1d-9a8f-4e3d-b2c1-0f9e8d7c6b5a";
    public const string ReaderName = "Rei Reader";
    public const string Contoso = "6a1d2c3b-0000-4000-8000-00000000c001";
    public const string Fabrikam = "6a1d2c3b-0000-4000-8000-00000000f002";

    /// <summary>The open alerts (id, customer, severity) the fake Graph serves; one more is resolved.</summary>
    public static readonly (string Id, string Customer, string Severity, int AgeHours)[] OpenAlerts =
    [
        ("alert-t01", Contoso, "high", 30),
        ("alert-t02", Contoso, "medium", 5),
        ("alert-t03", Fabrikam, "low", 50),
        ("alert-t04", Fabrikam, "high", 2),
    ];

    public const string ResolvedAlert = "alert-t05";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private TabScenario(LoopbackFakes fakes, BotApp bot, FakeTeamsHost host)
    {
        Fakes = fakes;
        Bot = bot;
        Host = host;
    }

    public LoopbackFakes Fakes { get; }

    public BotApp Bot { get; }

    public FakeTeamsHost Host { get; }

    /// <summary>The bot's base address (http://127.0.0.1:port).</summary>
    public string BotUrl { get; private set; } = string.Empty;

    public IBrowserContext Browser { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    /// <summary>Requests the browser tried to send off loopback (refused).</summary>
    public ConcurrentQueue<string> OffLoopback { get; } = new();

    /// <summary>The console's errors, e.g. Content-Security-Policy violations.</summary>
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public T Get<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    /// <summary>The SSO token of "analyst" (triage role) or "reader" (no role).</summary>
    public string TokenFor(string user) => user switch
    {
        "analyst" => TabUserTokens.Sign(Fakes, Analyst, AnalystName),
        "reader" => TabUserTokens.Sign(Fakes, Reader, ReaderName),
        _ => throw new ArgumentOutOfRangeException(nameof(user)),
    };

    public static async Task<TabScenario> StartAsync(RedisServer redis)
    {
        LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        fakes.Customers[Contoso] = "Contoso Ltd";
        fakes.Customers[Fabrikam] = "Fabrikam Inc";
        TabScenario? scenario = null;
        FakeTeamsHost host = await FakeTeamsHost.StartAsync(user => scenario?.TokenFor(user));
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(fakes, redis.ConnectionString, RedisServer.UniquePrefix());
        settings["Alerts:StormThreshold"] = "50";
        settings["Dashboard:Tab:AdditionalHostOrigins:0"] = host.Origin;
        scenario = new TabScenario(fakes, new BotApp(settings), host);
        scenario.Bot.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        scenario.Bot.StartServer();
        scenario.BotUrl = scenario.Bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        using (HttpResponseMessage response = await scenario.Bot.PostActivityAsync(TeamsActivities.ChannelMessage(fakes.ServiceUrl, "subscribe"), BotApp.ChannelAuthorization(fakes)))
        {
            response.EnsureSuccessStatusCode();
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach ((string id, string customer, string severity, int age) in OpenAlerts)
        {
            fakes.AddAlert(id, customer, severity, "active", now.AddHours(-age));
        }

        fakes.AddAlert(ResolvedAlert, Fabrikam, "high", "resolved", now.AddHours(-80));
        IAlertLedger ledger = scenario.Get<IAlertLedger>();
        await WaitForAsync(async () =>
        {
            foreach ((string id, _, _, _) in OpenAlerts)
            {
                if (await ledger.GetCardAsync(id, TeamsActivities.ChannelId) is null)
                {
                    return false;
                }
            }

            return true;
        });
        await scenario.StartBrowserAsync();
        return scenario;
    }

    /// <summary>
    /// The README's first command: Development, anonymous, the embedded demo tenant, state in memory, no
    /// app registration — the page opened straight in the browser, outside Teams.
    /// </summary>
    public static async Task<TabScenario> StartLocalRunAsync()
    {
        LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        FakeTeamsHost host = await FakeTeamsHost.StartAsync(_ => null);
        var bot = new BotApp(
            new Dictionary<string, string?> { ["Redis:ConnectionString"] = string.Empty, ["AzureAd:ClientId"] = string.Empty },
            environment: "Development");
        var scenario = new TabScenario(fakes, bot, host);
        scenario.Bot.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        scenario.Bot.StartServer();
        scenario.BotUrl = scenario.Bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        await scenario.StartBrowserAsync();
        return scenario;
    }

    private async Task StartBrowserAsync()
    {
        string chromium = Environment.GetEnvironmentVariable("TEST_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: the test command installs Debian's chromium (apt-get install chromium), or set TEST_CHROMIUM");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespace for the sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Browser = await _browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, Locale = "en-US", ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        await Browser.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            bool loopback = url.Host == "localhost" || (IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                OffLoopback.Enqueue(route.Request.Url);
                await route.AbortAsync();
                return;
            }

            await route.ContinueAsync();
        });
        Page = await Browser.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Enqueue(message.Text);
            }
        };
    }

    /// <summary>Opens the tab in the fake Teams host as <paramref name="user"/>; the tab's frame.</summary>
    public async Task<IFrameLocator> OpenTabAsync(string user, string locale = "en-us")
    {
        await Page.GotoAsync(Host.PageUrl($"{BotUrl}/tab/", user, locale));
        return Page.FrameLocator("#tab");
    }

    /// <summary>A click on <paramref name="title"/> of the alert's card, posted to /api/messages as Teams does.</summary>
    public async Task<HttpStatusCode> ClickCardAsync(string alertId, string title)
    {
        AlertCardPost card = (await Get<IAlertLedger>().GetCardAsync(alertId, TeamsActivities.ChannelId))!;
        RecordedRequest posted = Fakes.ConnectorRequests.First(r => r.Method == "POST" && r.Body.Contains($"tab-alert-{alertId}", StringComparison.Ordinal));
        JsonObject data = TriageScenario.FindAction(posted.Json!["activity"]!["attachments"]![0]!["content"], title)
            ?? throw new InvalidOperationException($"no button {title} on the card of {alertId}");
        JsonObject click = TeamsActivities.CardAction(Fakes.ServiceUrl, "alert.triage", data);
        click["conversation"]!["id"] = card.CardConversationId;
        click["replyToId"] = card.ActivityId;
        using HttpResponseMessage response = await Bot.PostActivityAsync(click, BotApp.ChannelAuthorization(Fakes));
        return response.StatusCode;
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> to the bot with an optional bearer token.</summary>
    public async Task<HttpResponseMessage> CallApiAsync(HttpMethod method, string path, string? token, string? jsonBody = null)
    {
        using HttpClient client = Bot.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, Ct);
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
        await Bot.DisposeAsync();
        await Fakes.DisposeAsync();
    }
}
