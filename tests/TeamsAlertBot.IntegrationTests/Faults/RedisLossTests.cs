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

    /// <summary>
    /// On a cluster only one shard loses its data (a failover to an empty replica): the one holding the
    /// subscriptions (the epoch shares their slot, so the loss is noticed), or the one holding a
    /// channel's reference (put back from the last read). On one server the flush is a whole loss. The
    /// prefix is random, so a reference's shard sometimes holds the subscriptions too.
    /// </summary>
    [Theory]
    [InlineData("subscriptions", 81)]
    [InlineData("conv:" + TeamsActivities.ChannelId, 82)]
    public async Task FlushShardOfOneKey_MidRun_NothingLostAndNothingRepeated(string key, int series)
    {
        BotApp bot = _scenario.StartBot();
        foreach (string channel in Channels)
        {
            await _scenario.SubscribeAsync(bot, channel);
        }

        string before = $"alert-0{series}1";
        string after = $"alert-0{series}2";
        _scenario.AddAlert(before, _scenario.Customer(series + 10));
        await _scenario.WaitForCardsAsync(Channels, [before], TimeSpan.FromSeconds(30), "posted before the shard lost its data");

        int flushed = await _scenario.OwnRedis!.FlushNodeHoldingAsync(_scenario.Prefix + key, TestContext.Current.CancellationToken);
        Assert.Equal(1, flushed);
        _scenario.AddAlert(after, _scenario.Customer(series + 11));

        await _scenario.WaitForCardsAsync(Channels, [after], TimeSpan.FromSeconds(30), $"added after the shard holding {key} lost its data");
        foreach (string channel in Channels)
        {
            Assert.True(_scenario.Cards(channel, before).Count == 1, $"posted again after the shard loss: {_scenario.Trace(channel, before)}");
        }
    }
}
