using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Core.Digest;

/// <summary>Open alerts of one alert type: how many, for how many customers and subscriptions.</summary>
public sealed record DigestTypeRow(string AlertType, int Alerts, int Customers, int Subscriptions);

/// <summary>An open alert still waiting for a verdict.</summary>
public sealed record DigestWaitingAlert(string AlertId, string Title, string? Customer, DateTimeOffset DetectedAt, TimeSpan Waiting);

/// <summary>A verdict given yesterday.</summary>
public sealed record DigestVerdict(string AlertId, string Title, string? Customer, AlertResolvedReason? Reason, DateTimeOffset ResolvedAt, string? ResolvedBy);

/// <summary>What goes into a digest, gathered by the host (Graph, the triage records, Partner Center names).</summary>
public sealed record DigestInput
{
    /// <summary>Open alerts (any detection time; the report keeps those within the look-back).</summary>
    public required IReadOnlyList<PartnerSecurityAlert> Open { get; init; }

    /// <summary>Resolved alerts (the report keeps those resolved on the previous local day).</summary>
    public required IReadOnlyList<PartnerSecurityAlert> Resolved { get; init; }

    /// <summary>The bot's triage record per alert id; a missing id means no decision through the bot.</summary>
    public required IReadOnlyDictionary<string, TriageRecord> TriageRecords { get; init; }

    /// <summary>Customer tenant id → display name, where known.</summary>
    public IReadOnlyDictionary<string, string> CustomerNames { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset Now { get; init; }

    /// <summary>The zone that defines "yesterday".</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Only open alerts detected this recently count.</summary>
    public required TimeSpan Lookback { get; init; }

    /// <summary>How many of the oldest waiting alerts are listed.</summary>
    public required int TopCount { get; init; }

    /// <summary>How many of yesterday's verdicts are listed one by one.</summary>
    public int MaxVerdicts { get; init; } = 10;
}

/// <summary>The content of the daily summary card, computed from a <see cref="DigestInput"/> without I/O.</summary>
public sealed record DigestReport
{
    public required DateTimeOffset GeneratedAt { get; init; }

    public required DateOnly Yesterday { get; init; }

    public required int LookbackDays { get; init; }

    public required int TopCount { get; init; }

    public required int OpenCount { get; init; }

    public required int WaitingCount { get; init; }

    /// <summary>Open alerts detected before the window (<see cref="LookbackDays"/>): counted apart, so they stay in view.</summary>
    public int OlderOpenCount { get; init; }

    /// <summary>By alert type, most alerts first.</summary>
    public required IReadOnlyList<DigestTypeRow> Types { get; init; }

    /// <summary>The oldest open alerts without a verdict, oldest first, at most <see cref="TopCount"/>.</summary>
    public required IReadOnlyList<DigestWaitingAlert> OldestWaiting { get; init; }

    /// <summary>Verdicts given yesterday (local day), earliest first, at most the configured number.</summary>
    public required IReadOnlyList<DigestVerdict> Verdicts { get; init; }

    /// <summary>Every verdict of yesterday, listed or not, per reason.</summary>
    public required IReadOnlyDictionary<AlertResolvedReason, int> VerdictCounts { get; init; }

    /// <summary>All of yesterday's verdicts (listed or not).</summary>
    public int VerdictTotal => VerdictCounts.Values.Sum();

    /// <summary>Builds the report.</summary>
    public static DigestReport Build(DigestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DateTimeOffset now = input.Now;
        var schedule = new DigestSchedule(TimeOnly.MinValue, input.TimeZone);
        DateOnly today = schedule.LocalDate(now);
        DateOnly yesterday = today.AddDays(-1);
        DateTimeOffset yesterdayStart = schedule.StartOf(yesterday);
        DateTimeOffset todayStart = schedule.StartOf(today);

        PartnerSecurityAlert[] open = [.. input.Open
            .Where(a => a.IsOpen && a.DetectedDateTime is { } detected && detected >= now - input.Lookback)
            .DistinctBy(a => a.Id, StringComparer.Ordinal)];

        DigestTypeRow[] types = [.. open
            .GroupBy(a => AlertCards.HumanizeAlertType(a.AlertType) ?? string.Empty, StringComparer.Ordinal)
            .Select(g => new DigestTypeRow(
                g.Key,
                g.Count(),
                g.Select(a => a.CustomerTenantId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                g.Select(a => a.SubscriptionId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count()))
            .OrderByDescending(r => r.Alerts)
            .ThenBy(r => r.AlertType, StringComparer.Ordinal)];

        PartnerSecurityAlert[] waiting = [.. open
            .Where(a => AlertSla.IsWaiting(a, input.TriageRecords.GetValueOrDefault(a.Id)))
            .OrderBy(a => a.DetectedDateTime)
            .ThenBy(a => a.Id, StringComparer.Ordinal)];

        List<DigestVerdict> verdicts = [];
        foreach (PartnerSecurityAlert alert in input.Resolved.Where(a => a.Status == AlertStatus.Resolved).DistinctBy(a => a.Id, StringComparer.Ordinal))
        {
            TriageRecord? record = input.TriageRecords.GetValueOrDefault(alert.Id);
            // Graph's resolvedOnDateTime when it has one; otherwise when the bot recorded the verdict.
            DateTimeOffset? resolvedAt = alert.ResolvedOnDateTime
                ?? (record is { State: TriageState.Applied, At: { } at, Verdict: TriageVerdict.Legitimate or TriageVerdict.Fraud or TriageVerdict.Ignore } ? at : null);
            if (resolvedAt is not { } when || when < yesterdayStart || when >= todayStart)
            {
                continue;
            }

            verdicts.Add(new DigestVerdict(
                alert.Id, Title(alert), CustomerName(alert, input.CustomerNames), alert.ResolvedReason ?? Reason(record), when,
                OneLine(alert.ResolvedBy) ?? OneLine(record?.ActorName)));
        }

        verdicts.Sort((a, b) => a.ResolvedAt != b.ResolvedAt ? a.ResolvedAt.CompareTo(b.ResolvedAt) : string.CompareOrdinal(a.AlertId, b.AlertId));
        return new DigestReport
        {
            GeneratedAt = now,
            Yesterday = yesterday,
            LookbackDays = (int)Math.Round(input.Lookback.TotalDays),
            TopCount = input.TopCount,
            OpenCount = open.Length,
            WaitingCount = waiting.Length,
            OlderOpenCount = input.Open
                .Where(a => a.IsOpen && a.DetectedDateTime is { } detected && detected < now - input.Lookback)
                .DistinctBy(a => a.Id, StringComparer.Ordinal)
                .Count(),
            Types = types,
            OldestWaiting = [.. waiting.Take(input.TopCount).Select(a => new DigestWaitingAlert(
                a.Id, Title(a), CustomerName(a, input.CustomerNames), a.DetectedDateTime!.Value, now - a.DetectedDateTime!.Value))],
            Verdicts = [.. verdicts.Take(input.MaxVerdicts)],
            VerdictCounts = verdicts.GroupBy(v => v.Reason ?? AlertResolvedReason.Unknown).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    private static AlertResolvedReason? Reason(TriageRecord? record) => record?.Verdict switch
    {
        TriageVerdict.Legitimate => AlertResolvedReason.Legitimate,
        TriageVerdict.Fraud => AlertResolvedReason.Fraud,
        TriageVerdict.Ignore => AlertResolvedReason.Ignore,
        _ => null,
    };

    private static string Title(PartnerSecurityAlert alert) =>
        AlertCards.HumanizeAlertType(alert.AlertType) ?? OneLine(alert.DisplayName) ?? alert.Id;

    private static string? CustomerName(PartnerSecurityAlert alert, IReadOnlyDictionary<string, string> names) =>
        alert.CustomerTenantId is { Length: > 0 } tenant
            ? names.TryGetValue(tenant, out string? name) && OneLine(name) is { } known ? known : tenant
            : null;

    private static string? OneLine(string? text)
    {
        string? line = text?.ReplaceLineEndings(" ").Trim();
        return string.IsNullOrEmpty(line) ? null : line.Length > 120 ? line[..119] + "…" : line;
    }
}

/// <summary>The triage rule shared by the digest and the SLA reminders.</summary>
public static class AlertSla
{
    /// <summary>
    /// True while an alert waits for someone: Graph shows it <c>active</c> (an alert set to
    /// <c>investigating</c>, in the bot or in Partner Center, has an owner) and the bot holds no
    /// verdict for it (none, a Reopen, or one whose Graph update failed).
    /// </summary>
    public static bool IsWaiting(PartnerSecurityAlert alert, TriageRecord? record)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Status != AlertStatus.Active)
        {
            return false;
        }

        return record is null
            || record.Verdict is null or TriageVerdict.Reopen
            || record.State is TriageState.None or TriageState.Failed;
    }
}
