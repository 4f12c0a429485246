using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Dashboard;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in the local run (the README's first command): Development, anonymous, the demo tenant,
/// state in memory. The page's API answers as the local developer, lists the demo alerts, streams events
/// fanned out in this process, and says that bulk runs need Redis.
/// </summary>
[Trait("Redis", "None")]
public sealed class DashboardDemoTests : IAsyncLifetime
{
    private BotApp _bot = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _bot = new BotApp(
            new Dictionary<string, string?>
            {
                ["Redis:ConnectionString"] = string.Empty,
                ["AzureAd:ClientId"] = string.Empty,
                ["Dashboard:PingInterval"] = "00:00:00.300",
            },
            environment: "Development");
        _ = _bot.Server;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Alerts_DemoTenant_ListsDemoAlertsWithCustomerNames()
    {
        using HttpClient client = _bot.CreateClient();

        JsonObject me = (JsonObject)JsonNode.Parse(await client.GetStringAsync("/api/dashboard/me", Ct))!;
        JsonObject list = (JsonObject)JsonNode.Parse(await client.GetStringAsync("/api/dashboard/alerts", Ct))!;

        Assert.Equal(("Local developer", true), ((string?)me["name"], (bool)me["canTriage"]!));
        Assert.True((int)list["total"]! > 0);
        Assert.All(list["items"]!.AsArray(), i => Assert.False(string.IsNullOrEmpty((string?)i!["customerName"])));
        Assert.All(list["items"]!.AsArray(), i => Assert.NotEqual("resolved", (string?)i!["status"]));
    }

    [Fact]
    public async Task Bulk_StateInMemory_503SaysBulkRunsNeedRedis()
    {
        using HttpClient client = _bot.CreateClient();
        JsonObject list = (JsonObject)JsonNode.Parse(await client.GetStringAsync("/api/dashboard/alerts", Ct))!;
        string id = (string)list["items"]![0]!["id"]!;

        using HttpResponseMessage response = await client.PostAsync(
            "/api/dashboard/bulk",
            new StringContent(new JsonObject { ["verdict"] = "ignore", ["alertIds"] = new JsonArray(id) }.ToJsonString(), Encoding.UTF8, "application/json"),
            Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("bulk runs need Redis", body, StringComparison.Ordinal);
        // The page tells it from a Graph outage (also 503) by this code.
        Assert.Equal("bulk-needs-redis", (string?)JsonNode.Parse(body)!["code"]);
    }

    [Fact]
    public async Task Events_NoRedis_FannedOutInThisProcess()
    {
        await using LiveStream stream = await LiveStream.OpenAsync(_bot, "Bearer ignored-in-anonymous-mode");

        _bot.Services.GetRequiredService<IAlertChangeFeed>().Publish("demo-alert", AlertChangeKind.Updated);

        await stream.WaitForAsync("{\"id\":\"demo-alert\",\"change\":\"updated\"}");
    }
}
