using System.Net;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// Issue 9, "one outage stops everyone" and "replies hold the request": a conversation whose connector
/// calls fail, or whose send window is full, affects that conversation only, and the answer to an
/// incoming activity never waits for an outbound send.
/// </summary>
public sealed class IsolationTests(RedisServer redis) : IAsyncLifetime
{
    private const string Failing = TeamsActivities.ChannelId;
    private const string Healthy = TeamsActivities.SecondChannelId;
    private PipelineScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await PipelineScenario.StartAsync(redis);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Theory]
    [InlineData(ConnectorFault.Unavailable503)]
    [InlineData(ConnectorFault.SlowAccept)]
    public async Task PostAlerts_OneChannelsConnectorFailsEveryCall_OtherChannelGetsEachCardBeforeTheFailingOneIsRetried(ConnectorFault fault)
    {
        // The failing channel answers every call with 503, or accepts it only after 16 s (the bot times
        // out). Its retries are far apart, so a card to the healthy channel that waits for them is
        // visibly late: it comes after the failing channel's second attempt.
        BotApp bot = _scenario.StartBot(s =>
        {
            s["Alerts:Delivery:RetryDelay"] = "00:00:30";
            s["Alerts:Delivery:MaxRetryDelay"] = "00:01:00";
        });
        await _scenario.SubscribeAsync(bot, Failing);
        await _scenario.SubscribeAsync(bot, Healthy);
        _scenario.Connector.Faults.Conversations[Failing] = fault;
        string[] alerts = ["alert-0601", "alert-0602", "alert-0603"];
        for (int i = 0; i < alerts.Length; i++)
        {
            _scenario.AddAlert(alerts[i], _scenario.Customer(61 + i));
        }

        await _scenario.WaitUntilAsync(
            () => alerts.All(a => _scenario.Cards(Healthy, a).Count > 0) || alerts.Any(HeldBackByTheFailingChannel),
            TimeSpan.FromSeconds(45),
            () => "the healthy channel did not get every card");

        Assert.All(alerts, a => Assert.False(
            HeldBackByTheFailingChannel(a),
            $"{a}: its card to the healthy channel waited for the failing channel's retries. {_scenario.Trace(Healthy, a)}; {_scenario.Trace(Failing, a)}"));
    }

    /// <summary>True once the failing channel had a second attempt at an alert whose healthy-channel card was not yet delivered before it.</summary>
    private bool HeldBackByTheFailingChannel(string alertId)
    {
        ConnectorAttempt[] failing = [.. _scenario.Connector.AttemptsTo(Failing).Where(a => a.AlertId == alertId)];
        if (failing.Length < 2)
        {
            return false;
        }

        long healthyCard = _scenario.Cards(Healthy, alertId).Select(m => m.Sequence).DefaultIfEmpty(long.MaxValue).Min();
        return healthyCard > failing[1].Sequence;
    }

    [Fact]
    public async Task PostActivity_ConnectorFailsForOneConversation_NeverAnswers5xxAndOtherConversationsGetTheirReplies()
    {
        BotApp bot = _scenario.StartBot();
        _scenario.Connector.Faults.Conversations[Failing] = ConnectorFault.Unavailable503;

        // Enough traffic to the failing conversation to make any shared circuit breaker open (100 calls within its window).
        HttpStatusCode[] failingAnswers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => HelpAsync(bot, Failing)));
        long sent = _scenario.Connector.Sequence();
        HttpStatusCode healthyAnswer = await HelpAsync(bot, Healthy);

        Assert.True(
            failingAnswers.All(s => (int)s < 500) && (int)healthyAnswer < 500,
            $"/api/messages answered {string.Join(", ", failingAnswers.GroupBy(s => (int)s).Select(g => $"{g.Key}×{g.Count()}"))} in the failing conversation and {(int)healthyAnswer} in the healthy one");
        await _scenario.WaitUntilAsync(
            () => _scenario.Connector.DeliveredTo(Healthy).Any(m => m.Sequence > sent),
            TimeSpan.FromSeconds(30),
            () => "the healthy conversation never got its reply while the other conversation's connector failed");
    }

    [Fact]
    public async Task PostActivity_ConversationsSendWindowIsFull_AnswerComesBeforeTheReplyAndTheReplyIsStillDelivered()
    {
        // One send per 20 s in a conversation: the second reply must wait for a slot.
        BotApp bot = _scenario.StartBot(s =>
        {
            s["Bot:SendLimits:PerConversation:0:Window"] = "00:00:20";
            s["Bot:SendLimits:PerConversation:0:Limit"] = "1";
        });
        Assert.Equal(HttpStatusCode.OK, await HelpAsync(bot, Healthy));

        await _scenario.WaitUntilAsync(() => _scenario.Connector.DeliveredTo(Healthy).Count > 0, TimeSpan.FromSeconds(30), () => "the first reply was never delivered");
        long sent = _scenario.Connector.Sequence();
        HttpStatusCode second = await HelpAsync(bot, Healthy);
        long answered = _scenario.Connector.Sequence();

        Assert.Equal(HttpStatusCode.OK, second);
        await _scenario.WaitUntilAsync(
            () => _scenario.Connector.DeliveredTo(Healthy).Any(m => m.Sequence > sent),
            TimeSpan.FromSeconds(60),
            () => "the reply to the second command was never delivered");
        DeliveredMessage reply = _scenario.Connector.DeliveredTo(Healthy).First(m => m.Sequence > sent);
        Assert.True(answered < reply.Sequence, $"the HTTP answer to the activity (event #{answered}) came after its reply was delivered (event #{reply.Sequence}): the request waited for a send slot");
    }

    /// <summary>
    /// Posts a signed <c>help</c> in a channel and returns the HTTP answer's status. The in-process test
    /// server hands an exception the endpoint did not handle to the caller; Kestrel answers it with 500.
    /// </summary>
    private async Task<HttpStatusCode> HelpAsync(BotApp bot, string channelId)
    {
        try
        {
            using HttpResponseMessage answer = await bot.PostActivityAsync(_scenario.Command("help", channelId), BotApp.ChannelAuthorization(_scenario.Fakes));
            return answer.StatusCode;
        }
        catch (Exception e) when (e is not HttpRequestException)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"/api/messages threw (Kestrel: 500): {e.GetType().Name}: {e.Message}");
            return HttpStatusCode.InternalServerError;
        }
    }
}
