using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeamsAlertBot.IntegrationTests.Dashboard.Tab;

/// <summary>
/// A loopback stand-in for the Teams web client: <c>/host.html?tab=…&amp;user=…&amp;locale=…</c> frames the
/// tab and answers the teams-js host protocol over postMessage as Teams does — <c>initialize</c>
/// (frame context, client type, runtime config, SDK version), <c>getContext</c> (the legacy context
/// shape teams-js converts) and <c>authentication.getAuthToken</c> (success flag + token) — with the
/// request's <c>id</c> and <c>uuidAsString</c> echoed, as teams-js 2.x matches replies by them
/// (node_modules/@microsoft/teams-js, internal/communication.js and messageObjects.js). The token is
/// an Entra access token for the named user, signed by the fake Entra tenant the bot trusts.
/// </summary>
internal sealed class FakeTeamsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTeamsHost(WebApplication app) => _app = app;

    /// <summary>This host's origin (http://127.0.0.1:port): the bot's Dashboard:Tab:AdditionalHostOrigins.</summary>
    public string Origin { get; private set; } = string.Empty;

    /// <summary>Every teams-js call the tab made (its <c>func</c>), in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The host page framing <paramref name="tabUrl"/> for <paramref name="user"/> in <paramref name="locale"/>.</summary>
    public string PageUrl(string tabUrl, string user, string locale = "en-us") =>
        $"{Origin}/host.html?tab={Uri.EscapeDataString(tabUrl)}&user={Uri.EscapeDataString(user)}&locale={Uri.EscapeDataString(locale)}";

    /// <summary>Starts the host; <paramref name="tokenFor"/> gives the SSO token of a user name (null = Teams fails the request).</summary>
    public static async Task<FakeTeamsHost> StartAsync(Func<string, string?> tokenFor)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var host = new FakeTeamsHost(app);
        app.MapGet("/host.html", () => Results.Content(HostPage, "text/html; charset=utf-8"));
        app.MapGet("/host.js", () => Results.Content(HostScript, "text/javascript; charset=utf-8"));
        app.MapPost("/calls", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            host.Calls.Enqueue(await reader.ReadToEndAsync());
            return Results.NoContent();
        });
        app.MapGet("/token", (string user) => tokenFor(user) is { } token ? Results.Text(token) : Results.StatusCode(StatusCodes.Status403Forbidden));
        await app.StartAsync();
        host.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private const string HostPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Fake Teams host</title><script src="host.js" defer></script></head>
        <body><iframe id="tab" title="TeamsAlertBot tab" width="1200" height="900"></iframe></body>
        </html>
        """;

    // The host side of teams-js' postMessage protocol, for the calls the tab makes.
    private const string HostScript = """
        const params = new URLSearchParams(location.search);
        const user = params.get('user');
        const locale = params.get('locale') || 'en-us';
        const frame = document.getElementById('tab');
        const tabOrigin = new URL(params.get('tab')).origin;
        const runtime = {
          apiVersion: 4,
          hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
          isLegacyTeams: false,
          supports: { app: {}, appInstallDialog: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teamsCore: {} },
        };
        const context = {
          locale, theme: 'default', entityId: 'alerts-dashboard', frameContext: 'content', hostClientType: 'web',
          hostName: 'Teams', tid: '7d6c1e52-4c3b-4f0f-9b1a-2a5b3c4d5e6f', userObjectId: user, loginHint: user + '@contoso.example',
          userPrincipalName: user + '@contoso.example', appSessionId: 'session-' + user,
        };
        window.addEventListener('message', async (event) => {
          if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
          const m = event.data;
          if (!m || typeof m.func !== 'string') return;
          fetch('calls', { method: 'POST', body: m.func });
          const reply = (args) => frame.contentWindow.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, tabOrigin);
          switch (m.func) {
            case 'initialize':
              reply(['content', 'web', JSON.stringify(runtime), '2.58.0']);
              break;
            case 'getContext':
              reply([context]);
              break;
            case 'authentication.getAuthToken': {
              const response = await fetch('token?user=' + encodeURIComponent(user));
              reply(response.ok ? [true, await response.text()] : [false, 'resourceDisabled']);
              break;
            }
            default:
              break;
          }
        });
        frame.src = params.get('tab');
        """;
}
