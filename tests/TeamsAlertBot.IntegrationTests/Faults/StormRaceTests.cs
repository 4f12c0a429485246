using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "storm threads race": with three instances dispatching at once, a customer's storm gets
/// one root card per channel, whichever instances post its alerts.
/// </summary>
public sealed class StormRaceTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly string[] Channels = [TeamsActivities.ChannelId, TeamsActivities.SecondChannelId];
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task PostAlerts_ThreeInstancesAndTwoCustomersInAStorm_OneStormRootPerCustomerAndChannel()
    {
        BotApp first = _scenario.StartBot(Storm);
        _scenario.StartBot(Storm);
        _scenario.StartBot(Storm);
        foreach (string channel in Channels)
        {
            await _scenario.SubscribeAsync(first, channel);
        }

        // A slow (healthy) connector keeps each dispatcher busy, so the instances share the work.
        _scenario.Connector.Latency = TimeSpan.FromMilliseconds(300);
        int[] customers = [71, 72];
        List<string> alerts = [];
        for (int wave = 0; wave < 4; wave++)
        {
            foreach (int customer in customers)
            {
                for (int i = 0; i < 3; i++)
                {
                    string id = $"alert-{customer}{wave}{i}";
                    _scenario.AddAlert(id, _scenario.Customer(customer));
                    alerts.Add(id);
                }
            }

            await _scenario.WaitForPollsAsync(1);
        }

        await _scenario.WaitForCardsAsync(Channels, alerts, TimeSpan.FromSeconds(45), "of the storm");

        foreach (string channel in Channels)
        {
            foreach (int customer in customers)
            {
                int roots = _scenario.Connector.StormRoots(channel, _scenario.Customer(customer), PipelineScenario.CustomerName(customer)).Count;
                Assert.True(roots == 1, $"{PipelineScenario.CustomerName(customer)} has {roots} storm roots in {channel}, expected one");
            }
        }
    }

    private static void Storm(Dictionary<string, string?> settings)
    {
        settings["Alerts:StormThreshold"] = "3";
        settings["Alerts:StormWindow"] = "00:10:00";
    }
}
