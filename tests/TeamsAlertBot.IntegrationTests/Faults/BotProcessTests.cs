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
        await _scenario.WaitUntilAsync(() => _scenario.Connector.AlertCards(TeamsActivities.ChannelId, "alert-0001").Count == 1, TimeSpan.FromSeconds(20), () => "alert-0001 was not posted");

        await bot.KillAsync();
        Assert.Null(bot.Pid);
        _scenario.AddAlert("alert-0002", "00000002-0000-4000-8000-00000000c002");
        await bot.StartAsync(TestContext.Current.CancellationToken);
        await _scenario.WaitUntilAsync(() => _scenario.Connector.AlertCards(TeamsActivities.ChannelId, "alert-0002").Count == 1, TimeSpan.FromSeconds(20), () => "alert-0002 was not posted after the restart");

        // The restarted process's log is captured too (the console logger writes a moment after the post).
        await _scenario.WaitUntilAsync(
            () => bot.LogLines.Any(l => l.Contains("[4100]", StringComparison.Ordinal) && l.Contains("alert-0002", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            () => "the restarted process's log has no [4100] line for alert-0002");
        Assert.Empty(_scenario.Trap.Attempts);
    }
}
