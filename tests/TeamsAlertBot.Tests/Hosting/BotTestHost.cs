using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Tests.Fakes;

namespace TeamsAlertBot.Tests.Hosting;

/// <summary>
/// The real host on a TestServer in anonymous Development mode, with the connector's primary
/// handler replaced by <see cref="FakeConnectorHandler"/>, a fake clock (an invoke is never answered
/// with the interim message because the machine was slow) and logs collected in memory.
/// </summary>
internal sealed class BotTestHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _root = new();

    public BotTestHost(string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Bot:AllowAnonymous"] = "true",
            ["Bot:AllowedServiceUrls:0"] = "https://127.0.0.1",
            // Whatever a developer keeps in user secrets or the environment, these tests run anonymous and in memory.
            ["AzureAd:ClientId"] = string.Empty,
            ["Redis:ConnectionString"] = string.Empty,
            // The demo tenant of the local profile is tested on its own (Playground/DemoTenantPlaygroundTests).
            ["Demo:Enabled"] = "false",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Factory = _root.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            foreach ((string key, string? value) in all)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging());
            builder.ConfigureTestServices(collection =>
            {
                collection.AddSingleton<TimeProvider>(Time);
                collection.AddHttpClient(ConnectorClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Connector);
            });
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        });
    }

    public FakeConnectorHandler Connector { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    public WebApplicationFactory<Program> Factory { get; }

    public FakeLogCollector Logs => Factory.Services.GetRequiredService<FakeLogCollector>();

    public HttpClient CreateClient() => Factory.CreateClient();

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _root.DisposeAsync();
    }
}
