using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// One alert pipeline under test: the loopback fakes, a Redis (the run's shared one, or one of its own
/// that the test may restart or flush), and any number of bots on the same key prefix — in this process
/// (<see cref="StartBot"/>) or as child processes (<see cref="StartProcessAsync"/>). Disposing it stops
/// every bot and server it started.
/// </summary>
public sealed class PipelineScenario : IAsyncDisposable
{
    private readonly List<BotApp> _bots = [];
    private readonly List<BotProcess> _processes = [];
    private readonly Lazy<string> _directory;

    private PipelineScenario(LoopbackFakes fakes, string redisConnectionString, RedisTopology? ownRedis)
    {
        Fakes = fakes;
        RedisConnectionString = redisConnectionString;
        OwnRedis = ownRedis;
        _directory = new Lazy<string>(() => System.IO.Directory.CreateTempSubdirectory("tab-scenario-").FullName);
    }

    public LoopbackFakes Fakes { get; }

    public FakeConnector Connector => Fakes.Connector;

    public string RedisConnectionString { get; }

    /// <summary>The scenario's own Redis (null when it uses the run's shared one).</summary>
    public RedisTopology? OwnRedis { get; }

    /// <summary>Every bot of the scenario shares this key prefix.</summary>
    public string Prefix { get; } = RedisServer.UniquePrefix();

    /// <summary>Where child processes run and log (made for the first one); kept when the test fails.</summary>
    public string Directory => _directory.Value;

    /// <summary>Where child bots' requests to anything but loopback end up.</summary>
    public ForeignHostTrap Trap { get; } = new();

    public IReadOnlyList<BotProcess> Processes => _processes;

    /// <summary>A scenario on the run's shared Redis.</summary>
    public static async Task<PipelineScenario> StartAsync(RedisServer redis) =>
        new(await LoopbackFakes.StartAsync(), redis.ConnectionString, ownRedis: null);

    /// <summary>A scenario on a Redis of its own, of this run's topology.</summary>
    public static async Task<PipelineScenario> StartWithOwnRedisAsync(bool appendOnly)
    {
        RedisTopology redis = await RedisTopology.StartAsync(RedisTopology.KindUnderTest, appendOnly);
        return new(await LoopbackFakes.StartAsync(), redis.ConnectionString, redis);
    }

    /// <summary>
    /// The settings every bot of the scenario gets: the alert pipeline against the fakes, the test user
    /// allowed to triage, quick timers; <paramref name="configure"/> changes them.
    /// </summary>
    public Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? configure = null)
    {
        Dictionary<string, string?> settings = BotApp.WithAlertPipeline(Fakes, RedisConnectionString, Prefix);
        // Delivery retries as issue 9 asks for them: dead letter after 4 failed attempts, backoff from 1 s doubling up to 4 s.
        settings["Alerts:Delivery:MaxAttempts"] = "4";
        settings["Alerts:Delivery:RetryDelay"] = "00:00:01";
        settings["Alerts:Delivery:MaxRetryDelay"] = "00:00:04";
        configure?.Invoke(settings);
        return settings;
    }

    /// <summary>Starts a bot in this process (its poller and dispatcher run at once).</summary>
    public BotApp StartBot(Action<Dictionary<string, string?>>? configure = null)
    {
        var bot = new BotApp(Settings(configure));
        _bots.Add(bot);
        _ = bot.Server;
        return bot;
    }

    /// <summary>Starts the built bot as a child process and waits until it is healthy.</summary>
    public async Task<BotProcess> StartProcessAsync(string name, Action<Dictionary<string, string?>>? configure = null)
    {
        BotProcess bot = await BotProcess.StartAsync(name, Settings(configure), Directory, Trap, TestContext.Current.CancellationToken);
        _processes.Add(bot);
        return bot;
    }

    /// <summary>A command the test user types in a channel, as a new activity (its own id, as Teams gives every message).</summary>
    public JsonObject Command(string text, string channelId)
    {
        JsonObject activity = TeamsActivities.ChannelMessage(Fakes.ServiceUrl, text, channelId: channelId);
        activity["id"] = Connector.Sequence().ToString("D13", CultureInfo.InvariantCulture);
        return activity;
    }

    /// <summary>Subscribes a channel by posting a signed <c>subscribe</c> as Teams would.</summary>
    public async Task SubscribeAsync(BotApp bot, string channelId)
    {
        using HttpResponseMessage response = await bot.PostActivityAsync(Command("subscribe", channelId), BotApp.ChannelAuthorization(Fakes));
        await AssertSubscribedAsync(response, channelId);
    }

    /// <summary>Subscribes a channel through a child process.</summary>
    public async Task SubscribeAsync(BotProcess bot, string channelId)
    {
        using HttpResponseMessage response = await bot.PostActivityAsync(Command("subscribe", channelId), BotApp.ChannelAuthorization(Fakes), TestContext.Current.CancellationToken);
        await AssertSubscribedAsync(response, channelId);
    }

    private static async Task AssertSubscribedAsync(HttpResponseMessage response, string channelId)
    {
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"subscribe in {channelId} was answered {(int)response.StatusCode} {body} (Redis topology: {RedisTopology.KindUnderTest})");
    }

    /// <summary>Adds an open alert to the fake Graph, detected now unless told otherwise.</summary>
    public JsonObject AddAlert(string id, string customerTenantId, DateTimeOffset? detected = null, string severity = "high") =>
        Fakes.AddAlert(id, customerTenantId, severity: severity, detected: detected);

    /// <summary>How many alert list calls the fake Graph answered (each poll makes at least one).</summary>
    public int ListCalls => Fakes.GraphRequests.Count(r => r.Method == "GET" && r.RawTarget.Contains("/securityAlerts?", StringComparison.Ordinal)
        || r.Method == "GET" && r.RawTarget.EndsWith("/securityAlerts", StringComparison.Ordinal));

    /// <summary>Waits until the bots polled Graph at least <paramref name="polls"/> more times.</summary>
    public async Task WaitForPollsAsync(int polls)
    {
        int target = ListCalls + polls;
        await WaitUntilAsync(() => ListCalls >= target, TimeSpan.FromSeconds(30), () => $"the bots did not poll Graph {polls} more times");
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="describe"/>
    /// (and what the connector saw) when it has not within <paramref name="deadline"/>.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline, Func<string> describe)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Not within {deadline.TotalSeconds:0} s: {describe()}{Environment.NewLine}{Report()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Waits until the connector has been idle (nothing in flight, no new call) for <paramref name="quiet"/>,
    /// or <paramref name="stop"/> holds (a test stops early once the outcome is already wrong), or the deadline passes.
    /// </summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan deadline, Func<bool>? stop = null)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && !(stop?.Invoke() ?? false) && !Connector.IdleFor(quiet))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A customer tenant id of the tests' own (GUID-shaped, so cards link it), registered with the fake Partner Center by name.</summary>
    public string Customer(int number)
    {
        string id = $"{number:D8}-0000-4000-8000-{number:D12}";
        Fakes.Customers[id] = CustomerName(number);
        return id;
    }

    /// <summary>The company name the fake Partner Center gives <see cref="Customer"/>.</summary>
    public static string CustomerName(int number) => $"Customer {number:D3} Ltd";

    /// <summary>The cards of an alert in a channel.</summary>
    public IReadOnlyList<DeliveredMessage> Cards(string channelId, string alertId) => Connector.AlertCards(channelId, alertId);

    /// <summary>Waits until each alert has a card in each channel.</summary>
    public Task WaitForCardsAsync(IReadOnlyList<string> channels, IReadOnlyList<string> alerts, TimeSpan deadline, string when) => WaitUntilAsync(
        () => channels.All(c => alerts.All(a => Cards(c, a).Count > 0)),
        deadline,
        () => $"not every alert {when} has a card in each subscribed channel; missing: "
            + string.Join("; ", channels.SelectMany(c => alerts.Where(a => Cards(c, a).Count == 0).Take(5).Select(a => Trace(c, a)))));

    /// <summary>What the connector did with one alert in one channel, for failure messages.</summary>
    public string Trace(string channelId, string alertId) =>
        $"{alertId} in {channelId}: {Cards(channelId, alertId).Count} card(s); attempts: "
        + string.Join(", ", Connector.AttemptsTo(channelId).Where(a => a.AlertId == alertId).Select(a => $"#{a.Sequence} {a.Method} {a.Fault}→{a.Outcome}"));

    /// <summary>What the connector saw, per conversation (for failure messages).</summary>
    public string Report()
    {
        var text = new StringBuilder();
        foreach (IGrouping<string, ConnectorAttempt> conversation in Connector.Attempts.GroupBy(a => a.Conversation))
        {
            string outcomes = string.Join(", ", conversation.GroupBy(a => (a.Fault, a.Outcome)).Select(g => $"{g.Key.Fault}/{g.Key.Outcome}×{g.Count()}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {conversation.Key}: {conversation.Count()} calls, {Connector.DeliveredTo(conversation.Key).Count} delivered; {outcomes}");
        }

        foreach (BotProcess bot in _processes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {bot.Name} log: {bot.LogFile}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        bool failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        if (failed && TestContext.Current.TestOutputHelper is { } output)
        {
            output.WriteLine(Report());
            foreach (BotProcess bot in _processes)
            {
                output.WriteLine($"----- last lines of {bot.Name} ({bot.LogFile}) -----{Environment.NewLine}{bot.Tail(80)}");
            }
        }

        foreach (BotApp bot in _bots)
        {
            await bot.DisposeAsync();
        }

        foreach (BotProcess bot in _processes)
        {
            await bot.DisposeAsync();
        }

        await Trap.DisposeAsync();
        await Fakes.DisposeAsync();
        if (OwnRedis is not null)
        {
            await OwnRedis.DisposeAsync();
        }

        // The logs of a failed test stay for whoever reads the failure; a passing test leaves nothing.
        if (!failed && _directory.IsValueCreated)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
