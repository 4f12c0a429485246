using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.Graph.Delegated;

/// <summary>What <c>GET /admin/graph-consent</c> handed the browser: the authorize URL's parameters and the binding cookie.</summary>
internal sealed record ConsentStart(Uri Authorize, string State, string Nonce, string CodeChallenge, string Cookie)
{
    public string? Query(string name) => QueryValue(Authorize, name);

    public static string? QueryValue(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;
}

/// <summary>
/// The bot's HTTP host with only delegated Graph access in it (consent endpoints, token sources),
/// on a test server, with the fake Entra ID behind MSAL, the recording in-memory distributed cache,
/// an ephemeral Data Protection key ring and a fake clock.
/// </summary>
internal sealed class DelegatedTestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private DelegatedTestApp(WebApplication app, DelegatedFakeEntraId entra, RecordingDistributedCache cache, FakeTimeProvider time)
    {
        _app = app;
        Entra = entra;
        Cache = cache;
        Time = time;
        Client = app.GetTestClient();
    }

    public DelegatedFakeEntraId Entra { get; }

    public RecordingDistributedCache Cache { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    /// <summary>The app registration of the fake Entra ID, consent endpoints on, mode Off unless <paramref name="overrides"/> say otherwise.</summary>
    public static Dictionary<string, string?> Configuration(params (string Key, string? Value)[] overrides)
    {
        Dictionary<string, string?> configuration = new()
        {
            ["AzureAd:Instance"] = DelegatedFakeEntraId.Instance,
            ["AzureAd:TenantId"] = DelegatedFakeEntraId.TenantId,
            ["AzureAd:ClientId"] = DelegatedFakeEntraId.ClientId,
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = DelegatedFakeEntraId.ClientSecret,
            ["Graph:Delegated:Enabled"] = "true",
            // Consent needs an explicit allow-list; the fake Entra ID signs this admin in.
            ["Graph:Delegated:AllowedAdminObjectIds:0"] = DelegatedFakeEntraId.AdminObjectId,
        };
        foreach ((string key, string? value) in overrides)
        {
            configuration[key] = value;
        }

        return configuration;
    }

    public static async Task<DelegatedTestApp> StartAsync(
        IDictionary<string, string?>? configuration = null,
        RecordingDistributedCache? cache = null,
        IDataProtectionProvider? dataProtection = null,
        bool addDelegatedAccess = true)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(configuration ?? Configuration());
        builder.Services.AddFakeLogging();
        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        cache ??= new RecordingDistributedCache();
        builder.Services.AddSingleton<IDistributedCache>(cache);
        var entra = new DelegatedFakeEntraId();
        if (addDelegatedAccess)
        {
            builder.AddGraphDelegatedAccess();
        }

        // As AddPartnerCenter binds it in the host: the consent asks for its App+User scope.
        builder.Services.Configure<TeamsAlertBot.PartnerCenter.PartnerCenterOptions>(builder.Configuration.GetSection(TeamsAlertBot.PartnerCenter.PartnerCenterOptions.SectionName));

        builder.Services.AddSingleton(dataProtection ?? new EphemeralDataProtectionProvider());
        builder.Services.AddHttpClient(DelegatedClientApplications.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => entra);

        WebApplication app = builder.Build();
        if (addDelegatedAccess)
        {
            // As Program does; the limiter's services come with AddGraphDelegatedAccess.
            app.UseRateLimiter();
        }

        app.MapGraphDelegatedConsent();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DelegatedTestApp(app, entra, cache, time);
    }

    /// <summary>The delegated token source as the host registers it.</summary>
    public IGraphTokenSource DelegatedSource => Services.GetRequiredService<DelegatedGraphTokenSource>();

    /// <summary>Starts a consent the way a browser does, and returns what it was handed.</summary>
    public async Task<ConsentStart> StartConsentAsync()
    {
        using HttpResponseMessage response = await Client.GetAsync(new Uri(GraphConsentEndpoints.ConsentPath, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Uri location = response.Headers.Location!;
        SetCookieHeaderValue cookie = SetCookieHeaderValue.ParseList([.. response.Headers.GetValues(HeaderNames.SetCookie)])
            .Single(c => c.Name == GraphConsentFlow.CookieName);
        return new ConsentStart(
            location,
            ConsentStart.QueryValue(location, "state")!,
            ConsentStart.QueryValue(location, "nonce")!,
            ConsentStart.QueryValue(location, "code_challenge")!,
            $"{cookie.Name}={cookie.Value}");
    }

    /// <summary>Comes back to the callback with the given query, carrying <paramref name="cookie"/> when given.</summary>
    public async Task<HttpResponseMessage> CallbackAsync(string query, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{GraphConsentEndpoints.CallbackPath}?{query}", UriKind.Relative));
        if (cookie is not null)
        {
            request.Headers.Add(HeaderNames.Cookie, cookie);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A whole consent: start, Entra ID answers <paramref name="tokens"/> (nonce filled in), callback.</summary>
    public async Task<HttpResponseMessage> ConsentAsync(Func<ConsentStart, DelegatedFakeTokens>? tokens = null)
    {
        ConsentStart start = await StartConsentAsync();
        Entra.AnswerTokens(tokens?.Invoke(start) ?? new DelegatedFakeTokens(start.Nonce));
        return await CallbackAsync($"code=fake-code&state={Uri.EscapeDataString(start.State)}", start.Cookie);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
