using System.Diagnostics;
using TeamsAlertBot.Bench;

// End-to-end latency of the alert pipeline on loopback: see docs/benchmarks.md, and run it with bench/run.sh.
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{BenchSettings.Usage}");
    return 2;
}

if (settings.ShowHelp)
{
    Console.WriteLine(BenchSettings.Usage);
    return 0;
}

// WebApplicationFactory finds the bot's content root through MvcTestingAppManifest.json in the
// current directory, as a test runner's would be; paths given on the command line stay as meant.
string? markdownPath = settings.MarkdownPath is { } given ? Path.GetFullPath(given) : null;
Directory.SetCurrentDirectory(AppContext.BaseDirectory);

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; run bench/run.sh (Release) for numbers worth keeping.");
#endif

if (settings.BulkOnly)
{
    IReadOnlyList<BulkSample> onlyBulk = await BulkMeasurements.RunAsync(settings.BulkSizes, settings);
    string bulkReport = BulkMeasurements.Markdown(onlyBulk);
    Console.WriteLine(bulkReport);
    if (markdownPath is not null)
    {
        await File.WriteAllTextAsync(markdownPath, bulkReport);
    }

    return onlyBulk.Any(s => s.Throttled > 0) ? 1 : 0;
}

DateTimeOffset startedAt = TimeProvider.System.GetUtcNow();
long started = Stopwatch.GetTimestamp();
Console.Error.WriteLine("starting the bot on the loopback fakes and redis-server");
await using PipelineHarness harness = await PipelineHarness.StartAsync(settings);

IReadOnlyList<LatencyResult> latencies = [];
TimeSpan latencyWallTime = TimeSpan.Zero;
IReadOnlyList<BurstSample> bursts = [];
if (!settings.TriageOnly)
{
    Console.Error.WriteLine("measuring poll → card and webhook → card, interleaved");
    (latencies, latencyWallTime) = await Measurements.LatenciesAsync(harness, settings);
    if (settings.BurstSize > 0)
    {
        Console.Error.WriteLine("measuring bursts");
        bursts = await Measurements.BurstsAsync(harness, settings);
    }

    if (harness.Fakes.CertificateDownloads != 1)
    {
        Console.Error.WriteLine($"warning: the webhook certificate was downloaded {harness.Fakes.CertificateDownloads} times (expected once, then cached).");
    }
}

FootprintResult? footprint = null;
if (!settings.TriageOnly && settings.FootprintAlerts > 0)
{
    Console.Error.WriteLine($"measuring the Redis footprint of {settings.FootprintAlerts} new alerts");
    footprint = await RedisFootprint.MeasureAsync(harness, settings);
}

TriageResult? triage = null;
if (settings.TriageRounds > 0 || settings.SlowGraphRounds > 0)
{
    Console.Error.WriteLine($"measuring click → answer: {settings.Clicks} concurrent triage clicks per card");
    triage = await TriageMeasurements.RunAsync(harness, settings);
}

IReadOnlyList<BulkSample> bulk = settings.BulkSizes.Count > 0 ? await BulkMeasurements.RunAsync(settings.BulkSizes, settings) : [];
string report = Report.Markdown(startedAt, settings, harness, await harness.RedisVersionAsync(), latencies, latencyWallTime, bursts, footprint, triage, Stopwatch.GetElapsedTime(started))
    + (bulk.Count > 0 ? Environment.NewLine + BulkMeasurements.Markdown(bulk) : string.Empty);
Console.WriteLine(report);
if (markdownPath is not null)
{
    await File.WriteAllTextAsync(markdownPath, report);
    Console.Error.WriteLine($"results written to {markdownPath}");
}

if (triage is { Problems.Count: > 0 })
{
    Console.Error.WriteLine($"{triage.Problems.Count} click → answer checks failed (listed in the report).");
    return 1;
}

return 0;
