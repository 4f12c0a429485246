using System.Text.Json.Nodes;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Playground;

/// <summary>
/// The bot against a real Teams client: Microsoft's Agents Playground installs it in its mock team,
/// an analyst asks for help and subscribes, and clicks a card button — all over the wire, with
/// the bot in the anonymous Development mode the Playground needs.
/// </summary>
// Run once (on the plain server): the emulator round trip does not use Redis.
[Trait("Redis", "None")]
public sealed class PlaygroundRoundTripTests : IAsyncLifetime
{
    private BotApp _bot = null!;
    private PlaygroundProcess _playground = null!;

    public async ValueTask InitializeAsync()
    {
        int port = PlaygroundProcess.FreePort();
        Dictionary<string, string?> settings = PlaygroundProcess.ConnectorOrigins(port);
        settings["Bot:AllowAnonymous"] = "true";
        _bot = new BotApp(settings, environment: "Development");
        _playground = await PlaygroundProcess.StartForAsync(_bot, port, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.DisposeAsync();
        await _bot.DisposeAsync();
    }

    [Fact]
    public async Task InstallInTeam_ThenHelpSubscribeAndCardAction_RoundTripThroughThePlayground()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string botId, string botName, string userId, string teamId, string channelId) = await _playground.GetTeamAsync(ct);

        // Installing in the team makes the bot welcome the channel.
        await _playground.InstallAsync(teamId, ct);
        JsonObject welcome = await _playground.WaitForBotMessageAsync(f => Text(f).Contains("TeamsAlertBot", StringComparison.Ordinal), ct);
        Assert.Contains("subscribe", Text(welcome), StringComparison.Ordinal);

        // help → the help card, in the channel thread the analyst started.
        JsonObject posted = await _playground.PostMentionAsync(channelId, userId, botId, botName, "help", ct);
        JsonObject help = await _playground.WaitForBotMessageAsync(f => Card(f) is not null, ct);
        JsonObject card = Card(help)!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Contains("TeamsAlertBot commands", card.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal((string?)posted["postConversationId"], (string?)help["actionConversationId"]);

        // subscribe → confirmation.
        await _playground.PostMentionAsync(channelId, userId, botId, botName, "subscribe", ct);
        JsonObject subscribed = await _playground.WaitForBotMessageAsync(f => TeamsActivities.SubscribedReply.IsMatch(Text(f)), ct);
        Assert.NotNull(subscribed);

        // A button the bot does not know → an error card as the invoke answer, not a failure.
        string thread = (string)help["actionConversationId"]!;
        string cardMessageId = (string)help["message"]!["messageId"]!;
        (int status, JsonObject? answer) = await _playground.InvokeAsync(thread, userId, cardMessageId, "no-such-verb", new JsonObject { ["x"] = 1 }, ct);
        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer?["type"]);
        Assert.Contains("no-such-verb", answer!["value"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static string Text(JsonObject frame) => (string?)frame["message"]?["text"] ?? string.Empty;

    private static JsonObject? Card(JsonObject frame) =>
        frame["message"]?["attachments"]?.AsArray()
            .FirstOrDefault(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject;
}
