using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "slow or odd connector answers" and "a delivered card is forgotten": a send whose outcome
/// the bot cannot read from the answer, or whose record it could not write, must not become a second
/// card in a conversation the bot can read back through Graph.
/// </summary>
public sealed class AmbiguousSendTests(RedisServer redis) : IAsyncLifetime
{
    private const string Channel = TeamsActivities.ChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task PostAlert_ConnectorAcceptsTheCardAfter16Seconds_PostedExactlyOnceToReadableChannel()
    {
        BotApp bot = _scenario.StartBot();
        await _scenario.SubscribeAsync(bot, Channel);
        // Every POST of this alert's card is stored at once and answered after 16 s: past the bot's 15 s attempt timeout.
        _scenario.Connector.Faults.Alerts["alert-0101"] = ConnectorFault.SlowAccept;
        _scenario.AddAlert("alert-0101", _scenario.Customer(1));

        await _scenario.WaitUntilAsync(() => _scenario.Cards(Channel, "alert-0101").Count > 0, TimeSpan.FromSeconds(30), () => "alert-0101 was never posted");
        await _scenario.SettleAsync(quiet: TimeSpan.FromSeconds(10), deadline: TimeSpan.FromSeconds(90), stop: () => _scenario.Cards(Channel, "alert-0101").Count > 1);

        Assert.True(_scenario.Cards(Channel, "alert-0101").Count == 1, _scenario.Trace(Channel, "alert-0101"));
    }

    [Fact]
    public async Task PostAlert_ConnectorAnswers201WithABodyThatIsNotJson_PostedExactlyOnceEvenWithShortReclaim()
    {
        BotApp bot = _scenario.StartBot(s => s["Alerts:ReclaimAfter"] = "00:00:02");
        await _scenario.SubscribeAsync(bot, Channel);
        _scenario.Connector.Faults.Alerts["alert-0201"] = ConnectorFault.NonJsonCreated;
        _scenario.AddAlert("alert-0201", _scenario.Customer(2));

        await _scenario.WaitUntilAsync(() => _scenario.Cards(Channel, "alert-0201").Count > 0, TimeSpan.FromSeconds(30), () => "alert-0201 was never posted");
        await _scenario.SettleAsync(quiet: TimeSpan.FromSeconds(8), deadline: TimeSpan.FromSeconds(60), stop: () => _scenario.Cards(Channel, "alert-0201").Count > 1);

        Assert.True(_scenario.Cards(Channel, "alert-0201").Count == 1, _scenario.Trace(Channel, "alert-0201"));
    }
}

/// <summary>
/// Issue 9, "a delivered card is forgotten": the connector accepted the card (2xx) while redis-server
/// restarted, so the bot's first write of its record failed. The bot must still know the card: it
/// edits it when the alert is resolved, and never posts it again. (Its own Redis, since it restarts it.)
/// </summary>
public sealed class CardRecordDuringRedisRestartTests : IAsyncLifetime
{
    private const string Channel = TeamsActivities.ChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartWithOwnRedisAsync(appendOnly: true);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task PostAlert_RedisRestartsWhileTheConnectorAcceptsTheCard_CardIsKnownEditedAndNotPostedAgain()
    {
        RedisTopology redis = _scenario.OwnRedis!;
        BotApp bot = _scenario.StartBot();
        await _scenario.SubscribeAsync(bot, Channel);
        Task? restart = null;
        _scenario.Connector.OnDelivered = async message =>
        {
            if (restart is null && CardMarkers.AlertIdOf(message.Activity) == "alert-0301")
            {
                // Redis goes down (gracefully, AOF written) before the bot hears 201, and is back 5 s later.
                await redis.StopAsync();
                restart = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    await redis.StartAgainAsync();
                });
            }
        };
        _scenario.AddAlert("alert-0301", _scenario.Customer(3));

        await _scenario.WaitUntilAsync(() => restart is { IsCompleted: true }, TimeSpan.FromSeconds(30), () => "alert-0301 was never posted (or Redis did not come back)");
        await restart!;
        DeliveredMessage card = _scenario.Cards(Channel, "alert-0301")[0];

        // Resolved elsewhere: only a bot that remembers its card edits it.
        _scenario.Fakes.Alerts["alert-0301"]["status"] = "resolved";
        _scenario.Fakes.Alerts["alert-0301"]["resolvedReason"] = "legitimate";
        await _scenario.WaitUntilAsync(
            () => _scenario.Connector.Attempts.Any(a => a.Method == "PUT" && a.ActivityId == card.Id) || _scenario.Cards(Channel, "alert-0301").Count > 1,
            TimeSpan.FromSeconds(30),
            () => $"the card of alert-0301 delivered while Redis restarted was never edited after the alert was resolved (the bot lost its record). {_scenario.Trace(Channel, "alert-0301")}");
        await _scenario.SettleAsync(quiet: TimeSpan.FromSeconds(8), deadline: TimeSpan.FromSeconds(30), stop: () => _scenario.Cards(Channel, "alert-0301").Count > 1);

        Assert.True(_scenario.Cards(Channel, "alert-0301").Count == 1, _scenario.Trace(Channel, "alert-0301"));
        Assert.Contains(_scenario.Connector.Attempts, a => a.Method == "PUT" && a.ActivityId == card.Id);
    }
}
