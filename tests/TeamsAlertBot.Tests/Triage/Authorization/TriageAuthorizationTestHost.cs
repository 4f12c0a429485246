using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Tests.Graph;
using TeamsAlertBot.Tests.Triage.Authorization.Fakes;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Tests.Triage.Authorization;

/// <summary>
/// Triage authorization as the host registers it, with a fake Graph and a fake Bot Connector at the
/// bottom of the real handler chains, a fake token provider and a fake clock.
/// </summary>
internal sealed class TriageAuthorizationTestHost : IAsyncDisposable
{
    public const string PartnerTenant = "9a1b2c3d-0000-4000-8000-00000000cafe";
    public const string OtherTenant = "5f5f5f5f-1111-4111-8111-111111111111";
    public const string TriageGroup = "7e0d2b59-2c4f-4d7a-9a52-3e6f0c1b8d11";
    public const string MitigationGroup = "0c2f55a1-93b4-4f3e-8a6d-6b4d2e9f7a22";
    public const string Analyst = "4f1c9e1a-7b2d-4c8e-9f3a-5d6e7f8a9b01";
    public const string Stranger = "c0ffee00-1234-4abc-8def-0123456789ab";
    public const string GraphRoot = "https://graph.test/v1.0";
    public const string TeamId = "19:c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6@thread.tacv2";
    public const string TeamsUserId = "29:1Ab2Cd3Ef4Gh5Ij6Kl7Mn8Op9Qr0St1Uv2Wx3Yz4";
    public static readonly Uri ServiceUrl = new("https://smba.test/amer/");

    /// <summary>32 bytes, base64: a well-formed signing key for hosts that start outside Development.</summary>
    public const string SigningKey = "q2dQ0zZ8p7yN3kVb6T1sXw4eR9uJ5mHcA0fLgIoKtYE=";

    private readonly IHost _host;

    private TriageAuthorizationTestHost(IHost host, TriageFakeGraph graph, TriageFakeConnector connector, GraphFakeAuthorizationHeaderProvider tokens, FakeTimeProvider time)
    {
        _host = host;
        Graph = graph;
        Connector = connector;
        Tokens = tokens;
        Time = time;
    }

    public TriageFakeGraph Graph { get; }

    public TriageFakeConnector Connector { get; }

    public GraphFakeAuthorizationHeaderProvider Tokens { get; }

    public FakeTimeProvider Time { get; }

    public ITriageAuthorizer Authorizer => _host.Services.GetRequiredService<ITriageAuthorizer>();

    public IServiceProvider Services => _host.Services;

    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    /// <summary>The settings of a configured production bot: both roles have a group, the tenant is set.</summary>
    public static Dictionary<string, string?> Configured() => new()
    {
        ["AzureAd:ClientId"] = "3d5e7f90-aaaa-4bbb-8ccc-0123456789ab",
        ["AzureAd:TenantId"] = PartnerTenant,
        ["Triage:ActionSigningKey"] = SigningKey,
        ["Triage:Authorization:GraphBaseUrl"] = GraphRoot,
        ["Triage:Authorization:TriageGroupId"] = TriageGroup,
        ["Triage:Authorization:MitigationGroupId"] = MitigationGroup,
    };

    public static IHost Build(
        IDictionary<string, string?> configuration,
        string environment = "Production",
        TriageFakeGraph? graph = null,
        TriageFakeConnector? connector = null,
        IAuthorizationHeaderProvider? tokens = null,
        TimeProvider? time = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)));
        builder.Services.AddSingleton(tokens ?? new GraphFakeAuthorizationHeaderProvider());

        // The connector as the Bot Framework layer offers it, minus its token and retry handlers.
        builder.Services.AddOptions<BotFrameworkOptions>().Configure(o => o.AllowedServiceUrls = ["https://smba.test"]);
        builder.Services.AddSingleton<ServiceUrlPolicy>();
        builder.Services.AddSingleton(new BotJsonOptions([]));
        builder.Services.AddHttpClient<ConnectorClient>(ConnectorClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => connector ?? new TriageFakeConnector());

        builder.AddTriageAuthorization();
        builder.Services.AddHttpClient(TriageGroupMembershipClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => graph ?? new TriageFakeGraph());
        return builder.Build();
    }

    public static async Task<TriageAuthorizationTestHost> StartAsync(IDictionary<string, string?>? configuration = null, string environment = "Production")
    {
        var graph = new TriageFakeGraph();
        var connector = new TriageFakeConnector();
        var tokens = new GraphFakeAuthorizationHeaderProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        IHost host = Build(configuration ?? Configured(), environment, graph, connector, tokens, time);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TriageAuthorizationTestHost(host, graph, connector, tokens, time);
    }

    /// <summary>A click by <paramref name="objectId"/> in the partner tenant, in a team channel.</summary>
    public static TriageActor Actor(string? objectId = Analyst, string? tenantId = PartnerTenant) =>
        new(TeamsUserId, objectId, "Megan Bowen", tenantId, ServiceUrl, TeamId);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
