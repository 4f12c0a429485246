using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

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
