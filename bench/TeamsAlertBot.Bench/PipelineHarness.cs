using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Bench;

/// <summary>
/// The whole bot as the integration tests run it — <see cref="BotApp"/> against
/// <see cref="LoopbackFakes"/> and a real redis-server — with the alert pipeline on, subscribed in
/// one channel, and the connector hooked by a <see cref="ConnectorWatch"/>. Polls happen only when
/// the bench asks (the timer is an hour), so each measurement starts from a known state.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    /// <summary>The Entra object id the bot lets triage (TeamsActivities' default <c>from.aadObjectId</c>).</summary>
    public const string Analyst = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";

    /// <summary>A user in no triage allow-list or group.</summary>
    public const string Outsider = "0a0a0a0a-0000-4000-8000-000000000001";

    private readonly RedisServer _redis;
    private readonly BotApp _app;
    private readonly BenchSettings _settings;

    private PipelineHarness(
        RedisServer redis, LoopbackFakes fakes, BotApp app, ConnectorWatch watch, BenchSettings settings)
    {
        _redis = redis;
        Fakes = fakes;
        _app = app;
        Watch = watch;
        _settings = settings;
        Poller = app.Services.GetRequiredService<AlertPoller>();
        Client = app.CreateClient();
    }

    public LoopbackFakes Fakes { get; }

    /// <summary>host:port of the redis-server.</summary>
    public string RedisEndpoint => _redis.Endpoint;

    public ConnectorWatch Watch { get; }

    public AlertPoller Poller { get; }

    /// <summary>An in-memory client of the bot's own endpoints (TestServer: no socket).</summary>
    public HttpClient Client { get; }

    /// <summary>The bot configuration the bench runs with, for the report.</summary>
    public IReadOnlyDictionary<string, string?> BotSettings { get; private init; } = new Dictionary<string, string?>();

    private IServiceProvider Services => _app.Services;

    /// <summary>One of the bot's services (its ledgers, its options).</summary>
    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A genuine channel token for the bot, as the Bot Framework sends with every activity.</summary>
    public string ChannelAuthorization() =>
        "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, Fakes.ServiceUrl), Fakes.ChannelKey);

    /// <summary>
    /// Brings a new alert's card into the subscribed channel the way production does (the alert shows in
    /// Graph, a poll finds it, the dispatcher posts its card), untimed, and waits until its card record
    /// is stored and the pipeline is idle again. Returns the card record and the card as posted.
    /// </summary>
    public async Task<PostedCard> PostAlertCardAsync(string alertId)
    {
        DateTimeOffset detected = TimeProvider.System.GetUtcNow();
        Task<long> card = Watch.Expect("POST", alertId);
        Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, detected: detected);
        Poller.RequestPoll();
        await ArrivalAsync(card, "POST", alertId);
        await WaitUntilIdleAsync([]);
        AlertCardPost post = await Service<IAlertLedger>().GetCardAsync(alertId, TeamsActivities.ChannelId)
            ?? throw new InvalidOperationException($"{alertId}'s card reached the connector but no card record was stored.");
        RecordedRequest posted = Fakes.ConnectorRequests.First(r => r.Method == "POST" && r.Body.Contains(alertId, StringComparison.Ordinal));
        JsonNode content = posted.Json?["activity"]?["attachments"]?[0]?["content"]
            ?? throw new InvalidOperationException($"{alertId}'s card POST carries no card.");
        return new PostedCard(alertId, detected, post, content);
    }

    /// <summary>
    /// Retires a triaged alert, untimed: one the triage resolved is already unwatched and only has to
    /// leave the fake Graph; one left open (Investigating) is retired like any other.
    /// </summary>
    public async Task RetireTriagedAsync(PostedCard card)
    {
        bool open = Fakes.Alerts.TryGetValue(card.AlertId, out JsonObject? alert) && (string?)alert["status"] is "active" or "investigating";
        if (open)
        {
            await RetireAsync([(card.AlertId, card.Detected)]);
            return;
        }

        await WaitUntilIdleAsync([card.AlertId]);
        Fakes.Alerts.TryRemove(card.AlertId, out _);
    }

    public static async Task<PipelineHarness> StartAsync(BenchSettings settings)
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        // Graph pages are larger than the tests' 3, so a burst is not measured as 34 page requests.
        fakes.GraphPageSize = 100;
        fakes.Customers[BenchAlerts.CustomerTenantId] = BenchAlerts.CustomerName;
        var watch = new ConnectorWatch();
        fakes.ConnectorOverride = watch.Observe;

        Dictionary<string, string?> config = BotApp.Authenticated(fakes, redis);
        // appsettings.json logs at Information, which would print (and time) a line per request;
        // TEST_BOT_LOGLEVEL still turns it up when a run needs explaining.
        config["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("TEST_BOT_LOGLEVEL") is { Length: > 0 } level ? level : "Warning";
        config["Alerts:Enabled"] = "true";
        config["Graph:BaseUrl"] = fakes.GraphBaseUrl;
        config["PartnerCenter:BaseUrl"] = fakes.PartnerCenterBaseUrl;
        // The timer never fires during a run: every poll is one the bench asked for.
        config["Alerts:PollInterval"] = "01:00:00";
        config["Alerts:DispatchIdleDelay"] = settings.DispatchIdleDelay.ToString("c", CultureInfo.InvariantCulture);
        // All bench alerts belong to one customer; no storm threading (1000 is the highest threshold).
        config["Alerts:StormThreshold"] = "1000";
        config["Alerts:StormWindow"] = "00:00:01";
        config["PartnerCenter:Webhook:CertificateHosts:0"] = fakes.BaseUrl.Authority;
        config["PartnerCenter:Webhook:RequiredIssuerOrganization"] = WebhookDeliveries.TestCaOrganization();
        // The test CA publishes no revocation list.
        config["PartnerCenter:Webhook:RevocationMode"] = "NoCheck";
        // Who may click the triage buttons (the click → answer measurement); Triage:AnswerBudget stays at its default.
        config["Triage:Authorization:TriageUserObjectIds:0"] = Analyst;

        // Teams allows 60 sends per 30 s into one channel; the bench sends a card and an edit per
        // alert, so with the limits on it would measure the limiter's queue, not the pipeline. A
        // configured window replaces Teams' defaults, so one wide window lifts them.
        config["Bot:SendLimits:PerConversation:0:Window"] = "00:00:01";
        config["Bot:SendLimits:PerConversation:0:Limit"] = "1000000";
        config["Bot:SendLimits:Global:0:Window"] = "00:00:01";
        config["Bot:SendLimits:Global:0:Limit"] = "1000000";
        var app = new BotApp(config);
        _ = app.Server; // starts the host, and with it the poller and the dispatcher

        var harness = new PipelineHarness(redis, fakes, app, watch, settings) { BotSettings = Redacted(config) };
        RedisFootprint.Attach(harness.Service<IConnectionMultiplexer>());
        await harness.SubscribeAsync();
        return harness;
    }

    /// <summary>Waits for the card (or edit) awaited by <paramref name="arrival"/>; its arrival timestamp.</summary>
    public async Task<long> ArrivalAsync(Task<long> arrival, string method, string alertId)
    {
        try
        {
            return await arrival.WaitAsync(_settings.Timeout);
        }
        catch (TimeoutException e)
        {
            Watch.Forget(method, alertId);
            throw new TimeoutException(
                $"No {method} for {alertId} reached the connector within {_settings.Timeout.TotalSeconds:0.#} s "
                + $"({Fakes.ConnectorRequests.Count} connector requests so far). Run with TEST_BOT_LOGLEVEL=Information to see why.",
                e);
        }
    }

    /// <summary>
    /// Takes measured alerts out of play without timing it: they are resolved in Graph, the bot
    /// edits their cards and stops watching them, and the work stream is drained. Afterwards the
    /// next poll is as cheap as the first, however many iterations ran before.
    /// </summary>
    public async Task RetireAsync(IReadOnlyList<(string AlertId, DateTimeOffset Detected)> alerts)
    {
        // The card's work item is acknowledged only after its snapshot is stored; a poll before that
        // would find nothing to edit.
        await WaitUntilIdleAsync([]);
        Task<long>[] edits = [.. alerts.Select(a => Watch.Expect("PUT", a.AlertId))];
        foreach ((string alertId, DateTimeOffset detected) in alerts)
        {
            Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, status: "resolved", detected: detected);
        }

        Task all = Task.WhenAll(edits);
        long deadline = Stopwatch.GetTimestamp() + (long)(_settings.Timeout.TotalSeconds * Stopwatch.Frequency);
        while (!all.IsCompleted)
        {
            // Once, and again only if a whole second passed without the edits.
            Poller.RequestPoll();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1)));
            if (!all.IsCompleted && Stopwatch.GetTimestamp() > deadline)
            {
                alerts.Select(a => a.AlertId).ToList().ForEach(id => Watch.Forget("PUT", id));
                throw new TimeoutException($"The cards of {alerts.Count} resolved alerts were not all edited within {_settings.Timeout.TotalSeconds:0.#} s.");
            }
        }

        await WaitUntilIdleAsync(alerts.Select(a => a.AlertId));
        foreach ((string alertId, _) in alerts)
        {
            Fakes.Alerts.TryRemove(alertId, out _);
        }
    }

    /// <summary>redis-server's version, for the report (INFO needs an admin connection of its own).</summary>
    public async Task<string> RedisVersionAsync()
    {
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.Endpoint},allowAdmin=true");
        IGrouping<string, KeyValuePair<string, string>>[] info = await admin.GetServer(admin.GetEndPoints()[0]).InfoAsync("server");
        return info.SelectMany(g => g).FirstOrDefault(p => p.Key == "redis_version").Value ?? "unknown";
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await Fakes.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Subscribes the test channel, as an analyst would, and waits for the bot's answer to settle.</summary>
    private async Task SubscribeAsync()
    {
        string token = "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, Fakes.ServiceUrl), Fakes.ChannelKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(TeamsActivities.ChannelMessage(Fakes.ServiceUrl, "subscribe").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using HttpResponseMessage response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        IConversationStore store = Services.GetRequiredService<IConversationStore>();
        if ((await store.ListSubscriptionsAsync(CancellationToken.None)).Count != 1)
        {
            throw new InvalidOperationException("The subscribe command did not leave exactly one subscribed channel.");
        }

        await WaitUntilIdleAsync([]);
    }

    /// <summary>Until the work stream is drained and none of <paramref name="alertIds"/> is watched.</summary>
    public async Task WaitUntilIdleAsync(IEnumerable<string> alertIds)
    {
        IDatabase db = Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        RedisKeys keys = Services.GetRequiredService<RedisKeys>();
        IAlertWorkStreams work = Services.GetRequiredService<IAlertWorkStreams>();
        string[] ids = [.. alertIds];
        long deadline = Stopwatch.GetTimestamp() + (long)(_settings.Timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            // Done work leaves the streams, so an empty backlog means every card was handled.
            bool drained = await work.BacklogAsync() == 0;
            bool unwatched = true;
            foreach (string id in ids)
            {
                unwatched &= await db.SortedSetScoreAsync(keys.WatchedAlerts, id) is null;
            }

            if (drained && unwatched)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The alert pipeline did not settle within {_settings.Timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(2);
        }
    }

    private static Dictionary<string, string?> Redacted(Dictionary<string, string?> config) =>
        config.ToDictionary(p => p.Key, p => p.Key.Contains("Secret", StringComparison.OrdinalIgnoreCase) ? "(redacted)" : p.Value, StringComparer.Ordinal);
}

/// <summary>An alert's card as the bot posted it: its record (conversation, activity id) and its content.</summary>
internal sealed record PostedCard(string AlertId, DateTimeOffset Detected, AlertCardPost Card, JsonNode Content);
