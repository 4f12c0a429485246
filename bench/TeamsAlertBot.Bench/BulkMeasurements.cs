using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage.Bulk;

namespace TeamsAlertBot.Bench;

/// <summary>One bulk run measured: from the confirming click to the last alert card edited.</summary>
internal sealed record BulkSample(int Alerts, TimeSpan Answered, TimeSpan LastCardEdited, TimeSpan RunFinished, TimeSpan Floor, int Patches, int Edits, int Throttled);

/// <summary>
/// click → last card edited for a bulk Fraud over a storm of N alerts in one channel, with Teams'
/// limits on in the bot (its defaults) and enforced by the connector fake. Each size runs on a
/// fresh bot, Redis prefix and fakes. The cards are seeded as delivered (a card record per alert
/// pointing at a message the fake accepts edits of), so the run measures the bulk action, not the
/// posting — which at 60 per 30 s would take as long again.
/// </summary>
internal static class BulkMeasurements
{
    private const string Channel = TeamsActivities.ChannelId;
    private const string RootId = "1800000000000";

    public static async Task<IReadOnlyList<BulkSample>> RunAsync(IReadOnlyList<int> sizes, BenchSettings settings)
    {
        List<BulkSample> samples = [];
        foreach (int size in sizes)
        {
            Console.Error.WriteLine($"measuring bulk click → last card edited for {size} alerts (Teams' limits on)");
            samples.Add(await MeasureAsync(size, settings));
        }

        return samples;
    }

    /// <summary>
    /// The least time Teams' per-conversation limits allow for <paramref name="sends"/> sends into one
    /// conversation, starting with an empty window: at most 8 per 2 s (4 per second) and at most 60 in
    /// any 30 s. So the first 60 take 59/4 s; every further 60 start 30 s after the previous 60 did.
    /// Floor(n) = 30 s × ⌊(n − 1) / 60⌋ + ((n − 1) mod 60) / 4 s; Floor(120) = 44.75 s, Floor(1000) = 489.75 s.
    /// </summary>
    public static TimeSpan Floor(int sends) =>
        sends <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((30.0 * ((sends - 1) / 60)) + (((sends - 1) % 60) / 4.0));

    private static async Task<BulkSample> MeasureAsync(int size, BenchSettings settings)
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        fakes.GraphPageSize = 100;
        fakes.Customers[BenchAlerts.CustomerTenantId] = BenchAlerts.CustomerName;
        fakes.Connector.EnforceTeamsLimits = true;
        Dictionary<string, string?> config = BotApp.WithAlertPipeline(fakes, redis.ConnectionString, RedisServer.UniquePrefix());
        config["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("TEST_BOT_LOGLEVEL") is { Length: > 0 } level ? level : "Warning";
        config["Alerts:PollInterval"] = "01:00:00";
        config["Triage:Authorization:TriageUserObjectIds:0"] = PipelineHarness.Analyst;
        try
        {
            await using var bot = new BotApp(config);
            _ = bot.Server;
            string[] ids = [.. Enumerable.Range(1, size).Select(i => $"bench-bulk-{i:D6}")];
            IAlertLedger cards = bot.Services.GetRequiredService<IAlertLedger>();
            foreach (string id in ids)
            {
                fakes.AddAlert(id, BenchAlerts.CustomerTenantId);
                await cards.SetCardAsync(
                    new AlertCardPost
                    {
                        AlertId = id,
                        ConversationId = Channel,
                        CardConversationId = $"{Channel};messageid={RootId}",
                        ActivityId = id,
                        ServiceUrl = fakes.ServiceUrl,
                        PostedAt = TimeProvider.System.GetUtcNow(),
                    },
                    TimeSpan.FromHours(1));
            }

            AlertCardRenderer renderer = bot.Services.GetRequiredService<AlertCardRenderer>();
            BulkActionData propose = renderer.SignBulk(
                new BulkActionData { Step = BulkStep.Propose, Verdict = TriageVerdict.Fraud, Customer = BenchAlerts.CustomerTenantId, CustomerName = BenchAlerts.CustomerName, Signature = string.Empty },
                Channel);
            JsonObject confirmCard = await ClickAsync(bot, fakes, propose, settings.Timeout);
            JsonObject confirm = FindAction(confirmCard, $"Mark {size} alerts") ?? throw new InvalidOperationException($"no confirmation for {size} alerts: {confirmCard.ToJsonString()}");

            long started = Stopwatch.GetTimestamp();
            JsonObject answer = await ClickAsync(bot, fakes, confirm, settings.Timeout);
            TimeSpan answered = Stopwatch.GetElapsedTime(started);
            if (!answer.ToJsonString().Contains($"of {size} updated", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the run did not start: {answer.ToJsonString()}");
            }

            var edited = new HashSet<string>(StringComparer.Ordinal);
            TimeSpan lastEdited = TimeSpan.Zero;
            BulkTriageLedger ledger = bot.Services.GetRequiredService<BulkTriageLedger>();
            TimeSpan limit = Floor(size) * 2 + TimeSpan.FromMinutes(2);
            while (Stopwatch.GetElapsedTime(started) < limit)
            {
                foreach (ConnectorAttempt attempt in fakes.Connector.Attempts.Where(a => a.Method == "PUT" && a.Fault == ConnectorFault.None && a.ActivityId is { } id && id.StartsWith("bench-bulk-", StringComparison.Ordinal)))
                {
                    if (edited.Add(attempt.ActivityId!))
                    {
                        lastEdited = Stopwatch.GetElapsedTime(started);
                    }
                }

                if (edited.Count == size && await ledger.GetActiveAsync() is null)
                {
                    break;
                }

                await Task.Delay(100);
            }

            TimeSpan finished = Stopwatch.GetElapsedTime(started);
            if (edited.Count < size)
            {
                throw new TimeoutException($"only {edited.Count} of {size} cards were edited within {limit}");
            }

            return new BulkSample(
                size,
                answered,
                lastEdited,
                finished,
                Floor(size),
                fakes.GraphRequests.Count(r => r.Method == "PATCH"),
                fakes.Connector.Attempts.Count(a => a.Method == "PUT" && a.Fault == ConnectorFault.None),
                fakes.Connector.LimitViolations);
        }
        finally
        {
            await fakes.DisposeAsync();
            await redis.DisposeAsync();
        }
    }

    private static async Task<JsonObject> ClickAsync(BotApp bot, LoopbackFakes fakes, object data, TimeSpan timeout)
    {
        JsonObject node = data as JsonObject ?? (JsonObject)JsonSerializer.SerializeToNode(data, BulkJsonContext.Default.BulkActionData)!;
        JsonObject click = TeamsActivities.CardAction(fakes.ServiceUrl, BulkActionData.BulkVerb, node);
        click["conversation"]!["id"] = $"{Channel};messageid={RootId}";
        click["replyToId"] = RootId;
        click["from"]!["aadObjectId"] = PipelineHarness.Analyst;
        using var cts = new CancellationTokenSource(timeout);
        using HttpResponseMessage response = await bot.PostActivityAsync(click, BotApp.ChannelAuthorization(fakes));
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(cts.Token))!;
    }

    private static JsonObject? FindAction(JsonNode? node, string title) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title => (JsonObject)o["data"]!.DeepClone(),
        JsonObject o => o.Select(p => FindAction(p.Value, title)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(n => FindAction(n, title)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    /// <summary>The Markdown table of the bulk runs.</summary>
    public static string Markdown(IReadOnlyList<BulkSample> samples)
    {
        var text = new StringBuilder();
        text.AppendLine("## Bulk triage: click → last card edited (Teams' limits on)");
        text.AppendLine();
        text.AppendLine("A bulk Fraud from a storm card over N open alerts of one customer, each with one card in one channel. Timed from");
        text.AppendLine("the confirming click to the last alert card's edit (and to the run's end: progress card, bulk claim freed). The");
        text.AppendLine("floor is what Teams' per-conversation limits (8 per 2 s, 60 per 30 s) allow for N edits from an empty window:");
        text.AppendLine("30 s × ⌊(N − 1) / 60⌋ + ((N − 1) mod 60) / 4 s. The progress card's own edits come on top of N.");
        text.AppendLine();
        text.AppendLine("| alerts | click answered | last card edited | run finished | floor for N edits | vs floor | Graph PATCHes | edits (all PUTs) | 429s from the fake |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (BulkSample s in samples)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Alerts} | {s.Answered.TotalMilliseconds:0} ms | {s.LastCardEdited.TotalSeconds:0.0} s | {s.RunFinished.TotalSeconds:0.0} s | {s.Floor.TotalSeconds:0.0} s | ×{s.LastCardEdited / s.Floor:0.00} | {s.Patches} | {s.Edits} | {s.Throttled} |"));
        }

        return text.ToString();
    }
}
