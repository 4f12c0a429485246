using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Graph;
using static TeamsAlertBot.Tests.Graph.GraphTestHost;

namespace TeamsAlertBot.Tests.Graph;

public sealed class GraphResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_429WithRetryAfter_RetriesThenReturnsTheAlert()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Slow down."}}""", ("Retry-After", "0"), ("request-id", "req-429")),
            () => GraphFakeHandler.Ok(Alert("a1"))));

        PartnerSecurityAlert? alert = await host.Client.GetAsync("a1", Ct);

        Assert.Equal("a1", alert?.Id);
        Assert.Equal(2, host.Graph.Requests.Count);
        // One call, one client-request-id across its attempts; every attempt carries the token.
        Assert.Single(host.Graph.Requests.Select(r => r.ClientRequestId).Distinct());
        Assert.All(host.Graph.Requests, r => Assert.NotNull(r.Authorization));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3003 && r.Message.Contains("req-429", StringComparison.Ordinal)
            && r.Message.Contains(host.Graph.Requests[0].ClientRequestId!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task UpdateAsync_TransientFailureThenSuccess_RetriesPatchWithTheSameBody(HttpStatusCode transient)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => new HttpResponseMessage(transient),
            () => GraphFakeHandler.Ok("""{"id":"a1","status":"resolved","resolvedReason":"legitimate"}""")));

        PartnerSecurityAlert updated = await host.Client.UpdateAsync("a1", AlertUpdate.Resolve(AlertResolvedReason.Legitimate), Ct);

        Assert.Equal(AlertResolvedReason.Legitimate, updated.ResolvedReason);
        Assert.Equal([HttpMethod.Patch, HttpMethod.Patch], host.Graph.Requests.Select(r => r.Method));
        Assert.All(host.Graph.Requests, r => Assert.Equal("""{"status":"resolved","resolvedReason":"legitimate"}""", r.Body));
    }

    [Fact]
    public async Task GetAsync_ConnectionFailureThenSuccess_Retries()
    {
        int calls = 0;
        await using GraphTestHost host = await StartAsync(new GraphFakeHandler(_ =>
            Interlocked.Increment(ref calls) == 1 ? throw new HttpRequestException("Connection reset") : GraphFakeHandler.Ok(Alert("a1"))));

        PartnerSecurityAlert? alert = await host.Client.GetAsync("a1", Ct);

        Assert.Equal("a1", alert?.Id);
        Assert.Equal(2, host.Graph.Requests.Count);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3005);
    }

    [Fact]
    public async Task GetAsync_RetryAfterLongerThanOneCallMayWait_ThrowsAtOnceWithRetryAfter()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Slow down."}}""", ("Retry-After", "3600"))));

        GraphException error = await Assert.ThrowsAsync<GraphException>(() => host.Client.GetAsync("a1", Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(host.Graph.Requests);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3009);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task GetAsync_NonTransientFailure_IsNotRetried(HttpStatusCode status)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Error(status, "generalException", "Something went wrong.")));

        GraphException error = await Assert.ThrowsAsync<GraphException>(() => host.Client.GetAsync("a1", Ct));

        Assert.Equal(status, error.StatusCode);
        Assert.Single(host.Graph.Requests);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfterSeconds_WaitsExactlyThatLongBeforeRetrying()
    {
        var time = new GraphTimerWatch();
        await using GraphTestHost host = await StartAsync(
            GraphFakeHandler.Sequence(
                () => GraphFakeHandler.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Slow down."}}""", ("Retry-After", "7")),
                () => GraphFakeHandler.Ok(Alert("a1"))),
            services: s => s.AddSingleton<TimeProvider>(time));

        Task waitStarted = time.TimerCreated(TimeSpan.FromSeconds(7));
        Task<PartnerSecurityAlert?> call = host.Client.GetAsync("a1", Ct);

        // Had Retry-After been ignored, the retry (no backoff in the test host) would have finished the call.
        Assert.Same(waitStarted, await Task.WhenAny(waitStarted, call));
        Assert.Single(host.Graph.Requests);
        time.Advance(TimeSpan.FromSeconds(7));
        PartnerSecurityAlert? alert = await call;

        Assert.Equal("a1", alert?.Id);
        Assert.Equal(2, host.Graph.Requests.Count);
    }
}
