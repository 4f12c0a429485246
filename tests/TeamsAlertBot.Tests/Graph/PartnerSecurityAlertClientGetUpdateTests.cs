using System.Net;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Graph;
using static TeamsAlertBot.Tests.Graph.GraphTestHost;

namespace TeamsAlertBot.Tests.Graph;

public sealed class PartnerSecurityAlertClientGetUpdateTests
{
    private const string CompositeId = "5f6e6521-6e5f-4b0b-80aa-bd44fad7a398-758e2259-f00b-4dec-8087-0950afe6d6a4";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_CompositeId_ReturnsTheAlertFromItsOwnUrl()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Ok(Alert(CompositeId, "investigating"))));

        PartnerSecurityAlert? alert = await host.Client.GetAsync(CompositeId, Ct);

        Assert.Equal(AlertStatus.Investigating, alert?.Status);
        GraphFakeRequest request = Assert.Single(host.Graph.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal($"{Collection}/{CompositeId}", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetAsync_NotFound_ReturnsNull()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Error(HttpStatusCode.NotFound, "ResourceNotFound", "The alert was not found.")));

        Assert.Null(await host.Client.GetAsync("0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10", Ct));
    }

    [Fact]
    public async Task GetAsync_NotFoundForTheApiSegment_ThrowsInsteadOfReportingNoAlert()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Error(HttpStatusCode.NotFound, "BadRequest", "Resource not found for the segment 'partner'.")));

        GraphException error = await Assert.ThrowsAsync<GraphException>(() => host.Client.GetAsync("0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10", Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("Graph:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b?c#d", "a%2Fb%3Fc%23d")]
    [InlineData("x y%z", "x%20y%25z")]
    [InlineData("../securityScore", "..%2FsecurityScore")]
    public async Task GetAsync_IdWithReservedCharacters_EscapesItAsOnePathSegment(string id, string escaped)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Alert(id))));

        PartnerSecurityAlert? alert = await host.Client.GetAsync(id, Ct);

        Assert.Equal(id, alert?.Id);
        GraphFakeRequest request = Assert.Single(host.Graph.Requests);
        Assert.Equal($"/beta/security/partner/securityAlerts/{escaped}", request.Uri.AbsolutePath);
        Assert.Equal(string.Empty, request.Uri.Query);
        Assert.Equal(string.Empty, request.Uri.Fragment);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(" ")]
    public async Task GetAsync_IdThatIsNotASegment_ThrowsWithoutSending(string id)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence());

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.GetAsync(id, Ct));

        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task UpdateAsync_ResolveAsFraud_PatchesExactBodyAndReturnsTheUpdatedAlert()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok($$"""
            {"id":"{{CompositeId}}","status":"resolved","resolvedReason":"fraud","resolvedBy":"analyst@contoso-partner.onmicrosoft.com","isTest":"false"}
            """)));

        PartnerSecurityAlert updated = await host.Client.UpdateAsync(CompositeId, AlertUpdate.Resolve(AlertResolvedReason.Fraud), Ct);

        GraphFakeRequest request = Assert.Single(host.Graph.Requests);
        Assert.Equal(HttpMethod.Patch, request.Method);
        Assert.Equal($"{Collection}/{CompositeId}", request.Uri.AbsoluteUri);
        Assert.Equal("""{"status":"resolved","resolvedReason":"fraud"}""", request.Body);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(AlertStatus.Resolved, updated.Status);
        Assert.Equal(AlertResolvedReason.Fraud, updated.ResolvedReason);
        Assert.Equal("analyst@contoso-partner.onmicrosoft.com", updated.ResolvedBy);
    }

    [Theory]
    [InlineData(AlertResolvedReason.Legitimate, """{"status":"resolved","resolvedReason":"legitimate"}""")]
    [InlineData(AlertResolvedReason.Ignore, """{"status":"resolved","resolvedReason":"ignore"}""")]
    [InlineData(null, """{"status":"investigating"}""")]
    public async Task UpdateAsync_Verdicts_SendStatusAndReasonOnlyWhenThereIsOne(AlertResolvedReason? reason, string body)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Alert("a1"))));
        AlertUpdate update = reason is { } verdict ? AlertUpdate.Resolve(verdict) : AlertUpdate.Investigating;

        await host.Client.UpdateAsync("a1", update, Ct);

        Assert.Equal(body, Assert.Single(host.Graph.Requests).Body);
    }

    [Fact]
    public async Task UpdateAsync_ServerAnswers204_ReadsTheAlertBack()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => new HttpResponseMessage(HttpStatusCode.NoContent),
            () => GraphFakeHandler.Ok(Alert("a1", "investigating"))));

        PartnerSecurityAlert updated = await host.Client.UpdateAsync("a1", AlertUpdate.Investigating, Ct);

        Assert.Equal(AlertStatus.Investigating, updated.Status);
        Assert.Equal([HttpMethod.Patch, HttpMethod.Get], host.Graph.Requests.Select(r => r.Method));
        Assert.Equal(host.Graph.Requests[0].Uri, host.Graph.Requests[1].Uri);
    }

    [Fact]
    public async Task UpdateAsync_AlertNotFound_ThrowsGraphExceptionWith404()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Error(HttpStatusCode.NotFound, "ResourceNotFound", "No such alert.", ("request-id", "req-404"))));

        GraphException error = await Assert.ThrowsAsync<GraphException>(() => host.Client.UpdateAsync("gone", AlertUpdate.Investigating, Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Equal("req-404", error.RequestId);
        Assert.Equal(host.Graph.Requests[0].ClientRequestId, error.ClientRequestId);
    }

    [Fact]
    public void AlertUpdate_ReasonWithoutResolvedStatus_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AlertUpdate(AlertStatus.Investigating, AlertResolvedReason.Fraud));
    }

    [Fact]
    public void AlertUpdate_UnknownStatusOrReason_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertUpdate(AlertStatus.Unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertUpdate.Resolve(AlertResolvedReason.Unknown));
    }
}
