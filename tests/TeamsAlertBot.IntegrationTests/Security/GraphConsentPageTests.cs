using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Security;

/// <summary>
/// The anonymous consent page of the real host (with Redis, as deployed): a visitor costs Redis
/// nothing, and past the configured rate the page answers 429.
/// </summary>
public sealed class GraphConsentPageTests(RedisServer redis) : IAsyncLifetime
{
    private const string AdminObjectId = "5a1e0000-0000-4000-8000-0000000ad001";

    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fakes = await LoopbackFakes.StartAsync();

    public async ValueTask DisposeAsync() => await _fakes.DisposeAsync();

    [Fact]
    public async Task ConsentPage_AnonymousFlood_WritesNothingToRedisAndIsRateLimited()
    {
        string prefix = RedisServer.UniquePrefix();
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis, prefix);
        settings["Graph:Delegated:Enabled"] = "true";
        settings["Graph:Delegated:AllowedAdminObjectIds:0"] = AdminObjectId;
        settings["Graph:Delegated:ConsentRequestsPerMinute"] = "5";
        await using var bot = new BotApp(settings);
        using HttpClient client = bot.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        IServer server = bot.Services.GetRequiredService<IConnectionMultiplexer>().GetServers()[0];

        var statuses = new List<HttpStatusCode>();
        int keysAfterFirst = 0;
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("/admin/graph-consent", UriKind.Relative), Ct);
            statuses.Add(response.StatusCode);
            if (i == 0)
            {
                // The first visit may create the Data Protection key ring (once per deployment).
                keysAfterFirst = server.Keys(pattern: prefix + "*").Count();
            }
        }

        Assert.Equal(HttpStatusCode.Redirect, statuses[0]);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(keysAfterFirst, server.Keys(pattern: prefix + "*").Count());
        Assert.DoesNotContain(server.Keys(pattern: prefix + "*"), k => k.ToString().Contains("consent", StringComparison.Ordinal));
    }
}
