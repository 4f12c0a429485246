using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Dashboard;

/// <summary>
/// The response-time view: the partner security score's response-time requirement as Graph reports it
/// (kept for <see cref="DashboardOptions.ScoreCacheDuration"/>), next to the team's own time from detection
/// to the first verdict (<see cref="IVerdictIndex"/>) — over the last 30 days (Microsoft's window), per
/// week for <see cref="DashboardOptions.ScoreWeeks"/> weeks (weeks start Monday, UTC), per alert type, and the slowest alerts.
/// </summary>
public sealed class DashboardScore(
    IServiceProvider services,
    IVerdictIndex verdicts,
    IAlertEnricher enricher,
    IConfiguration configuration,
    IOptions<DashboardOptions> options,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, PartnerScoreReading Reading)? _partner;

    public void Dispose() => _gate.Dispose();

    public async Task<object> ReadAsync(CancellationToken cancellationToken)
    {
        PartnerScoreReading partner = await PartnerAsync(cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset firstWeek = WeekStart(now).AddDays(-7 * (options.Value.ScoreWeeks - 1));
        IReadOnlyList<VerdictEntry> entries = await verdicts.ReadAsync(firstWeek < now - Window ? firstWeek : now - Window);
        VerdictEntry[] recent = [.. entries.Where(e => e.DecidedAt >= now - Window)];
        ResponseFigures overall = ResponseFigures.Of(recent.Select(e => e.Hours));
        var slowest = new List<object>();
        foreach (VerdictEntry e in recent.OrderByDescending(e => e.Hours).ThenBy(e => e.AlertId, StringComparer.Ordinal).Take(10))
        {
            slowest.Add(new { id = e.AlertId, type = e.Type, customerName = await CustomerNameAsync(e, cancellationToken), hours = Math.Round(e.Hours, 2) });
        }

        return new
        {
            partner = new
            {
                available = partner.Available,
                reason = partner.Reason,
                score = partner.Score,
                maxScore = partner.MaxScore,
                requirement = new
                {
                    compliance = partner.Compliance,
                    averageResponseTimeInHours = partner.AverageResponseTimeInHours,
                    history = partner.History.Select(h => new { at = h.At, averageResponseTimeInHours = h.AverageResponseTimeInHours, score = h.Score }),
                },
            },
            team = new
            {
                count = overall.Count,
                medianHours = overall.MedianHours,
                p90Hours = overall.P90Hours,
                weeks = Enumerable.Range(0, options.Value.ScoreWeeks).Select(w =>
                {
                    DateTimeOffset start = firstWeek.AddDays(7 * w);
                    ResponseFigures week = ResponseFigures.Of(entries.Where(e => e.DecidedAt >= start && e.DecidedAt < start.AddDays(7)).Select(e => e.Hours));
                    return new { weekStart = start, count = week.Count, medianHours = week.MedianHours, p90Hours = week.P90Hours };
                }),
                byType = recent.GroupBy(e => e.Type ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
                {
                    ResponseFigures type = ResponseFigures.Of(g.Select(e => e.Hours));
                    return new { type = g.Key, count = type.Count, medianHours = type.MedianHours, p90Hours = type.P90Hours };
                }),
                slowest,
            },
        };
    }

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="at"/>.</summary>
    internal static DateTimeOffset WeekStart(DateTimeOffset at)
    {
        DateTimeOffset day = new(at.UtcDateTime.Date, TimeSpan.Zero);
        int sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return day.AddDays(-sinceMonday);
    }

    private async Task<PartnerScoreReading> PartnerAsync(CancellationToken cancellationToken)
    {
        if (Demo.DemoOptions.IsEnabled(configuration))
        {
            return PartnerScoreReading.Unavailable("demo");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            if (_partner is { } cached && now - cached.At < options.Value.ScoreCacheDuration)
            {
                return cached.Reading;
            }

            PartnerScoreReading reading = await services.GetRequiredService<SecurityScoreClient>().ReadAsync(cancellationToken);
            // A failure is asked again next time; a reading is kept.
            _partner = reading.Available ? (now, reading) : null;
            return reading;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> CustomerNameAsync(VerdictEntry entry, CancellationToken cancellationToken)
    {
        if (entry.CustomerTenantId is null)
        {
            return null;
        }

        // The enrichment caches per customer: this is a cache read after the first time.
        AlertEnrichment enrichment = await enricher.EnrichAsync(new PartnerSecurityAlert { Id = entry.AlertId, CustomerTenantId = entry.CustomerTenantId }, cancellationToken);
        return enrichment.CustomerName ?? entry.CustomerTenantId;
    }
}
