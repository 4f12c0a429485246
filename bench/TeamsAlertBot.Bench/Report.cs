using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace TeamsAlertBot.Bench;

/// <summary>The run's results as Markdown: machine, configuration, and one table per measurement.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Bot settings worth showing (the rest are the fakes' addresses and the test identity).</summary>
    private static readonly string[] ShownSettings =
    [
        "Alerts:PollInterval", "Alerts:DispatchIdleDelay", "Alerts:StormThreshold", "Alerts:StormWindow",
        "PartnerCenter:Webhook:RevocationMode",
    ];

    public static string Markdown(
        DateTimeOffset startedAt,
        BenchSettings settings,
        PipelineHarness harness,
        string redisVersion,
        IReadOnlyList<LatencyResult> latencies,
        TimeSpan latencyWallTime,
        IReadOnlyList<BurstSample> bursts,
        FootprintResult? footprint,
        TriageResult? triage,
        TimeSpan totalTime)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv, $"### Run of {startedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(Inv, $"| machine | {Environment.ProcessorCount} logical cores ({CpuModel()}), {RuntimeInformation.OSArchitecture}, {OsName()}, kernel {Environment.OSVersion.Version} |");
        md.AppendLine(Inv, $"| runtime | {RuntimeInformation.FrameworkDescription}, {BuildConfiguration}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC |");
        md.AppendLine(Inv, $"| redis-server | {redisVersion}, loopback, no persistence |");
        md.AppendLine(Inv, $"| code | {Commit()} |");
        if (latencies.Count > 0)
        {
            md.AppendLine(Inv, $"| iterations | {settings.Iterations} measured after {settings.Warmup} warm-up, each one poll → card then one webhook → card; {(settings.BurstSize > 0 ? $"{settings.Bursts} bursts of {settings.BurstSize} after 1 warm-up burst" : "no bursts")} |");
        }

        if (triage is not null)
        {
            md.AppendLine(Inv, $"| click rounds | {triage.Measured.Count()} measured after {triage.Rounds.Count - triage.Measured.Count()} warm-up, each on a new alert's card: {settings.Clicks} concurrent clicks by a user who may not triage, then {settings.Clicks} concurrent clicks by one who may (Legitimate / Ignore / Investigating in turn), {settings.TriagePause.TotalSeconds:0.###} s idle after each round; {triage.SlowMeasured.Count()} single clicks with the Graph PATCH held {triage.SlowGraphDelay.TotalSeconds:0.###} s, after {triage.SlowRounds.Count - triage.SlowMeasured.Count()} warm-up |");
        }

        md.AppendLine(Inv, $"| bot settings | {string.Join(", ", ShownSettings.Select(k => $"`{k}={harness.BotSettings.GetValueOrDefault(k)}`"))}{(triage is null ? string.Empty : string.Create(Inv, $", `Triage:AnswerBudget` {triage.AnswerBudget.TotalSeconds:0.###} s and `Bot:InvokeAnswerBudget` {triage.InvokeAnswerBudget.TotalSeconds:0.###} s (defaults), one user on `Triage:Authorization:TriageUserObjectIds`"))}, Teams send limits lifted, fake Graph page size {harness.Fakes.GraphPageSize} |");
        string latencyTime = latencies.Count > 0 ? string.Create(Inv, $"; the {settings.Iterations} measured iterations took {latencyWallTime.TotalSeconds:0.0} s of wall time with the untimed cleanup between them") : string.Empty;
        string triageTime = triage is null ? string.Empty : string.Create(Inv, $"; click → answer took {triage.WallTime.TotalSeconds:0.0} s with its warm-up and cleanup");
        if (triage is not null)
        {
            md.AppendLine(Inv, $"| other load | during click → answer, {(triage.OutsideCpuShare is { } share ? string.Create(Inv, $"{share:P0}") : "unknown")} of the machine's CPU time went to processes other than the bench (redis-server included); load average before / after: {triage.LoadAverageBefore} → {triage.LoadAverageAfter} |");
            md.AppendLine(Inv, $"| runtime during click → answer | {triage.Runtime} |");
        }

        md.AppendLine(Inv, $"| run time | {totalTime.TotalSeconds:0} s in all (bot start, subscription, measurements, cleanup){latencyTime}{triageTime} |");
        md.AppendLine();

        foreach (LatencyResult result in latencies)
        {
            LatencyStats s = result.Stats;
            md.AppendLine(Inv, $"#### {result.Name}");
            md.AppendLine();
            md.AppendLine("| interval | n | p50 | p90 | p99 | max | mean | sequential throughput |");
            md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
            md.AppendLine(Inv, $"| {result.Name} | {s.Count} | {Ms(s.P50)} | {Ms(s.P90)} | {Ms(s.P99)} | {Ms(s.Max)} | {Ms(s.Mean)} | {s.SequentialPerSecond:0.0} cards/s |");
            if (result.WebhookAnswer is { } a)
            {
                md.AppendLine(Inv, $"| webhook answered 200 | {a.Count} | {Ms(a.P50)} | {Ms(a.P90)} | {Ms(a.P99)} | {Ms(a.Max)} | {Ms(a.Mean)} | |");
            }

            md.AppendLine();
            md.AppendLine(Inv, $"First warm-up iteration (cold): {Ms(result.FirstWarmup)}. Mean of the first and second half of the measured samples: {Ms(result.FirstHalfMean)} / {Ms(result.SecondHalfMean)}.");
            md.AppendLine();
        }

        if (bursts.Count > 0)
        {
            md.AppendLine("#### burst → cards (throughput)");
            md.AppendLine();
            md.AppendLine("| burst | alerts | first card | median card | last card | throughput |");
            md.AppendLine("|--:|--:|--:|--:|--:|--:|");
            for (int i = 0; i < bursts.Count; i++)
            {
                BurstSample b = bursts[i];
                md.AppendLine(Inv, $"| {i + 1} | {b.Alerts} | {Ms(b.FirstCard)} | {Ms(b.MedianCard)} | {Ms(b.LastCard)} | {b.CardsPerSecond:0} cards/s |");
            }

            md.AppendLine();
        }

        if (footprint is not null)
        {
            md.AppendLine("#### Redis footprint of new alerts (goals: ≤ 3 round trips per card on the posting path, ≤ 2 KB per alert)");
            md.AppendLine();
            md.AppendLine("| alerts | Redis commands per card (everything the bot sent) | bytes per alert (its keys + its share of the watched set) | audit |");
            md.AppendLine("|--:|--:|--:|--:|");
            md.AppendLine(Inv, $"| {footprint.Alerts} | {footprint.CommandsPerCard:0.00} | {footprint.BytesPerAlert:0} | {footprint.AuditBytes} bytes |");
            md.AppendLine();
            md.AppendLine(Inv, $"Commands: {string.Join(", ", footprint.CommandsByName.Select(c => $"{c.Key} {c.Value}"))}.");
            md.AppendLine();
        }

        if (triage is not null)
        {
            TriageReport.Append(md, triage);
        }

        return md.ToString();
    }

    private static string BuildConfiguration =>
#if DEBUG
        "Debug build (numbers not representative)";
#else
        "Release build";
#endif

    public static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.0} ms");

    /// <summary>What bench/run.sh says was built (the commit, and whether the tree had changes).</summary>
    private static string Commit() =>
        Environment.GetEnvironmentVariable("BENCH_COMMIT") is { Length: > 0 } commit ? commit : "unknown commit";

    private static string CpuModel() =>
        ReadField("/proc/cpuinfo", "model name", ':') ?? "CPU model unknown";

    private static string OsName() =>
        ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;

    private static string? ReadField(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        int at = line?.IndexOf(separator, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : line![(at + 1)..].Trim();
    }
}
