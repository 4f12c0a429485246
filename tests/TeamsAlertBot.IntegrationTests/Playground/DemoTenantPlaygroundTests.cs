using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Demo;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Playground;

/// <summary>
/// The README's first command, as a newcomer runs it: the bot with the local launch profile's
/// configuration (Development: anonymous, the demo tenant, everyone may triage), no Redis and no Azure,
/// in Microsoft's Agents Playground. Subscribing brings alert cards within seconds, a triage click edits
/// the card, and Partner Center questions are answered from the demo tenant — every card marked as demo data.
/// </summary>
// Run once: no Redis is involved.
[Trait("Redis", "None")]
public sealed class DemoTenantPlaygroundTests : IAsyncLifetime
{
    /// <summary>The newcomer's promise: cards within this long of <c>subscribe</c>.</summary>
    private static readonly TimeSpan CardsWithin = TimeSpan.FromSeconds(10);

    private BotApp _bot = null!;
    private PlaygroundProcess _playground = null!;

    public async ValueTask InitializeAsync()
    {
        // Only what the test machine needs on top of appsettings.Development.json: the Playground's port
        // (a free one, not 56150) and no Redis whatever the environment says.
        int port = PlaygroundProcess.FreePort();
        Dictionary<string, string?> settings = PlaygroundProcess.ConnectorOrigins(port);
        settings["Redis:ConnectionString"] = string.Empty;
        settings["AzureAd:ClientId"] = string.Empty;
        _bot = new BotApp(settings, environment: "Development");
        _playground = await PlaygroundProcess.StartForAsync(_bot, port, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.DisposeAsync();
        await _bot.DisposeAsync();
    }

    [Fact]
    public async Task LocalProfile_SubscribeTriageAndAsk_CardsFromTheDemoTenantWithinSeconds()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string botId, string botName, string userId, _, string channelId) = await _playground.GetTeamAsync(ct);

        await _playground.PostMentionAsync(channelId, userId, botId, botName, "subscribe", ct);

        // Alert cards, each a new thread in the channel, marked as demo data.
        JsonObject posted = await _playground.WaitForBotMessageAsync(f => Card(f)?.ToJsonString().Contains("tab-alert-", StringComparison.Ordinal) == true, CardsWithin, ct);
        JsonObject card = Card(posted)!;
        Assert.Contains(DemoCardMarker.MarkerId, card.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("DEMO DATA", card.ToJsonString(), StringComparison.Ordinal);
        Assert.StartsWith($"{channelId};messageid=", (string?)posted["message"]!["postConversationId"], StringComparison.Ordinal);

        // A triage click: the demo tenant's alert is resolved and the card is edited in place.
        string thread = (string)posted["message"]!["postConversationId"]!;
        string cardId = (string)posted["message"]!["messageId"]!;
        JsonObject legitimate = PlaygroundProcess.FindAction(card, "Legitimate")!;
        (int status, JsonObject? answer) = await _playground.InvokeAsync(thread, userId, cardId, "alert.triage", legitimate, ct);
        Assert.Equal(200, status);
        Assert.Contains("Reopen", answer!.ToJsonString(), StringComparison.Ordinal);
        JsonObject edited = await _playground.WaitForBotMessageAsync(
            f => (string?)f["action"] == "updateMessage" && (string?)f["message"]?["messageId"] == cardId, ct);
        Assert.Contains("Legitimate", edited.ToJsonString(), StringComparison.Ordinal);
        string alertId = (string)legitimate["alertId"]!;
        Assert.Equal(
            (AlertStatus.Resolved, AlertResolvedReason.Legitimate),
            _bot.Services.GetRequiredService<DemoTenant>().GetAlert(alertId) is { } alert ? (alert.Status, alert.ResolvedReason) : default);

        // Partner Center answers come from the demo tenant.
        await _playground.PostMentionAsync(channelId, userId, botId, botName, "customer contoso", ct);
        JsonObject customer = await _playground.WaitForBotMessageAsync(f => Card(f)?.ToJsonString().Contains("contoso-demo.onmicrosoft.com", StringComparison.Ordinal) == true, ct);
        Assert.Contains("Contoso Ltd", Card(customer)!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(DemoCardMarker.MarkerId, Card(customer)!.ToJsonString(), StringComparison.Ordinal);
    }

    private static JsonObject? Card(JsonObject frame) =>
        frame["message"]?["attachments"]?.AsArray()
            .FirstOrDefault(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject;
}
