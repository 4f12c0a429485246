using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>
/// The whole bot against the loopback fakes (identity, metadata, connector over HTTPS) and a real
/// redis-server: the bot is installed in a team, a channel subscribes, and every reply carries the
/// bot's app token to the allow-listed connector — and nothing goes anywhere else.
/// </summary>
public sealed class InstallAndSubscribeTests(RedisServer redis) : IAsyncLifetime
{
    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _bot = new BotApp(BotApp.Authenticated(_fakes, redis));
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private string Token(string? serviceUrl = null) =>
        "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, serviceUrl ?? _fakes.ServiceUrl), _fakes.ChannelKey);

    [Fact]
    public async Task InstallThenSubscribe_StoresReferenceInRedisAndRepliesWithBearerToken()
    {
        using (HttpResponseMessage installed = await _bot.PostActivityAsync(TeamsActivities.Installation(_fakes.ServiceUrl), Token()))
        {
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        }

        using (HttpResponseMessage subscribed = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token()))
        {
            Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        }

        RecordedRequest[] requests = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, 2);
        Assert.Equal(2, requests.Length);
        RecordedRequest welcome = requests[0];
        RecordedRequest reply = requests[1];
        Assert.All(requests, r => Assert.StartsWith("Bearer ey", r.Authorization, StringComparison.Ordinal));

        // The welcome goes to the picked channel, the reply into the subscriber's thread, ids escaped.
        Assert.Equal("POST", welcome.Method);
        Assert.StartsWith($"/connector/v3/conversations/{Uri.EscapeDataString(TeamsActivities.ChannelId)}/activities", welcome.RawTarget, StringComparison.Ordinal);
        Assert.Equal(
            $"/connector/v3/conversations/{Uri.EscapeDataString($"{TeamsActivities.ChannelId};messageid=1732791234567")}/activities/1732791234567",
            reply.RawTarget);
        JsonNode body = reply.Json!;
        Assert.Equal("message", (string?)body["type"]);
        Assert.Equal("1732791234567", (string?)body["replyToId"]);
        Assert.Contains("Security alerts", (string?)body["text"], StringComparison.Ordinal);
        Assert.Equal($"28:{BotApp.AppId}", (string?)body["from"]?["id"]);

        // State is in Redis, shared by every instance.
        IConversationStore store = _bot.Services.GetRequiredService<IConversationStore>();
        Assert.Equal("Redis", store.Kind);
        ChannelSubscription? subscription = await store.GetSubscriptionAsync(TeamsActivities.ChannelId, TestContext.Current.CancellationToken);
        Assert.NotNull(subscription);
        Assert.Equal("Aiko Analyst", subscription.SubscribedBy);
        ConversationReference? reference = await store.GetReferenceAsync(TeamsActivities.ChannelId, TestContext.Current.CancellationToken);
        Assert.NotNull(reference);
        Assert.Equal(_fakes.ServiceUrl, reference.ServiceUrl);
        Assert.Equal(TeamsActivities.TeamId, reference.TeamId);
        Assert.Equal(TeamsActivities.TenantId, reference.TenantId);

        // A single app token served both calls (cached by MSAL).
        Assert.Single(_fakes.TokenRequests);
    }

    [Fact]
    public void AllowedServiceUrls_Configured_ReplaceTheTeamsDefaults()
    {
        List<string> allowed = _bot.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TeamsAlertBot.BotFramework.BotFrameworkOptions>>().Value.AllowedServiceUrls;

        // Only what the configuration lists: a test deployment is not also open to Teams' connectors.
        Assert.Equal([_fakes.BaseUrl.GetLeftPart(UriPartial.Authority)], allowed);
    }

    [Fact]
    public async Task Subscribe_Twice_SecondSaysAlreadySubscribed()
    {
        await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token());
        await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "購読", locale: "ja-JP"), Token());

        RecordedRequest[] replies = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, 2);
        Assert.Contains("購読しています", (string?)replies[1].Json!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_ForgetsTheTeamsConversations()
    {
        await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "subscribe"), Token());
        using HttpResponseMessage removed = await _bot.PostActivityAsync(TeamsActivities.Installation(_fakes.ServiceUrl, "remove"), Token());

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        IConversationStore store = _bot.Services.GetRequiredService<IConversationStore>();
        Assert.Null(await store.GetSubscriptionAsync(TeamsActivities.ChannelId, TestContext.Current.CancellationToken));
        Assert.Null(await store.GetReferenceAsync(TeamsActivities.ChannelId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Activity_ServiceUrlHostNotAllowed_GetsNoOutboundRequest()
    {
        // A genuine token for a service URL on another host (as a compromised or misrouted channel
        // would send): the activity is accepted, but nothing — above all no token — goes there.
        string foreign = _fakes.ForeignServiceUrl;

        using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(foreign, "help"), Token(foreign));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(_fakes.ForeignRequests);
        Assert.Empty(_fakes.ConnectorRequests);
        Assert.Empty(_fakes.TokenRequests);
    }

    [Fact]
    public async Task Reply_ConnectorThrottles_RetriesAfterRetryAfterAndDelivers()
    {
        int calls = 0;
        _fakes.ConnectorOverride = _ => Interlocked.Increment(ref calls) == 1
            ? new ThrottledResult()
            : null;

        using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest[] requests = await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, 2);
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    /// <summary>429 with Retry-After: 1, the connector's throttling answer.</summary>
    private sealed class ThrottledResult : Microsoft.AspNetCore.Http.IResult
    {
        public Task ExecuteAsync(Microsoft.AspNetCore.Http.HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = "1";
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.Body.WriteAsync("{\"error\":{\"code\":\"Throttled\",\"message\":\"Too many requests\"}}"u8.ToArray()).AsTask();
        }
    }
}
