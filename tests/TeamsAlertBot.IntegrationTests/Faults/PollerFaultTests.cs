using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "late alerts dropped" and "one repeated id": what Graph shows, however late or however
/// paged, is posted, and a page that repeats an id does not stop the poller from doing its work.
/// </summary>
public sealed class PollerFaultTests(RedisServer redis) : IAsyncLifetime
{
    private const string Channel = TeamsActivities.ChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Poll_AlertDetectedThreeDaysAgoAppearsAfterTheBotRan_IsPosted()
    {
        BotApp bot = _scenario.StartBot();
        await _scenario.SubscribeAsync(bot, Channel);
        await _scenario.WaitForPollsAsync(2);

        // Graph publishes an alert it detected three days ago, beside a fresh one.
        _scenario.AddAlert("alert-0401", _scenario.Customer(41), detected: DateTimeOffset.UtcNow.AddDays(-3));
        _scenario.AddAlert("alert-0402", _scenario.Customer(42));

        await _scenario.WaitUntilAsync(() => _scenario.Cards(Channel, "alert-0402").Count > 0, TimeSpan.FromSeconds(20), () => "the fresh alert-0402 was never posted");
        await _scenario.WaitForPollsAsync(3);
        await _scenario.WaitUntilAsync(
            () => _scenario.Cards(Channel, "alert-0401").Count > 0,
            TimeSpan.FromSeconds(20),
            () => "alert-0401, detected three days before Graph showed it, was never posted (alert-0402, seen in the same polls, was)");
    }

    [Fact]
    public async Task Poll_OneIdRepeatedAcrossPages_NewAlertsPostedAndResolvedAlertsEdited()
    {
        BotApp bot = _scenario.StartBot();
        await _scenario.SubscribeAsync(bot, Channel);
        for (int i = 1; i <= 4; i++)
        {
            _scenario.AddAlert($"alert-050{i}", _scenario.Customer(50 + i));
        }

        await _scenario.WaitUntilAsync(
            () => Enumerable.Range(1, 4).All(i => _scenario.Cards(Channel, $"alert-050{i}").Count > 0), TimeSpan.FromSeconds(20), () => "alert-0501…0504 were not all posted");
        DeliveredMessage resolvedCard = _scenario.Cards(Channel, "alert-0501")[0];

        // Graph's paged list (3 a page) now shows alert-0502 last on page 1 and again first on page 2.
        _scenario.Fakes.GraphRepeatedAlertId = "alert-0502";
        await _scenario.WaitForPollsAsync(2);
        _scenario.AddAlert("alert-0505", _scenario.Customer(55));
        _scenario.Fakes.Alerts["alert-0501"]["status"] = "resolved";
        _scenario.Fakes.Alerts["alert-0501"]["resolvedReason"] = "fraud";
        _scenario.Fakes.Alerts["alert-0501"]["resolvedBy"] = "kenji@partner.example";

        await _scenario.WaitUntilAsync(() => _scenario.Cards(Channel, "alert-0505").Count > 0, TimeSpan.FromSeconds(20), () => "alert-0505, new after the repeat began, was never posted");
        await _scenario.WaitUntilAsync(
            () => _scenario.Connector.Attempts.Any(a => a.Method == "PUT" && a.ActivityId == resolvedCard.Id),
            TimeSpan.FromSeconds(20),
            () => "the card of alert-0501, resolved in Graph while another id repeated across pages, was never edited");
    }
}
