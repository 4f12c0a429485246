using System.Globalization;

namespace TeamsAlertBot.Bench;

/// <summary>What one bench run does; every value has a command-line option.</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        TeamsAlertBot.Bench — end-to-end latency of the alert pipeline on loopback fakes and a real redis-server.
        Needs TEST_CA_CERT, TEST_CA_KEY, SSL_CERT_FILE and TEST_REDIS as bench/run.sh sets them.

          --iterations N            measured iterations; each times one poll → card and one webhook → card (default 200)
          --warmup N                warm-up iterations before them, not measured (default 150: fewer leave
                                    the JIT still speeding up during the measured ones)
          --dispatch-idle-delay T   Alerts:DispatchIdleDelay of the bot, a TimeSpan (default 00:00:00.050)
          --burst-size N            alerts per burst in the throughput measurement; 0 skips it (default 100)
          --bursts N                bursts measured, after one warm-up burst (default 3)
          --footprint N             alerts in the Redis footprint batch (commands per card, bytes per alert); 0 skips it (default 200)
          --timeout T               longest wait for one card, one click's answer or one cleanup step (default 00:00:15)
          --markdown PATH           also write the result tables as Markdown to PATH

        click → answer (triage buttons; runs after the measurements above):
          --triage-only             run only the click → answer measurement (no poll/webhook latencies, no bursts)
          --triage-rounds N         measured rounds, each on a new alert's card: N refused clicks by a user who may not
                                    triage, then N concurrent triage clicks; 0 skips click → answer (default 20)
          --triage-warmup N         warm-up rounds before them, not measured (default 10)
          --triage-pause T          idle time after every round, so the JIT's background tier-up gets CPU (default 00:00:00.500)
          --clicks N                concurrent clicks per round, Legitimate / Ignore / Investigating in turn (default 100)
          --slow-graph-rounds N     measured single clicks while the fake Graph's PATCH is slow, after one warm-up;
                                    0 skips them (default 5)
          --slow-graph-delay T      how long the fake Graph holds each PATCH in those rounds (default 00:00:03)

        bulk triage (Teams' limits on; runs last, each size on a fresh bot):
          --bulk SIZES              comma-separated storm sizes for click → last card edited, e.g. 120,1000
                                    (default none; 1000 alone takes about nine minutes: BENCH_TIME_LIMIT=1500)
          --bulk-only               run only the bulk measurement
        """;

    public int Iterations { get; init; } = 200;

    public int Warmup { get; init; } = 150;

    public TimeSpan DispatchIdleDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public int BurstSize { get; init; } = 100;

    public int Bursts { get; init; } = 3;

    /// <summary>Alerts in the Redis footprint batch; 0 skips it.</summary>
    public int FootprintAlerts { get; init; } = 200;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    public string? MarkdownPath { get; init; }

    /// <summary>Only the click → answer measurement.</summary>
    public bool TriageOnly { get; init; }

    public int TriageRounds { get; init; } = 20;

    public int TriageWarmup { get; init; } = 10;

    public TimeSpan TriagePause { get; init; } = TimeSpan.FromMilliseconds(500);

    public int Clicks { get; init; } = 100;

    public int SlowGraphRounds { get; init; } = 5;

    public TimeSpan SlowGraphDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Storm sizes of the bulk measurement; empty skips it.</summary>
    public IReadOnlyList<int> BulkSizes { get; init; } = [];

    /// <summary>Only the bulk measurement.</summary>
    public bool BulkOnly { get; init; }

    /// <summary>True when --help was asked for.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <exception cref="FormatException">An unknown option or a bad value.</exception>
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchSettings();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                return settings with { ShowHelp = true };
            }

            if (name == "--bulk-only")
            {
                settings = settings with { BulkOnly = true };
                continue;
            }

            if (name == "--triage-only")
            {
                settings = settings with { TriageOnly = true };
                continue;
            }

            string value = i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            settings = name switch
            {
                "--iterations" => settings with { Iterations = Count(value, 1, 100_000) },
                "--warmup" => settings with { Warmup = Count(value, 1, 10_000) },
                "--dispatch-idle-delay" => settings with { DispatchIdleDelay = Duration(value) },
                // The bot's storm threshold is at most 1000 alerts per customer and window.
                "--burst-size" => settings with { BurstSize = Count(value, 0, 900) },
                "--bursts" => settings with { Bursts = Count(value, 1, 100) },
                "--footprint" => settings with { FootprintAlerts = Count(value, 0, 5000) },
                "--timeout" => settings with { Timeout = Duration(value) },
                "--markdown" => settings with { MarkdownPath = value },
                "--triage-rounds" => settings with { TriageRounds = Count(value, 0, 1_000) },
                "--triage-warmup" => settings with { TriageWarmup = Count(value, 0, 1_000) },
                "--triage-pause" => settings with { TriagePause = Duration(value) },
                "--clicks" => settings with { Clicks = Count(value, 1, 1_000) },
                "--slow-graph-rounds" => settings with { SlowGraphRounds = Count(value, 0, 100) },
                "--slow-graph-delay" => settings with { SlowGraphDelay = Duration(value) },
                "--bulk" => settings with { BulkSizes = [.. value.Split(',').Select(v => Count(v.Trim(), 1, 5_000))] },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        if (settings.BulkOnly && settings.BulkSizes.Count == 0)
        {
            throw new FormatException("--bulk-only needs --bulk SIZES.");
        }

        if (settings.TriageOnly && settings.TriageRounds == 0 && settings.SlowGraphRounds == 0)
        {
            throw new FormatException("--triage-only with --triage-rounds 0 and --slow-graph-rounds 0 measures nothing.");
        }

        return settings;
    }

    private static int Count(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new FormatException($"'{value}' is not a whole number from {min} to {max}.");

    private static TimeSpan Duration(string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan t) && t > TimeSpan.Zero
            ? t
            : throw new FormatException($"'{value}' is not a positive TimeSpan (hh:mm:ss.fff).");
}
