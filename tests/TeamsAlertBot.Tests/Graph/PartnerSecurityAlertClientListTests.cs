using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Graph;
using static TeamsAlertBot.Tests.Graph.GraphTestHost;

namespace TeamsAlertBot.Tests.Graph;

public sealed class PartnerSecurityAlertClientListTests
{
    private static readonly DateTimeOffset November1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AlertQuery ActiveSinceNovember1 = new() { Statuses = [AlertStatus.Active], DetectedSince = November1 };

    // Six alerts, two of which match ActiveSinceNovember1 (one exactly on the boundary).
    private static readonly string[] Mixed =
    [
        Alert("match-1", "active", "2026-11-02T09:15:00Z"),
        Alert("too-old", "active", "2026-10-31T23:59:59.999Z"),
        Alert("investigating", "investigating", "2026-11-05T00:00:00Z"),
        Alert("match-boundary", "active", "2026-11-01T00:00:00Z"),
        Alert("no-date", "active", detected: null),
        Alert("new-status", "suspended", "2026-11-03T00:00:00Z"),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAsync_ThreePagesLinkedByNextLink_YieldsEveryAlertInOrder()
    {
        await using GraphTestHost host = await StartAsync(new GraphFakeHandler(request => request.Query("$skiptoken") switch
        {
            null => GraphFakeHandler.Ok(Page($"{Collection}?$skiptoken=page2", Alert("a1"), Alert("a2"))),
            "page2" => GraphFakeHandler.Ok(Page($"{Collection}?$skiptoken=page3", Alert("a3"))),
            "page3" => GraphFakeHandler.Ok(Page(null, Alert("a4"), Alert("a5"))),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        }));

        List<PartnerSecurityAlert> alerts = await host.Client.ListAsync(AlertQuery.All, Ct).ToListAsync(Ct);

        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], alerts.Select(a => a.Id));
        Assert.Equal([null, "page2", "page3"], host.Graph.Requests.Select(r => r.Query("$skiptoken")));
        Assert.All(host.Graph.Requests, r => Assert.Equal($"Bearer {GraphFakeAuthorizationHeaderProvider.Token}", r.Authorization));
        Assert.All(host.Graph.Requests, r => Assert.True(Guid.TryParse(r.ClientRequestId, out _), $"client-request-id '{r.ClientRequestId}' is not a GUID"));
        Assert.Equal(3, host.Graph.Requests.Select(r => r.ClientRequestId).Distinct().Count());
    }

    [Theory]
    [InlineData("https://graph.microsoft.com.attacker.example/beta/security/partner/securityAlerts?$skiptoken=2")]
    [InlineData("https://attacker.example/beta/security/partner/securityAlerts?$skiptoken=2")]
    [InlineData("http://graph.microsoft.com/beta/security/partner/securityAlerts?$skiptoken=2")]
    [InlineData("https://graph.microsoft.com:8443/beta/security/partner/securityAlerts?$skiptoken=2")]
    public async Task ListAsync_NextLinkToAnotherOrigin_YieldsFirstPageThenRefusesWithoutSending(string nextLink)
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Ok(Page(nextLink, Alert("a1")))));
        List<string> seen = [];

        GraphOriginRefusedException refused = await Assert.ThrowsAsync<GraphOriginRefusedException>(async () =>
        {
            await foreach (PartnerSecurityAlert alert in host.Client.ListAsync(AlertQuery.All, Ct))
            {
                seen.Add(alert.Id);
            }
        });

        Assert.Equal(["a1"], seen);
        Assert.Single(host.Graph.Requests);
        Assert.Contains("nextLink", refused.Message, StringComparison.Ordinal);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3008);
    }

    [Fact]
    public async Task ListAsync_NextLinkBackToAReadPage_StopsInsteadOfLooping()
    {
        await using GraphTestHost host = await StartAsync(new GraphFakeHandler(request => request.Query("$skiptoken") is null
            ? GraphFakeHandler.Ok(Page($"{Collection}?$skiptoken=2", Alert("a1")))
            : GraphFakeHandler.Ok(Page($"{Collection}?$skiptoken=2", Alert("a2")))));

        await Assert.ThrowsAsync<GraphException>(async () => await host.Client.ListAsync(AlertQuery.All, Ct).ToListAsync(Ct));

        Assert.Equal(2, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task ListAsync_OpenAlertsSinceAnInstant_SendsODataFilter()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Page(null))));

        await host.Client.ListAsync(AlertQuery.Open with { DetectedSince = November1 }, Ct).ToListAsync(Ct);

        GraphFakeRequest request = Assert.Single(host.Graph.Requests);
        Assert.Equal("/beta/security/partner/securityAlerts", request.Uri.AbsolutePath);
        Assert.Equal("(status eq 'active' or status eq 'investigating') and detectedDateTime ge 2026-11-01T00:00:00Z", request.Filter);
        Assert.Null(request.Query("$top"));
    }

    [Fact]
    public async Task ListAsync_SubSecondSince_KeepsTheFractionInTheFilter()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Page(null))));
        var since = new DateTimeOffset(2026, 11, 1, 9, 30, 15, 250, TimeSpan.FromHours(9));

        await host.Client.ListAsync(new AlertQuery { DetectedSince = since }, Ct).ToListAsync(Ct);

        Assert.Equal("detectedDateTime ge 2026-11-01T00:30:15.25Z", Assert.Single(host.Graph.Requests).Filter);
    }

    [Fact]
    public async Task ListAsync_AllAlerts_SendsNoFilter()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Page(null, Alert("a1")))));

        await host.Client.ListAsync(AlertQuery.All, Ct).ToListAsync(Ct);

        Assert.Equal(string.Empty, Assert.Single(host.Graph.Requests).Uri.Query);
    }

    [Fact]
    public async Task ListAsync_FilterRefusedWith400_ReturnsSameAlertsAsServerSideFilter()
    {
        // Graph accepts the filter and answers with the matching alerts only.
        await using GraphTestHost accepting = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Ok(Page(null, Mixed[0], Mixed[3]))));
        // Graph refuses any $filter; the unfiltered list holds everything, over two pages.
        await using GraphTestHost refusing = await StartAsync(new GraphFakeHandler(request =>
            request.Filter is not null
                ? GraphFakeHandler.Error(HttpStatusCode.BadRequest, "BadRequest", "Invalid filter clause: property 'detectedDateTime' is not filterable.")
                : request.Query("$skiptoken") is null
                    ? GraphFakeHandler.Ok(Page($"{Collection}?$skiptoken=2", Mixed[..3]))
                    : GraphFakeHandler.Ok(Page(null, Mixed[3..]))));

        List<PartnerSecurityAlert> serverSide = await accepting.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct);
        List<PartnerSecurityAlert> clientSide = await refusing.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct);

        Assert.Equal(["match-1", "match-boundary"], serverSide.Select(a => a.Id));
        Assert.Equal(serverSide.Select(a => a.Id), clientSide.Select(a => a.Id));
        Assert.Equal(
            ["status eq 'active' and detectedDateTime ge 2026-11-01T00:00:00Z", null, null],
            refusing.Graph.Requests.Select(r => r.Filter));
        FakeLogRecord warning = Assert.Single(refusing.Logs.GetSnapshot(), r => r.Id.Id == 3000);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task ListAsync_AfterFilterWasRefused_DoesNotSendItAgainInThisProcess()
    {
        await using GraphTestHost host = await StartAsync(new GraphFakeHandler(request =>
            request.Filter is not null
                ? GraphFakeHandler.Error(HttpStatusCode.BadRequest, "BadRequest", "Unsupported query.")
                : GraphFakeHandler.Ok(Page(null, Mixed))));

        List<PartnerSecurityAlert> first = await host.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct);
        List<PartnerSecurityAlert> second = await host.Client.ListAsync(ActiveSinceNovember1 with { DetectedSince = November1.AddDays(1) }, Ct).ToListAsync(Ct);

        Assert.Equal(["match-1", "match-boundary"], first.Select(a => a.Id));
        Assert.Equal(["match-1"], second.Select(a => a.Id));
        Assert.Equal([true, false, false], host.Graph.Requests.Select(r => r.Filter is not null));
    }

    [Fact]
    public async Task ListAsync_UnfilteredListAlsoAnswers400_ThrowsAndKeepsTheFilter()
    {
        await using GraphTestHost host = await StartAsync(new GraphFakeHandler(_ =>
            GraphFakeHandler.Error(HttpStatusCode.BadRequest, "BadRequest", "Something else is wrong.")));

        GraphException error = await Assert.ThrowsAsync<GraphException>(async () => await host.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct));
        await Assert.ThrowsAsync<GraphException>(async () => await host.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal([true, false, true, false], host.Graph.Requests.Select(r => r.Filter is not null));
    }

    [Fact]
    public async Task ListAsync_ServerIgnoresTheFilter_StillReturnsOnlyMatchingAlerts()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Page(null, Mixed))));

        List<PartnerSecurityAlert> alerts = await host.Client.ListAsync(ActiveSinceNovember1, Ct).ToListAsync(Ct);

        Assert.Equal(["match-1", "match-boundary"], alerts.Select(a => a.Id));
    }

    [Fact]
    public async Task ListAsync_QueryForUnknownStatus_ThrowsArgumentException()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence());

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await host.Client.ListAsync(new AlertQuery { Statuses = [AlertStatus.Unknown] }, Ct).ToListAsync(Ct));

        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task ListAsync_DocsShapedPage_ParsesLenientlyAndKeepsEveryAlertWithAnId()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Ok(Fixture("partner-security-alerts-page.json"))));

        List<PartnerSecurityAlert> alerts = await host.Client.ListAsync(AlertQuery.All, Ct).ToListAsync(Ct);

        Assert.Equal(
            ["d8b202fc-a216-3404-69ef-bdffa445eff6", "5f6e6521-6e5f-4b0b-80aa-bd44fad7a398-758e2259-f00b-4dec-8087-0950afe6d6a4", "0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10", "7c0e9d1a-5b7f-4c55-8a0e-3f7d2b9c6e41"],
            alerts.Select(a => a.Id));

        // The docs' own sample: isTest as the string "false", a verdict, two activity log entries.
        PartnerSecurityAlert docs = alerts[0];
        Assert.False(docs.IsTest);
        Assert.Equal(AlertStatus.Resolved, docs.Status);
        Assert.Equal(AlertResolvedReason.Fraud, docs.ResolvedReason);
        Assert.Equal(AlertSeverity.High, docs.Severity);
        Assert.Equal(AlertConfidence.Medium, docs.ConfidenceLevel);
        Assert.Equal("networkConnectionsToCryptoMiningPools", docs.AlertType);
        Assert.Equal(new DateTimeOffset(2024, 1, 23, 16, 3, 33, 50, TimeSpan.Zero), docs.DetectedDateTime);
        Assert.Equal([AlertStatus.Investigating, AlertStatus.Resolved], docs.ActivityLogs!.Select(l => l.StatusTo));
        Assert.Equal("AzureResource", Assert.Single(docs.AffectedResources!).ResourceType);
        Assert.Equal("5", docs.AdditionalDetails!.Value.GetProperty("ConnectionCount").GetString());

        // Composite id, unknownFutureValue and a brand-new enum value, unknown fields kept.
        PartnerSecurityAlert composite = alerts[1];
        Assert.Equal(AlertSeverity.Unknown, composite.Severity);
        Assert.Equal(AlertConfidence.Unknown, composite.ConfidenceLevel);
        Assert.Equal(AlertStatus.Investigating, composite.Status);
        Assert.Null(composite.ResolvedReason);
        Assert.Equal(87, composite.AdditionalProperties!["riskScore"].GetInt32());
        Assert.Equal("https://partner.microsoft.com/dashboard/alerts/758e2259", composite.AdditionalProperties["partnerCenterLink"].GetString());
        Assert.Equal("#microsoft.graph.partner.security.partnerSecurityAlert", composite.AdditionalProperties["@odata.type"].GetString());

        // Malformed activity log items cost only themselves.
        PartnerSecurityAlert malformedLogs = alerts[2];
        AlertActivityLog log = Assert.Single(malformedLogs.ActivityLogs!);
        Assert.Equal("analyst@contoso-partner.onmicrosoft.com", log.UpdatedBy);
        Assert.True(malformedLogs.IsTest);
        Assert.Equal(AlertStatus.Active, malformedLogs.Status);

        // A new status and an unreadable date: the alert stays, status unknown, date dropped.
        PartnerSecurityAlert odd = alerts[3];
        Assert.Equal(AlertStatus.Unknown, odd.Status);
        Assert.Equal(AlertSeverity.Unknown, odd.Severity);
        Assert.Null(odd.DetectedDateTime);
        Assert.Equal("ARM_SuspiciousOperations", odd.AlertType);
        Assert.False(odd.IsTest);

        IReadOnlyList<FakeLogRecord> logs = host.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 3001 && r.Message.Contains("0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10", StringComparison.Ordinal) && r.Message.Contains("activityLogs (2 of 3 items)", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Id == 3001 && r.Message.Contains("7c0e9d1a-5b7f-4c55-8a0e-3f7d2b9c6e41", StringComparison.Ordinal) && r.Message.Contains("detectedDateTime", StringComparison.Ordinal));
        FakeLogRecord skipped = Assert.Single(logs, r => r.Id.Id == 3002);
        Assert.Equal(LogLevel.Error, skipped.Level);
    }

    [Fact]
    public async Task ListAsync_PageThatIsNotJson_ThrowsGraphExceptionRatherThanAShortList()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(
            () => GraphFakeHandler.Ok("""{ "value": [ { { "id": "x" } ] }""")));

        GraphException error = await Assert.ThrowsAsync<GraphException>(async () => await host.Client.ListAsync(AlertQuery.All, Ct).ToListAsync(Ct));

        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
    }
}
