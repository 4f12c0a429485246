using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
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
    public async Task LocalProfile_SubscribeTriageAskAndMitigate_CardsFromTheDemoTenantWithinSeconds()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string botId, string botName, string userId, _, string channelId) = await _playground.GetTeamAsync(ct);

        await _playground.PostMentionAsync(channelId, userId, botId, botName, "subscribe", ct);

        // The backlog's summary, alert cards (each a new thread in the channel) and the storm customer's
        // storm thread — all within seconds, all marked as demo data. (The bound applies to each next
        // message; the first cards are looked for within it.)
        string stormMarker = StormCards.MarkerId(DemoTenant.StormCustomerTenantId);
        IReadOnlyList<JsonObject> messages = await _playground.GatherBotMessagesAsync(
            m => m.Count(f => Shows(f, "tab-alert-")) >= 2 && m.Any(f => Shows(f, stormMarker)) && m.Any(f => Shows(f, AlertCards.BackfillPageVerb)),
            CardsWithin,
            ct);
        Assert.All(messages.Where(f => Card(f) is not null), f => Assert.Contains(DemoCardMarker.MarkerId, Card(f)!.ToJsonString(), StringComparison.Ordinal));
        JsonObject[] cards = [.. messages.Where(f => Shows(f, "tab-alert-") && (string?)f["action"] == "createMessage")];
        JsonObject posted = cards[0];
        JsonObject card = Card(posted)!;
        Assert.Contains("DEMO DATA", card.ToJsonString(), StringComparison.Ordinal);
        Assert.StartsWith($"{channelId};messageid=", (string?)posted["message"]!["postConversationId"], StringComparison.Ordinal);

        // A triage click: the demo tenant's alert is resolved and the card is edited in place.
        string thread = (string)posted["message"]!["postConversationId"]!;
        string cardId = (string)posted["message"]!["messageId"]!;
        JsonObject legitimate = PlaygroundProcess.FindAction(card, "Legitimate")!;
        // The click is answered at once (with the verdict, or "updating…" while the channel is busy with the storm).
        (int status, _) = await _playground.InvokeAsync(thread, userId, cardId, "alert.triage", legitimate, ct);
        Assert.Equal(200, status);
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

        // The alert list and the daily summary, read from the demo tenant.
        await _playground.PostMentionAsync(channelId, userId, botId, botName, "alerts", ct);
        JsonObject list = await _playground.WaitForBotMessageAsync(f => Shows(f, "Partner security alerts"), ct);
        Assert.Contains(DemoCardMarker.MarkerId, Card(list)!.ToJsonString(), StringComparison.Ordinal);
        await _playground.PostMentionAsync(channelId, userId, botId, botName, "summary", ct);
        JsonObject summary = await _playground.WaitForBotMessageAsync(f => Shows(f, "Daily partner security alert summary"), ct);
        Assert.Contains(DemoCardMarker.MarkerId, Card(summary)!.ToJsonString(), StringComparison.Ordinal);

        // Fraud on another card, then the cancellation of its Azure subscription at the demo Partner Center.
        JsonObject other = cards[1];
        string otherThread = (string)other["message"]!["postConversationId"]!;
        string otherId = (string)other["message"]!["messageId"]!;
        (_, JsonObject? fraudConfirmation) = await _playground.InvokeAsync(otherThread, userId, otherId, "alert.triage", PlaygroundProcess.FindAction(Card(other), "Fraud")!, ct);
        await _playground.InvokeAsync(otherThread, userId, otherId, "alert.triage", PlaygroundProcess.FindAction(fraudConfirmation, "Yes, mark as fraud")!, ct);
        const string Mitigate = "Cancel the Azure subscription…";
        JsonObject fraud = await _playground.WaitForBotMessageAsync(
            f => (string?)f["message"]?["messageId"] == otherId && PlaygroundProcess.FindAction(Card(f), Mitigate) is not null, ct);
        (_, JsonObject? mitigation) = await _playground.InvokeAsync(
            otherThread, userId, otherId, MitigationActionData.MitigateVerb, PlaygroundProcess.FindAction(Card(fraud), Mitigate)!, ct);
        JsonObject confirm = PlaygroundProcess.FindAction(mitigation, "Cancel the subscription")!;
        PartnerSecurityAlert fraudulent = _bot.Services.GetRequiredService<DemoTenant>().GetAlert((string)confirm["alertId"]!)!;
        confirm[MitigationCards.ConfirmInputId] = fraudulent.SubscriptionId;
        (status, _) = await _playground.InvokeAsync(otherThread, userId, otherId, MitigationActionData.MitigateVerb, confirm, ct);

        Assert.Equal(200, status);
        await _playground.WaitForBotMessageAsync(
            f => (string?)f["message"]?["messageId"] == otherId && f.ToJsonString().Contains("cancellation accepted by Partner Center", StringComparison.Ordinal), ct);
        Assert.Contains(
            _bot.Services.GetRequiredService<DemoTenant>().ListSubscriptions(fraudulent.CustomerTenantId!)!
                .Where(s => s.OfferName == "Azure plan")
                .SelectMany(plan => _bot.Services.GetRequiredService<DemoTenant>().ListEntitlements(fraudulent.CustomerTenantId!, plan.Id!)!),
            e => e.Id == fraudulent.SubscriptionId && e.Status == "canceled");
    }

    private static bool Shows(JsonObject frame, string marker) => Card(frame)?.ToJsonString().Contains(marker, StringComparison.Ordinal) == true;

    private static JsonObject? Card(JsonObject frame) =>
        frame["message"]?["attachments"]?.AsArray()
            .FirstOrDefault(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject;
}
