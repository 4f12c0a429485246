using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// A channel subscribes while a poll is listing Graph: the alerts that poll sees first were queued
/// for the channels read at its start, and the new channel's backfill ran before they were in Graph.
/// Found by the fault suite under load (an alert with no card in the second channel).
/// </summary>
public sealed class SubscribeDuringPollTests(RedisServer redis) : IAsyncLifetime
{
    private const string First = TeamsActivities.ChannelId;
    private const string Second = TeamsActivities.SecondChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Poll_ChannelSubscribesWhileItLists_NewChannelStillGetsTheAlertsThatPollSawFirst()
    {
        BotApp bot = _scenario.StartBot();
        await _scenario.SubscribeAsync(bot, First);
        _scenario.AddAlert("alert-0701", _scenario.Customer(71));
        await _scenario.WaitUntilAsync(() => _scenario.Cards(First, "alert-0701").Count == 1, TimeSpan.FromSeconds(30), () => "the pipeline did not post its first card");

        // Hold the next listing (a poll that has read the subscriptions: the first channel only).
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int armed = 1;
        _scenario.Fakes.GraphListGate = async _ =>
        {
            if (Interlocked.Exchange(ref armed, 0) == 1)
            {
                held.TrySetResult();
                await release.Task;
            }
        };
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // The second channel subscribes (its backfill finds nothing new), then the alert appears and the held listing goes on.
        await _scenario.SubscribeAsync(bot, Second);
        // The answer may come before the subscription is stored: go on once the store holds it.
        IConversationStore store = bot.Services.GetRequiredService<IConversationStore>();
        DateTime storedBy = DateTime.UtcNow.AddSeconds(30);
        while (!(await store.ListSubscriptionsAsync(TestContext.Current.CancellationToken)).Any(s => s.ConversationId == Second))
        {
            Assert.True(DateTime.UtcNow < storedBy, "the second channel's subscription was never stored");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        _scenario.AddAlert("alert-0702", _scenario.Customer(72));
        release.SetResult();

        await _scenario.WaitUntilAsync(
            () => _scenario.Cards(First, "alert-0702").Count == 1 && _scenario.Cards(Second, "alert-0702").Count == 1,
            TimeSpan.FromSeconds(30),
            () => $"alert-0702: {_scenario.Cards(First, "alert-0702").Count} card(s) in the first channel, {_scenario.Cards(Second, "alert-0702").Count} in the second, which subscribed during the poll that first saw it");
        Assert.Empty(_scenario.Cards(Second, "alert-0701"));
    }
}
