using System.Net;
using System.Net.Sockets;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Diagnostics;

/// <summary>
/// <c>/health/live</c>, <c>/health/ready</c> and <c>/healthz</c> through the whole bot: ready only while
/// Redis answers, an app token for the connector can be had and alerts are polled.
/// </summary>
public sealed class HealthEndpointTests(RedisServer redis) : IAsyncLifetime
{
    private LoopbackFakes _fakes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fakes = await LoopbackFakes.StartAsync();

    public async ValueTask DisposeAsync() => await _fakes.DisposeAsync();

    private static async Task<HttpStatusCode> GetAsync(BotApp bot, string path)
    {
        using HttpClient client = bot.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(path, Ct);
        return response.StatusCode;
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/> (or a generous deadline passes).</summary>
    private static async Task<HttpStatusCode> WaitForAsync(BotApp bot, string path, HttpStatusCode expected)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        while ((status = await GetAsync(bot, path)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        return status;
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Dictionary<string, string?> Pipeline()
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(_fakes, redis.ConnectionString, RedisServer.UniquePrefix());
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:LeaseDuration"] = "00:00:01";
        return settings;
    }

    [Fact]
    [Trait("Redis", "None")]
    public async Task Live_AnonymousDevelopmentBot_Returns200()
    {
        await using var bot = new BotApp(new Dictionary<string, string?> { ["Bot:AllowAnonymous"] = "true" }, environment: "Development");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/healthz"));
    }

    [Fact]
    public async Task Ready_RedisTokenAndFreshPolls_Returns200()
    {
        await using var bot = new BotApp(Pipeline());
        Assert.Equal(HttpStatusCode.OK, await WaitForAsync(bot, "/health/ready", HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/healthz"));
    }

    [Fact]
    [Trait("Redis", "None")]
    public async Task Ready_RedisUnreachable_Returns503WhileLiveAnswers()
    {
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, $"127.0.0.1:{ClosedPort()},connectTimeout=500,syncTimeout=1000,asyncTimeout=1000");
        await using var bot = new BotApp(settings);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GetAsync(bot, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GetAsync(bot, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/health/live"));
    }

    [Fact]
    public async Task Ready_NoAppToken_Returns503()
    {
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
        // Entra does not answer: no token for the connector.
        settings["AzureAd:Instance"] = $"https://127.0.0.1:{ClosedPort()}/";
        await using var bot = new BotApp(settings);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GetAsync(bot, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/health/live"));
    }

    [Fact]
    public async Task Ready_AlertsNotPolled_Returns503AfterAFewPollIntervals()
    {
        Dictionary<string, string?> settings = Pipeline();
        // Graph does not answer, so no poll completes.
        settings["Graph:BaseUrl"] = $"https://127.0.0.1:{ClosedPort()}/beta";
        await using var bot = new BotApp(settings);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await WaitForAsync(bot, "/health/ready", HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(bot, "/healthz"));
    }
}
