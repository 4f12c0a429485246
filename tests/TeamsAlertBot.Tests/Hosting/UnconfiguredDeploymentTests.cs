using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Tests.Hosting;

/// <summary>
/// The bot as a newcomer first runs it: no app registration, no Redis. Every answer says what is
/// missing and which setting fixes it — never "busy, try again" for a call that was never made,
/// never a promise of alert cards that nothing will post.
/// </summary>
public sealed class UnconfiguredDeploymentTests : IAsyncLifetime
{
    private readonly NetworkTrap _partnerCenter = new();
    private readonly NetworkTrap _graph = new();
    private BotTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _host = new BotTestHost(services: s =>
        {
            s.AddHttpClient(PartnerCenterClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _partnerCenter);
            s.AddHttpClient(PartnerSecurityAlertClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _graph);
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _partnerCenter.Dispose();
        _graph.Dispose();
    }

    [Theory]
    [InlineData("customer contoso", "Partner Center")]
    [InlineData("subscription 0f3c5e7a-1b2d-4c6e-8a9b-0c1d2e3f4a5b contoso", "Partner Center")]
    [InlineData("alerts", "Microsoft Graph")]
    public async Task Command_NoAppRegistration_NamesTheMissingSettingsAndAsksNobody(string command, string service)
    {
        string reply = await AskAsync(command);

        Assert.Contains($"{service} is not set up on this deployment", reply, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId, AzureAd:TenantId, AzureAd:ClientCredentials", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("try again", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _partnerCenter.Calls + _graph.Calls);
    }

    [Fact]
    public async Task Customer_NoAppRegistrationInJapanese_SaysSoInJapanese()
    {
        JsonObject activity = TestActivities.ChannelCommand("顧客 contoso");
        activity["locale"] = "ja-JP";

        string reply = await AskAsync(activity);

        Assert.Contains("このデプロイでは Partner Center が設定されていません", reply, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_PipelineOff_KeepsTheSubscriptionButPromisesNoCards()
    {
        string reply = await AskAsync("subscribe");

        Assert.Contains("does not post alerts yet", reply, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId is not set", reply, StringComparison.Ordinal);
        Assert.Contains("Redis:ConnectionString is not set", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("will be posted", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Unconfigured_TellsTheOperatorWhatIsOffAndWhy()
    {
        string reply = await AskAsync("status");

        Assert.Contains("off: AzureAd:ClientId is not set; Redis:ConnectionString is not set", reply, StringComparison.Ordinal);
        Assert.Contains("not set up, never called: set AzureAd:ClientId", reply, StringComparison.Ordinal);
        Assert.Contains("everyone (Development only)", reply, StringComparison.Ordinal);
    }

    private Task<string> AskAsync(string command) => AskAsync(TestActivities.ChannelCommand(command));

    private async Task<string> AskAsync(JsonObject activity)
    {
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _host.CreateClient().PostAsync("/api/messages", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Every string of the reply (its text, or its card's text runs): what the user reads is in there.
        return string.Join("\n", Strings(JsonNode.Parse(Assert.Single(_host.Connector.Requests).Body!)));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue(out string? text) => [text],
        _ => [],
    };

    /// <summary>A primary handler that counts what would have left for the network, and answers nothing.</summary>
    private sealed class NetworkTrap : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("No network in this test.");
        }
    }
}
