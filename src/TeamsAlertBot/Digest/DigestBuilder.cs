using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Digest;

/// <summary>
/// Gathers what the summary shows — open and resolved alerts from Graph, the bot's triage records,
/// customer names from Partner Center — and builds the <see cref="DigestReport"/>.
/// </summary>
public sealed class DigestBuilder(
    IPartnerSecurityAlertClient graph,
    ITriageLedger triage,
    IAlertContextProvider contexts,
    IOptions<DigestOptions> options,
    IOptions<AlertPipelineOptions> alertOptions,
    AlertCardRenderer? renderer = null,
    Triage.Bulk.BulkTriageService? bulk = null)
{
    private readonly Lazy<DigestSchedule> _schedule = new(() =>
    {
        DigestOptions settings = options.Value;
        string zone = string.IsNullOrWhiteSpace(settings.TimeZone) ? alertOptions.Value.DisplayTimeZone : settings.TimeZone;
        return new DigestSchedule(settings.SendAt, TimeZoneInfo.FindSystemTimeZoneById(zone));
    });

    /// <summary>When the summary is sent, in which zone.</summary>
    public DigestSchedule Schedule => _schedule.Value;

    /// <summary>
    /// The summary card of a report for a conversation: its older open alerts get a list button (a
    /// query button, signed on the way out) and, where bulk triage runs, the bulk buttons for every
    /// open alert detected before the window, signed for <paramref name="conversationId"/>.
    /// </summary>
    public AdaptiveCard Card(DigestReport report, string language, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(report);
        IReadOnlyList<CardAction>? older = bulk is null || renderer is null || report.OlderOpenCount == 0
            ? null
            : BulkCards.AgeButtons(language, verdict => renderer.SignBulk(
                new BulkActionData { Step = BulkStep.Propose, Verdict = verdict, Days = report.LookbackDays, Signature = string.Empty }, conversationId));
        return DigestCards.Daily(Core.Localization.DigestTexts.For(language), report, Schedule.TimeZone, older);
    }

    /// <summary>The report as of <paramref name="now"/>.</summary>
    /// <exception cref="GraphException">Graph could not be read.</exception>
    public async Task<DigestReport> BuildAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        DigestOptions settings = options.Value;
        DateTimeOffset since = now - settings.Lookback;
        // Every open alert: those detected before the window are counted apart (they stay in view).
        List<PartnerSecurityAlert> open = await ListAsync(AlertQuery.Open, cancellationToken);
        // Resolved yesterday: detected within the look-back (Graph cannot filter on resolvedOnDateTime).
        List<PartnerSecurityAlert> resolved = await ListAsync(
            new AlertQuery { Statuses = [AlertStatus.Resolved], DetectedSince = since - TimeSpan.FromDays(2) }, cancellationToken);

        Dictionary<string, TriageRecord> records = new(StringComparer.Ordinal);
        foreach (string id in open.Where(a => a.DetectedDateTime >= since).Concat(resolved).Select(a => a.Id).Distinct(StringComparer.Ordinal))
        {
            TriageRecord record = await triage.GetAsync(id);
            if (record.Verdict is not null)
            {
                records[id] = record;
            }
        }

        DigestInput input = new()
        {
            Open = open,
            Resolved = resolved,
            TriageRecords = records,
            Now = now,
            TimeZone = Schedule.TimeZone,
            Lookback = settings.Lookback,
            TopCount = settings.TopCount,
        };
        DigestReport draft = DigestReport.Build(input);

        // Names only for the customers the card lists (the enrichment is cached).
        HashSet<string> listed = [.. draft.OldestWaiting.Select(w => w.AlertId).Concat(draft.Verdicts.Select(v => v.AlertId))];
        Dictionary<string, string> names = new(StringComparer.OrdinalIgnoreCase);
        foreach (PartnerSecurityAlert alert in open.Concat(resolved)
            .Where(a => listed.Contains(a.Id) && a.CustomerTenantId is { Length: > 0 })
            .DistinctBy(a => a.CustomerTenantId, StringComparer.OrdinalIgnoreCase))
        {
            AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
            if (context.CustomerName is { Length: > 0 } name)
            {
                names[alert.CustomerTenantId!] = name;
            }
        }

        return names.Count == 0 ? draft : DigestReport.Build(input with { CustomerNames = names });
    }

    private async Task<List<PartnerSecurityAlert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        List<PartnerSecurityAlert> alerts = [];
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(query, cancellationToken))
        {
            alerts.Add(alert);
        }

        return alerts;
    }
}
