using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>The out-of-process harness itself: the built bot as a child process, killed and started again.</summary>
public sealed class BotProcessTests(RedisServer redis) : IAsyncLifetime
{
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task ChildProcess_KilledAndStartedAgain_PostsAlertsBeforeAndAfter()
    {
        BotProcess bot = await _scenario.StartProcessAsync("bot-1");
        await _scenario.SubscribeAsync(bot, TeamsActivities.ChannelId);
        _scenario.AddAlert("alert-0001", "00000001-0000-4000-8000-00000000c001");
        await _scenario.WaitUntilAsync(() => _scenario.Connector.AlertCards(TeamsActivities.ChannelId, "alert-0001").Count == 1, TimeSpan.FromSeconds(30), () => "alert-0001 was not posted");

        await bot.KillAsync();
        Assert.Null(bot.Pid);
        _scenario.AddAlert("alert-0002", "00000002-0000-4000-8000-00000000c002");
        await bot.StartAsync(TestContext.Current.CancellationToken);
        await _scenario.WaitUntilAsync(() => _scenario.Connector.AlertCards(TeamsActivities.ChannelId, "alert-0002").Count == 1, TimeSpan.FromSeconds(30), () => "alert-0002 was not posted after the restart");

        Assert.Contains(bot.LogLines, l => l.Contains("[4100]", StringComparison.Ordinal) && l.Contains("alert-0002", StringComparison.Ordinal));
        Assert.Empty(_scenario.Trap.Attempts);
    }
}
