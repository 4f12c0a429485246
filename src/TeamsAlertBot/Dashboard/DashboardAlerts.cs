using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Sla;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Dashboard;

/// <summary>One alert as the list shows it (the API's item, camelCase on the wire).</summary>
public sealed record DashboardAlertItem(
    string Id,
    string? Type,
    string Severity,
    string Status,
    string? CustomerName,
    string? CustomerTenantId,
    string? ResellerName,
    string? SubscriptionId,
    DateTimeOffset? DetectedAt,
    double? AgeHours,
    DateTimeOffset? SlaDueAt,
    string? Sla,
    string? Verdict,
    string? DecidedBy,
    DateTimeOffset? DecidedAt);

/// <summary>An alert with what the dashboard adds to it (names, the bot's triage record).</summary>
public sealed record DashboardAlert(PartnerSecurityAlert Alert, AlertEnrichment Enrichment, TriageRecord Triage);

/// <summary>The list's filters and order, from the query string.</summary>
public sealed record AlertListQuery
{
    public string? Customer { get; init; }

    public string? Reseller { get; init; }

    public string? Type { get; init; }

    public string? Severity { get; init; }

    /// <summary>Empty = open alerts (active, investigating); <c>all</c> = every status; else comma-separated statuses.</summary>
    public string? Status { get; init; }

    public double? MinAgeDays { get; init; }

    public double? MaxAgeDays { get; init; }

    public string Sort { get; init; } = "detected";

    public bool Desc { get; init; } = true;

    public int Skip { get; init; }

    public int Top { get; init; } = 100;

    internal static readonly string[] Sorts = ["detected", "severity", "customer", "type", "status", "sla"];

    /// <summary>Reads the query string; an error message when a value is not understood.</summary>
    public static (AlertListQuery? Query, string? Error) From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Value(string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        double? min = null, max = null;
        if (Value("minAgeDays") is { } minText && !TryDays(minText, out min))
        {
            return (null, "minAgeDays must be a non-negative number");
        }

        if (Value("maxAgeDays") is { } maxText && !TryDays(maxText, out max))
        {
            return (null, "maxAgeDays must be a non-negative number");
        }

        string sort = (Value("sort") ?? "detected").ToLowerInvariant();
        if (!Sorts.Contains(sort))
        {
            return (null, $"sort must be one of {string.Join(", ", Sorts)}");
        }

        bool desc = true;
        if (Value("desc") is { } descText && !bool.TryParse(descText, out desc))
        {
            return (null, "desc must be true or false");
        }

        int skip = 0, top = 100;
        if ((Value("skip") is { } skipText && (!int.TryParse(skipText, NumberStyles.None, CultureInfo.InvariantCulture, out skip)))
            || (Value("top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000)))
        {
            return (null, "skip must be a non-negative integer and top an integer from 1 to 1000");
        }

        string? status = Value("status")?.ToLowerInvariant();
        if (status is not null && status != "all" && status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Any(s => s is not ("active" or "investigating" or "resolved" or "open")))
        {
            return (null, "status must be all, open, or a comma-separated list of active, investigating, resolved");
        }

        return (new AlertListQuery
        {
            Customer = Value("customer"),
            Reseller = Value("reseller"),
            Type = Value("type"),
            Severity = Value("severity")?.ToLowerInvariant(),
            Status = status,
            MinAgeDays = min,
            MaxAgeDays = max,
            Sort = sort,
            Desc = desc,
            Skip = skip,
            Top = top,
        }, null);
    }

    /// <summary>True when the list needs resolved alerts too (Graph is then asked for every alert).</summary>
    internal bool WantsResolved => Status is not null && (Status == "all" || Status.Contains("resolved", StringComparison.Ordinal));

    internal bool StatusMatches(AlertStatus status)
    {
        string name = DashboardAlerts.StatusName(status);
        if (Status is null)
        {
            return status is AlertStatus.Active or AlertStatus.Investigating;
        }

        return Status == "all" || Status.Split(',', StringSplitOptions.TrimEntries).Any(s => s == name || (s == "open" && status is AlertStatus.Active or AlertStatus.Investigating));
    }

    private static bool TryDays(string text, out double? days)
    {
        days = null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value))
        {
            days = value;
            return true;
        }

        return false;
    }
}

/// <summary>
/// The dashboard's read model: the alerts Graph lists (the same client the poller uses; the demo
/// tenant's in a demo run), named by the Partner Center enrichment the cards use, with the bot's triage
/// record of each. The list is reused for <see cref="DashboardOptions.AlertListCacheDuration"/>, and
/// dropped at once when the alert-change feed reports a change (from any instance), so the page does
/// not make Graph list every alert on each refresh.
/// </summary>
public sealed class DashboardAlerts(
    IPartnerSecurityAlertClient graph,
    IAlertEnricher enricher,
    IServiceProvider services,
    AlertChangeFeed feed,
    IOptions<DashboardOptions> options,
    IOptions<SlaOptions> sla,
    TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<bool, (DateTimeOffset At, long Generation, Task<IReadOnlyList<DashboardAlert>> List)> _cache = [];
    private long _generation;
    private bool _listening;

    /// <summary>Every alert (or only the open ones) with names and triage records; from the cache when fresh.</summary>
    public Task<IReadOnlyList<DashboardAlert>> ListAsync(bool includeResolved, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_listening)
            {
                feed.Changed += Invalidate;
                _listening = true;
            }

            if (_cache.TryGetValue(includeResolved, out var cached) && cached.Generation == _generation
                && now - cached.At < options.Value.AlertListCacheDuration && !cached.List.IsFaulted && !cached.List.IsCanceled)
            {
                return cached.List;
            }

            // The read is shared by concurrent callers and must not die with the first caller's request.
            Task<IReadOnlyList<DashboardAlert>> read = ReadAsync(includeResolved, CancellationToken.None);
            _cache[includeResolved] = (now, _generation, read);
            return read.WaitAsync(cancellationToken);
        }
    }

    /// <summary>One alert, read from Graph now (null when Graph does not know it).</summary>
    public async Task<DashboardAlert?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert? alert = await graph.GetAsync(id, cancellationToken);
        return alert is null ? null : await DecorateAsync(alert, cancellationToken);
    }

    /// <summary>The alerts matching <paramref name="query"/>'s filters, in its order (all of them: the caller pages).</summary>
    public async Task<IReadOnlyList<DashboardAlertItem>> QueryAsync(AlertListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<DashboardAlert> alerts = await ListAsync(query.WantsResolved, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        IEnumerable<DashboardAlertItem> items = alerts
            .Where(a => query.StatusMatches(a.Alert.Status))
            .Select(a => Item(a, now))
            .Where(i => Matches(query.Customer, i.CustomerName, i.CustomerTenantId)
                && Matches(query.Reseller, i.ResellerName, null)
                && Matches(query.Type, i.Type, null)
                && (query.Severity is null || query.Severity.Split(',', StringSplitOptions.TrimEntries).Contains(i.Severity))
                && (query.MinAgeDays is not { } min || (i.AgeHours is { } a1 && a1 >= min * 24))
                && (query.MaxAgeDays is not { } max || (i.AgeHours is { } a2 && a2 <= max * 24)));
        return Sort(items, query.Sort, query.Desc);
    }

    /// <summary>The item of one alert now.</summary>
    public DashboardAlertItem Item(DashboardAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        PartnerSecurityAlert a = alert.Alert;
        (string? verdict, string? by, DateTimeOffset? at) = Decision(alert);
        DateTimeOffset? due = a.DetectedDateTime + sla.Value.EscalateAfter;
        return new DashboardAlertItem(
            a.Id,
            a.AlertType,
            a.Severity.ToString().ToLowerInvariant(),
            StatusName(a.Status),
            alert.Enrichment.CustomerName,
            a.CustomerTenantId,
            alert.Enrichment.ValueAddedResellerName,
            a.SubscriptionId,
            a.DetectedDateTime,
            a.DetectedDateTime is { } detected ? Math.Round((now - detected).TotalHours, 2) : null,
            due,
            SlaState(a, due, at, now),
            verdict,
            by,
            at);
    }

    internal static string StatusName(AlertStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The bot's verdict (not while it is still being recorded), else the one Graph shows (given in Partner Center).</summary>
    private static (string? Verdict, string? By, DateTimeOffset? At) Decision(DashboardAlert alert)
    {
        if (alert.Triage is { Verdict: { } verdict, State: TriageState.Applied } record && verdict != TriageVerdict.Reopen)
        {
            return (verdict.ToString().ToLowerInvariant(), record.ActorName, record.At);
        }

        PartnerSecurityAlert a = alert.Alert;
        if (a.Status == AlertStatus.Resolved && a.ResolvedReason is { } reason and not AlertResolvedReason.Unknown)
        {
            return (reason.ToString().ToLowerInvariant(), a.ResolvedBy, a.ResolvedOnDateTime);
        }

        return a.Status == AlertStatus.Investigating ? ("investigating", null, null) : (null, null, null);
    }

    /// <summary>
    /// The 24-hour clock (<c>Sla:EscalateAfter</c>): <c>met</c> when a verdict came in time, <c>overdue</c> past it
    /// (decided late included), <c>due-soon</c> once the last reminder threshold has passed, else <c>ok</c>.
    /// </summary>
    private string? SlaState(PartnerSecurityAlert alert, DateTimeOffset? due, DateTimeOffset? decidedAt, DateTimeOffset now)
    {
        if (due is not { } deadline || alert.DetectedDateTime is not { } detected)
        {
            return null;
        }

        if (decidedAt is { } decided)
        {
            return decided <= deadline ? "met" : "overdue";
        }

        if (now > deadline)
        {
            return "overdue";
        }

        TimeSpan soon = sla.Value.Reminders.Count > 0 ? sla.Value.Reminders[^1] : sla.Value.EscalateAfter / 2;
        return now >= detected + soon ? "due-soon" : "ok";
    }

    private static bool Matches(string? wanted, string? name, string? id) =>
        wanted is null
        || (name?.Contains(wanted, StringComparison.OrdinalIgnoreCase) ?? false)
        || string.Equals(id, wanted, StringComparison.OrdinalIgnoreCase);

    private static List<DashboardAlertItem> Sort(IEnumerable<DashboardAlertItem> items, string sort, bool desc)
    {
        Func<DashboardAlertItem, object?> key = sort switch
        {
            "severity" => i => SeverityRank(i.Severity),
            "customer" => i => i.CustomerName ?? i.CustomerTenantId,
            "type" => i => i.Type,
            "status" => i => i.Status,
            "sla" => i => i.SlaDueAt,
            _ => i => i.DetectedAt,
        };
        IOrderedEnumerable<DashboardAlertItem> ordered = desc ? items.OrderByDescending(key, Comparer<object?>.Default) : items.OrderBy(key, Comparer<object?>.Default);
        return [.. ordered.ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    private static int SeverityRank(string severity) => severity switch
    {
        "high" => 4,
        "medium" => 3,
        "low" => 2,
        "informational" => 1,
        _ => 0,
    };

    private void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
        }
    }

    private async Task<IReadOnlyList<DashboardAlert>> ReadAsync(bool includeResolved, CancellationToken cancellationToken)
    {
        List<PartnerSecurityAlert> alerts = [];
        HashSet<string> seen = new(StringComparer.Ordinal);
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(includeResolved ? AlertQuery.All : AlertQuery.Open, cancellationToken))
        {
            if (seen.Add(alert.Id))
            {
                alerts.Add(alert);
            }
        }

        DashboardAlert[] decorated = new DashboardAlert[alerts.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, alerts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => decorated[i] = await DecorateAsync(alerts[i], ct));
        return decorated;
    }

    private async Task<DashboardAlert> DecorateAsync(PartnerSecurityAlert alert, CancellationToken cancellationToken)
    {
        AlertEnrichment enrichment = await enricher.EnrichAsync(alert, cancellationToken);
        TriageRecord record = services.GetService<ITriageLedger>() is { } ledger ? await ledger.GetAsync(alert.Id) : TriageRecord.Initial;
        return new DashboardAlert(alert, enrichment, record);
    }
}

/// <summary>The CSV export: a header row and every matching alert, each value quoted and defused against formula injection.</summary>
public static class DashboardCsv
{
    private static readonly string[] Header =
        ["id", "type", "severity", "status", "customerName", "customerTenantId", "resellerName", "subscriptionId", "detectedAt", "ageHours", "slaDueAt", "sla", "verdict", "decidedBy", "decidedAt"];

    public static string Write(IEnumerable<DashboardAlertItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Header.Select(Field))).Append("\r\n");
        foreach (DashboardAlertItem i in items)
        {
            string?[] values =
            [
                i.Id, i.Type, i.Severity, i.Status, i.CustomerName, i.CustomerTenantId, i.ResellerName, i.SubscriptionId,
                Date(i.DetectedAt), i.AgeHours?.ToString("0.##", CultureInfo.InvariantCulture), Date(i.SlaDueAt), i.Sla, i.Verdict, i.DecidedBy, Date(i.DecidedAt),
            ];
            csv.Append(string.Join(',', values.Select(Field))).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// One field: quoted, inner quotes doubled, and a value a spreadsheet would run as a formula (first
    /// character <c>= + - @</c>, tab or carriage return) prefixed with an apostrophe, as OWASP advises.
    /// </summary>
    public static string Field(string? value)
    {
        string text = value ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string? Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
