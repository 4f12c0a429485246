using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "Redis data loss": a FLUSHALL mid-run (as a restart without persistence or a failover to an
/// empty replica leaves it) is survived without a restart of the bot: no flood of repeats, no silent
/// loss. (Its own Redis, since it flushes it.)
/// </summary>
public sealed class RedisLossTests : IAsyncLifetime
{
    private static readonly string[] Channels = [TeamsActivities.ChannelId, TeamsActivities.SecondChannelId];
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartWithOwnRedisAsync(appendOnly: false);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task FlushAll_MidRun_LaterAlertsPostedOldOnesNotRepeatedAndOneRecoveryCardPerChannel()
    {
        BotApp bot = _scenario.StartBot();
        foreach (string channel in Channels)
        {
            await _scenario.SubscribeAsync(bot, channel);
        }

        string[] before = ["alert-0801", "alert-0802", "alert-0803"];
        string[] after = ["alert-0804", "alert-0805"];
        for (int i = 0; i < before.Length; i++)
        {
            _scenario.AddAlert(before[i], _scenario.Customer(81 + i));
        }

        await _scenario.WaitForCardsAsync(Channels, before, TimeSpan.FromSeconds(30), "posted before the flush");

        await _scenario.OwnRedis!.FlushAllAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < after.Length; i++)
        {
            _scenario.AddAlert(after[i], _scenario.Customer(84 + i));
        }

        await _scenario.WaitForCardsAsync(Channels, after, TimeSpan.FromSeconds(30), "added after Redis lost its state (the bot was not restarted)");
        await _scenario.SettleAsync(quiet: TimeSpan.FromSeconds(5), deadline: TimeSpan.FromSeconds(30));

        foreach (string channel in Channels)
        {
            Assert.All(before, a => Assert.True(_scenario.Cards(channel, a).Count == 1, $"posted again after the flush: {_scenario.Trace(channel, a)}"));
            Assert.True(_scenario.Connector.RecoveryCards(channel).Count == 1, $"{channel} got {_scenario.Connector.RecoveryCards(channel).Count} recovery cards ({CardMarkers.Recovery}), expected one");
        }
    }

    [Fact]
    public async Task FlushShardOfTheSubscriptions_MidRun_SubscriptionsPutBackAndLaterAlertsPosted()
    {
        BotApp bot = _scenario.StartBot();
        foreach (string channel in Channels)
        {
            await _scenario.SubscribeAsync(bot, channel);
        }

        _scenario.AddAlert("alert-0811", _scenario.Customer(91));
        await _scenario.WaitForCardsAsync(Channels, ["alert-0811"], TimeSpan.FromSeconds(30), "posted before the shard lost its data");

        // On a cluster only the shard that holds the subscriptions loses its data; every other key stays.
        int flushed = await _scenario.OwnRedis!.FlushNodeHoldingAsync(_scenario.Prefix + "subscriptions", TestContext.Current.CancellationToken);
        Assert.Equal(1, flushed);
        _scenario.AddAlert("alert-0812", _scenario.Customer(92));

        await _scenario.WaitForCardsAsync(Channels, ["alert-0812"], TimeSpan.FromSeconds(30), "added after the subscriptions' shard lost its data");
        foreach (string channel in Channels)
        {
            Assert.True(_scenario.Cards(channel, "alert-0811").Count == 1, $"posted again after the shard loss: {_scenario.Trace(channel, "alert-0811")}");
        }
    }

    [Fact]
    public async Task FlushShardOfAReference_MidRun_ReferencePutBackAndLaterAlertsPosted()
    {
        BotApp bot = _scenario.StartBot();
        foreach (string channel in Channels)
        {
            await _scenario.SubscribeAsync(bot, channel);
        }

        _scenario.AddAlert("alert-0821", _scenario.Customer(93));
        await _scenario.WaitForCardsAsync(Channels, ["alert-0821"], TimeSpan.FromSeconds(30), "posted before the shard lost its data");

        // On a cluster only the shard that holds the first channel's reference loses its data (elsewhere
        // the one server: a whole loss, which the epoch notices). The prefix is random, so on about one
        // run in three that shard also holds the subscriptions and the epoch path recovers instead.
        int flushed = await _scenario.OwnRedis!.FlushNodeHoldingAsync(_scenario.Prefix + "conv:" + Channels[0], TestContext.Current.CancellationToken);
        Assert.Equal(1, flushed);
        _scenario.AddAlert("alert-0822", _scenario.Customer(94));

        await _scenario.WaitForCardsAsync(Channels, ["alert-0822"], TimeSpan.FromSeconds(30), "added after the reference's shard lost its data");
        foreach (string channel in Channels)
        {
            Assert.True(_scenario.Cards(channel, "alert-0821").Count == 1, $"posted again after the shard loss: {_scenario.Trace(channel, "alert-0821")}");
        }
    }
}
