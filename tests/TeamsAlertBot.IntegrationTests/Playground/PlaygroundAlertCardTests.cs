using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeamsAlertBot.Graph;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Playground;

/// <summary>
/// A partner security alert from the (fake) Graph shows up as a card in the Agents Playground's
/// channel: the real Teams emulator receives the new thread the pipeline posts.
/// </summary>
// Run once (on the plain server): card rendering in the emulator does not depend on the Redis topology.
[Trait("Redis", "None")]
public sealed class PlaygroundAlertCardTests(RedisServer redis) : IAsyncLifetime
{
    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;
    private PlaygroundProcess _playground = null!;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        // The Playground needs an anonymous bot, which has no app identity: Graph gets a stand-in token.
        int port = PlaygroundProcess.FreePort();
        _bot = new BotApp(
            new Dictionary<string, string?>(PlaygroundProcess.ConnectorOrigins(port))
            {
                ["Bot:AllowAnonymous"] = "true",
                ["Redis:ConnectionString"] = redis.ConnectionString,
                ["Redis:KeyPrefix"] = RedisServer.UniquePrefix(),
                ["Alerts:Enabled"] = "true",
                ["Alerts:PollInterval"] = "00:00:00.300",
                ["Alerts:DispatchIdleDelay"] = "00:00:00.050",
                ["Graph:BaseUrl"] = _fakes.GraphBaseUrl,
                ["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl,
                // These alerts come from the fake Graph, not from the local profile's demo tenant.
                ["Demo:Enabled"] = "false",
            },
            environment: "Development",
            testServices: services => services.Replace(ServiceDescriptor.Singleton<IGraphTokenSource, StandInGraphToken>()));
        _playground = await PlaygroundProcess.StartForAsync(_bot, port, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.DisposeAsync();
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task NewAlert_AppearsAsACardInThePlaygroundChannel_FraudConfirmUpdatesIt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string botId, string botName, string userId, _, string channelId) = await _playground.GetTeamAsync(ct);

        await _playground.PostMentionAsync(channelId, userId, botId, botName, "subscribe", ct);
        await _playground.WaitForBotMessageAsync(f => TeamsActivities.SubscribedReply.IsMatch((string?)f["message"]?["text"] ?? string.Empty), ct);
        _fakes.AddAlert("alert-0777", "6a1d2c3b-0000-4000-8000-00000000c001");

        JsonObject posted = await _playground.WaitForBotMessageAsync(f => f.ToJsonString().Contains("alert-0777", StringComparison.Ordinal), ct);

        JsonObject card = (JsonObject)posted["message"]!["attachments"]![0]!["content"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Contains("Unusual VM deployment", card.ToJsonString(), StringComparison.Ordinal);
        // A new thread in the channel: the Playground reports it under the channel with a thread id.
        Assert.Equal(channelId, (string?)posted["actionConversationId"]);
        Assert.StartsWith($"{channelId};messageid=", (string?)posted["message"]!["postConversationId"], StringComparison.Ordinal);

        // Fraud: the Playground's click brings the confirmation, the confirm records it and edits the card.
        string thread = (string)posted["message"]!["postConversationId"]!;
        string cardId = (string)posted["message"]!["messageId"]!;
        JsonObject fraud = PlaygroundProcess.FindAction(card, "Fraud")!;
        (int status, JsonObject? confirmation) = await _playground.InvokeAsync(thread, userId, cardId, "alert.triage", fraud, ct);
        Assert.Equal(200, status);
        Assert.Contains("Mark this alert as fraud?", confirmation!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_fakes.GraphRequests, r => r.Method == "PATCH");

        JsonObject confirm = PlaygroundProcess.FindAction(confirmation["value"], "Yes, mark as fraud")!;
        (status, JsonObject? answer) = await _playground.InvokeAsync(thread, userId, cardId, "alert.triage", confirm, ct);

        Assert.Equal(200, status);
        RecordedRequest patch = Assert.Single(_fakes.GraphRequests, r => r.Method == "PATCH");
        Assert.Equal("fraud", (string?)patch.Json!["resolvedReason"]);
        Assert.Contains("Reopen", answer!.ToJsonString(), StringComparison.Ordinal);
        JsonObject edited = await _playground.WaitForBotMessageAsync(
            f => (string?)f["action"] == "updateMessage" && (string?)f["message"]?["messageId"] == cardId, ct);
        Assert.Contains("Fraud", edited.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>The fake Graph takes any bearer token; the anonymous bot has no identity to get a real one.</summary>
    private sealed class StandInGraphToken : IGraphTokenSource
    {
        public GraphAccessKind AccessKind => GraphAccessKind.Application;

        public Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new AuthenticationHeaderValue("Bearer", "playground-stand-in"));
    }
}
