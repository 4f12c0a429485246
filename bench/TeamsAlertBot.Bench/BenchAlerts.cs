using System.Text.RegularExpressions;

namespace TeamsAlertBot.Bench;

/// <summary>The alerts the bench creates: ids that no card text can contain by accident, one customer.</summary>
internal static partial class BenchAlerts
{
    public const string CustomerTenantId = "6a1d2c3b-0000-4000-8000-00000000b001";
    public const string CustomerName = "Contoso Bench Ltd";

    public static string Poll(int i) => $"bench-poll-{i:D6}";

    public static string Webhook(int i) => $"bench-hook-{i:D6}";

    public static string Burst(int burst, int i) => $"bench-burst-{burst:D2}{i:D4}";

    /// <summary>The alerts of the Redis footprint batch.</summary>
    public static string Footprint(int i) => $"bench-fprnt-{i:D6}";

    /// <summary>The alert of click → answer round <paramref name="round"/>.</summary>
    public static string Triage(int round) => $"bench-click-{round:D6}";

    /// <summary>The alert of slow-Graph round <paramref name="round"/>.</summary>
    public static string SlowGraph(int round) => $"bench-slowg-{round:D6}";

    [GeneratedRegex(@"bench-(poll|hook|burst|click|slowg|fprnt)-\d{6}")]
    public static partial Regex IdPattern();
}
