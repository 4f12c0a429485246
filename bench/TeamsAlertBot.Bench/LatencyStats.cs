namespace TeamsAlertBot.Bench;

/// <summary>Order statistics of one measurement's samples (percentiles by the nearest-rank method).</summary>
internal sealed record LatencyStats(int Count, TimeSpan Min, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max, TimeSpan Mean, TimeSpan Sum)
{
    public static LatencyStats Of(IReadOnlyCollection<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        TimeSpan[] sorted = [.. samples.Order()];
        TimeSpan sum = TimeSpan.FromTicks(sorted.Sum(s => s.Ticks));
        return new LatencyStats(
            sorted.Length,
            sorted[0],
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 99),
            sorted[^1],
            sum / sorted.Length,
            sum);
    }

    /// <summary>Completed intervals per second with one in flight: count ÷ the sum of the intervals.</summary>
    public double SequentialPerSecond => Count / Sum.TotalSeconds;

    /// <summary>The smallest sample that at least <paramref name="percent"/> % of the samples do not exceed.</summary>
    private static TimeSpan Percentile(TimeSpan[] sorted, int percent)
    {
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
