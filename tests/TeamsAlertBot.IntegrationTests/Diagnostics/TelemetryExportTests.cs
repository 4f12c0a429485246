using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.Triage;

namespace TeamsAlertBot.IntegrationTests.Diagnostics;

/// <summary>
/// The OpenTelemetry export of a pipeline run, as an OTLP collector receives it: an alert card
/// posted (its first send answered 503 in a channel the bot cannot read, so it goes again marked), a
/// triage click, and an alert the connector always throttles until it becomes a dead letter.
/// </summary>
public sealed class TelemetryExportTests(RedisServer redis)
{
    private const string ThrottledAlertId = "alert-0600";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PipelineRun_WithOtlpEndpoint_ExportsSpansAndMetrics()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        await using TriageScenario scenario = await TriageScenario.StartAsync(redis, (fakes, settings) =>
        {
            settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString();
            settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            settings["OTEL_METRIC_EXPORT_INTERVAL"] = "300";
            settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            settings["Telemetry:BacklogInterval"] = "00:00:00.200";
            settings["Graph:V1BaseUrl"] = fakes.GraphV1BaseUrl;
            settings["Alerts:ReclaimAfter"] = "00:00:01";
            settings["Alerts:Delivery:RetryDelay"] = "00:00:01";
            settings["Alerts:Delivery:MaxRetryDelay"] = "00:00:02";
            settings["Alerts:Delivery:MaxAttempts"] = "2";
            // Every card's first send gets a 503 (its outcome unknown to the bot); the channel cannot be read back.
            fakes.Connector.Faults.Share = new SeededConnectorFaults(1, new Dictionary<ConnectorFault, int> { [ConnectorFault.Unavailable503] = 1000 }, FaultedAttempts: 1);
            fakes.UnreadableConversations[TeamsActivities.ChannelId] = true;
            fakes.Connector.Faults.Alerts[ThrottledAlertId] = ConnectorFault.Throttle429;
        });

        scenario.Fakes.AddAlert(ThrottledAlertId, TriageScenario.CustomerTenantId);
        (System.Net.HttpStatusCode status, _) = await scenario.ClickAsync(scenario.ButtonData("Legitimate"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        string[] spans = [BotTelemetrySpans.Poll, BotTelemetrySpans.Dispatch, BotTelemetrySpans.Send, BotTelemetrySpans.Click, "graph/beta/security/partner/securityAlerts", "partnercenter/v1/customers"];
        string[] metrics =
        [
            "teamsalertbot.alert.time_to_card", "teamsalertbot.alert.time_to_verdict", "teamsalertbot.work.backlog",
            "teamsalertbot.send.throttled", "teamsalertbot.send.limiter_wait", "teamsalertbot.work.dead_letters",
            "teamsalertbot.send.ambiguous", "teamsalertbot.send.marked_repeats",
        ];
        string[] logScopes = ["AlertId", "ConversationId", TriageScenario.AlertId];

        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while ((receiver.Missing("traces", spans).Count + receiver.Missing("metrics", metrics).Count + receiver.Missing("logs", logScopes).Count) > 0
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        Assert.Empty(receiver.Missing("traces", spans));
        Assert.Empty(receiver.Missing("metrics", metrics));
        Assert.Empty(receiver.Missing("logs", logScopes));
    }

    /// <summary>The span names, spelled out so the test fails if the product renames one.</summary>
    private static class BotTelemetrySpans
    {
        public const string Poll = "teamsalertbot.poll";
        public const string Dispatch = "teamsalertbot.dispatch";
        public const string Send = "teamsalertbot.send";
        public const string Click = "teamsalertbot.click";
    }
}
