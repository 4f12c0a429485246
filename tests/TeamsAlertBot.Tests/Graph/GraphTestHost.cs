using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Graph;

/// <summary>
/// The Graph client as the host registers it (options, token handler, resilience, diagnostics),
/// with the fake Graph as primary handler, a fake token provider and no backoff between retries.
/// </summary>
internal sealed class GraphTestHost : IAsyncDisposable
{
    public const string Collection = "https://graph.microsoft.com/beta/security/partner/securityAlerts";

    private readonly IHost _host;

    private GraphTestHost(IHost host, GraphFakeHandler graph, GraphFakeAuthorizationHeaderProvider tokens)
    {
        _host = host;
        Graph = graph;
        Tokens = tokens;
    }

    public GraphFakeHandler Graph { get; }

    public GraphFakeAuthorizationHeaderProvider Tokens { get; }

    public PartnerSecurityAlertClient Client => _host.Services.GetRequiredService<PartnerSecurityAlertClient>();

    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    public IServiceProvider Services => _host.Services;

    public static IHost Build(GraphFakeHandler graph, IAuthorizationHeaderProvider tokens, IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton(tokens);
        services?.Invoke(builder.Services);
        builder.AddPartnerSecurityGraph();
        builder.Services.AddHttpClient(PartnerSecurityAlertClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => graph);
        // Retries without Retry-After would back off for seconds; the tests only need them to happen.
        builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.Zero);
        return builder.Build();
    }

    public static async Task<GraphTestHost> StartAsync(GraphFakeHandler graph, IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null)
    {
        var tokens = new GraphFakeAuthorizationHeaderProvider();
        IHost host = Build(graph, tokens, configuration, services);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new GraphTestHost(host, graph, tokens);
    }

    /// <summary>The checked-in Graph fixtures (read from the source tree: the project copies only its top-level Fixtures folder).</summary>
    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "TeamsAlertBot.Tests", "Graph", "Fixtures", name));

    /// <summary>A list page with the given alert objects and, optionally, a next link.</summary>
    public static string Page(string? nextLink, params string[] alerts) =>
        nextLink is null
            ? $$"""{"value":[{{string.Join(",", alerts)}}]}"""
            : $$"""{"value":[{{string.Join(",", alerts)}}],"@odata.nextLink":"{{nextLink}}"}""";

    /// <summary>A minimal alert object.</summary>
    public static string Alert(string id, string status = "active", string? detected = "2026-11-02T09:15:00Z") =>
        detected is null
            ? $$"""{"id":"{{id}}","status":"{{status}}","severity":"high"}"""
            : $$"""{"id":"{{id}}","status":"{{status}}","severity":"high","detectedDateTime":"{{detected}}"}""";

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
