using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// The bot on loopback fakes with one alert card posted in a subscribed channel, and the clicks on
/// it: what the triage and mitigation tests start from.
/// </summary>
internal sealed class TriageScenario : IAsyncDisposable
{
    public const string Analyst = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    public const string AlertId = "alert-0500";
    public const string CustomerTenantId = "6a1d2c3b-0000-4000-8000-00000000c001";

    private TriageScenario(LoopbackFakes fakes, BotApp bot)
    {
        Fakes = fakes;
        Bot = bot;
    }

    public LoopbackFakes Fakes { get; }

    public BotApp Bot { get; }

    public T Get<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, Fakes.ServiceUrl), Fakes.ChannelKey);

    /// <summary>Starts the fakes and the bot (<paramref name="configure"/> adds settings), subscribes the channel and waits for the alert's card.</summary>
    public static async Task<TriageScenario> StartAsync(RedisServer redis, Action<LoopbackFakes, Dictionary<string, string?>>? configure = null)
    {
        LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        fakes.Customers[CustomerTenantId] = "Contoso Ltd";
        Dictionary<string, string?> settings = BotApp.Authenticated(fakes, redis);
        settings["Alerts:Enabled"] = "true";
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:DispatchIdleDelay"] = "00:00:00.050";
        settings["Graph:BaseUrl"] = fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = fakes.PartnerCenterBaseUrl;
        settings["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;
        configure?.Invoke(fakes, settings);
        var scenario = new TriageScenario(fakes, new BotApp(settings));
        _ = scenario.Bot.Server;
        using (HttpResponseMessage response = await scenario.Bot.PostActivityAsync(TeamsActivities.ChannelMessage(fakes.ServiceUrl, "subscribe"), scenario.Token))
        {
            response.EnsureSuccessStatusCode();
        }

        fakes.AddAlert(AlertId, CustomerTenantId);
        // The card is recorded right after the connector accepted it.
        IAlertLedger ledger = scenario.Get<IAlertLedger>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (await ledger.GetCardAsync(AlertId, TeamsActivities.ChannelId) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        return scenario;
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Fakes.DisposeAsync();
    }

    public static async Task WaitForAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition(), "timed out waiting");
    }

    /// <summary>Sends a channel message (a command) and returns the card the bot replied with.</summary>
    public async Task<JsonNode> AskAsync(string text)
    {
        int before = Fakes.ConnectorRequests.Count;
        using (HttpResponseMessage response = await Bot.PostActivityAsync(TeamsActivities.ChannelMessage(Fakes.ServiceUrl, text), Token))
        {
            response.EnsureSuccessStatusCode();
        }

        // Card edits may go out meanwhile: the answer is the next POST with a card attached.
        JsonNode? reply = null;
        await WaitForAsync(() => (reply = Fakes.ConnectorRequests.Skip(before)
            .FirstOrDefault(r => r.Method == "POST" && r.Json?["attachments"] is JsonArray)?.Json!["attachments"]![0]!["content"]) is not null);
        return reply!;
    }

    /// <summary>The alert's card as first posted.</summary>
    public JsonNode PostedCard
    {
        get
        {
            RecordedRequest posted = Fakes.ConnectorRequests.First(r => r.Method == "POST" && r.Body.Contains(AlertId, StringComparison.Ordinal));
            return posted.Json!["activity"]!["attachments"]![0]!["content"]!;
        }
    }

    /// <summary>The data of the button titled <paramref name="title"/> on the alert's posted card.</summary>
    public JsonObject ButtonData(string title) => FindAction(PostedCard, title) ?? throw new InvalidOperationException($"no button {title}");

    /// <summary>The data of the <c>Action.Execute</c> titled <paramref name="title"/> anywhere under <paramref name="node"/>.</summary>
    public static JsonObject? FindAction(JsonNode? node, string title)
    {
        switch (node)
        {
            case JsonObject o when (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title:
                return (JsonObject)o["data"]!.DeepClone();
            case JsonObject o:
                return o.Select(p => FindAction(p.Value, title)).FirstOrDefault(f => f is not null);
            case JsonArray a:
                return a.Select(n => FindAction(n, title)).FirstOrDefault(f => f is not null);
            default:
                return null;
        }
    }

    /// <summary>A click on the alert's card (in its thread) by <paramref name="aadObjectId"/>; the invoke answer.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> ClickAsync(
        JsonObject data, string? aadObjectId = Analyst, string? comment = null, string verb = "alert.triage", IReadOnlyDictionary<string, string>? inputs = null, string? name = null)
    {
        AlertCardPost card = (await Get<IAlertLedger>().GetCardAsync(AlertId, TeamsActivities.ChannelId))!;
        if (comment is not null)
        {
            data["comment"] = comment;
        }

        foreach ((string id, string value) in inputs ?? new Dictionary<string, string>())
        {
            data[id] = value;
        }

        JsonObject click = TeamsActivities.CardAction(Fakes.ServiceUrl, verb, data);
        click["conversation"]!["id"] = card.CardConversationId;
        click["replyToId"] = card.ActivityId;
        click["from"]!["aadObjectId"] = aadObjectId;
        if (name is not null)
        {
            click["from"]!["name"] = name;
        }

        using HttpResponseMessage response = await Bot.PostActivityAsync(click, Token);
        string text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }
}
