using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.PartnerCenter;

/// <summary>
/// The Partner Center clients as <c>AddPartnerCenter</c> registers them (options, resilience,
/// token handler), over the fake Partner Center, a fake token provider, a fake clock (which the
/// resilience pipeline uses too) and a recording in-memory distributed cache. Retries do not back
/// off unless a test asks for it; Retry-After is still honoured.
/// </summary>
internal sealed class PartnerCenterTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PartnerCenterTestHost(IHost host, PartnerCenterFakeHandler partnerCenter)
    {
        _host = host;
        PartnerCenter = partnerCenter;
    }

    public PartnerCenterFakeHandler PartnerCenter { get; }

    public PartnerCenterFakeAuthorizationHeaderProvider Tokens => (PartnerCenterFakeAuthorizationHeaderProvider)_host.Services.GetRequiredService<IAuthorizationHeaderProvider>();

    public SignallingTimeProvider Time => (SignallingTimeProvider)_host.Services.GetRequiredService<TimeProvider>();

    public RecordingDistributedCache Cache => (RecordingDistributedCache)_host.Services.GetRequiredService<IDistributedCache>();

    public PartnerCenterClient Client => _host.Services.GetRequiredService<PartnerCenterClient>();

    public WebhookRegistrationClient Registration => _host.Services.GetRequiredService<WebhookRegistrationClient>();

    public IAlertEnricher Enricher => _host.Services.GetRequiredService<IAlertEnricher>();

    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    public static IHost Build(PartnerCenterFakeHandler partnerCenter, IDictionary<string, string?>? configuration = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?> { ["PartnerCenter:RetryDelay"] = "00:00:00" };
        foreach ((string key, string? value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFakeLogging();
        var tokens = new PartnerCenterFakeAuthorizationHeaderProvider();
        builder.Services.AddSingleton<IAuthorizationHeaderProvider>(tokens);
        builder.Services.AddSingleton<IPartnerCenterUserTokens>(tokens);
        builder.Services.AddSingleton<TimeProvider>(new SignallingTimeProvider());
        builder.Services.AddSingleton<IDistributedCache>(new RecordingDistributedCache());
        builder.AddPartnerCenter();
        builder.Services.AddHttpClient(PartnerCenterClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => partnerCenter);
        return builder.Build();
    }

    public static async Task<PartnerCenterTestHost> StartAsync(PartnerCenterFakeHandler partnerCenter, IDictionary<string, string?>? configuration = null)
    {
        IHost host = Build(partnerCenter, configuration);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new PartnerCenterTestHost(host, partnerCenter);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
