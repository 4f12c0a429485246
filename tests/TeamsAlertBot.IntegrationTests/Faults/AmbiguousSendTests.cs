using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "slow or odd connector answers": a send whose outcome the bot cannot read from the answer
/// must not become a second card in a conversation the bot can read back through Graph.
/// </summary>
public sealed class AmbiguousSendTests(RedisServer redis) : IAsyncLifetime
{
    private const string Channel = TeamsActivities.ChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public Task PostAlert_ConnectorAcceptsTheCardAfter16Seconds_PostedExactlyOnceToReadableChannel() =>
        // Every POST of this alert's card is stored at once and answered after 16 s: past the bot's 15 s attempt timeout.
        AssertPostedOnceAsync("alert-0101", ConnectorFault.SlowAccept, quiet: TimeSpan.FromSeconds(10), deadline: TimeSpan.FromSeconds(90));

    [Fact]
    public Task PostAlert_ConnectorAnswers201WithABodyThatIsNotJson_PostedExactlyOnceEvenWithShortReclaim() =>
        AssertPostedOnceAsync("alert-0201", ConnectorFault.NonJsonCreated, quiet: TimeSpan.FromSeconds(8), deadline: TimeSpan.FromSeconds(60), s => s["Alerts:ReclaimAfter"] = "00:00:02");

    /// <summary>
    /// Every POST of the alert's card gets <paramref name="fault"/>; once the card is there and the
    /// connector stayed idle for <paramref name="quiet"/> (or a second card came), exactly one card.
    /// </summary>
    private async Task AssertPostedOnceAsync(string alertId, ConnectorFault fault, TimeSpan quiet, TimeSpan deadline, Action<Dictionary<string, string?>>? configure = null)
    {
        BotApp bot = _scenario.StartBot(configure);
        await _scenario.SubscribeAsync(bot, Channel);
        _scenario.Connector.Faults.Alerts[alertId] = fault;
        _scenario.AddAlert(alertId, _scenario.Customer(1));

        await _scenario.WaitUntilAsync(() => _scenario.Cards(Channel, alertId).Count > 0, TimeSpan.FromSeconds(30), () => $"{alertId} was never posted");
        await _scenario.SettleAsync(quiet, deadline, stop: () => _scenario.Cards(Channel, alertId).Count > 1);

        Assert.True(_scenario.Cards(Channel, alertId).Count == 1, _scenario.Trace(Channel, alertId));
    }
}
