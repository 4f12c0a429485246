using System.Diagnostics;
using System.Globalization;

namespace TeamsAlertBot.Bench;

/// <summary>
/// How busy the machine was outside the bench process over an interval (Linux /proc/stat): other
/// work on the same cores — a build, a test run — shows up in every latency, so the report says how
/// much there was. redis-server, which the bench needs, counts as outside.
/// </summary>
internal readonly record struct MachineLoad(long BusyTicks, long TotalTicks, TimeSpan ProcessCpu)
{
    public static MachineLoad Now()
    {
        (long busy, long total) = ReadStat();
        using var self = Process.GetCurrentProcess();
        return new MachineLoad(busy, total, self.TotalProcessorTime);
    }

    /// <summary>
    /// The share of all cores (0–1) used outside this process since <paramref name="start"/>; null
    /// where /proc/stat cannot be read.
    /// </summary>
    public double? OutsideShareSince(MachineLoad start)
    {
        long total = TotalTicks - start.TotalTicks;
        if (total <= 0)
        {
            return null;
        }

        // /proc/stat counts in USER_HZ, 100 per second and core on Linux.
        double ours = (ProcessCpu - start.ProcessCpu).TotalSeconds * 100;
        return Math.Clamp((BusyTicks - start.BusyTicks - ours) / total, 0, 1);
    }

    /// <summary>/proc/loadavg's first three fields, for the report.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static (long Busy, long Total) ReadStat()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        string line = File.ReadLines("/proc/stat").First();
        long[] fields = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
        long total = fields.Sum();
        long idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
