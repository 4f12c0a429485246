using System.Globalization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Graph;

/// <summary>
/// Which partner security alerts to list. Sent to Graph as <c>$filter</c> when Graph accepts it,
/// otherwise applied to each alert as it is read; the result is the same either way.
/// </summary>
public sealed record AlertQuery
{
    /// <summary>Every alert.</summary>
    public static AlertQuery All { get; } = new();

    /// <summary>Alerts still waiting for a verdict: active or investigating.</summary>
    public static AlertQuery Open { get; } = new() { Statuses = [AlertStatus.Active, AlertStatus.Investigating] };

    /// <summary>Wanted statuses (any of them); empty = any status. <see cref="AlertStatus.Unknown"/> cannot be asked for.</summary>
    public IReadOnlyCollection<AlertStatus> Statuses { get; init; } = [];

    /// <summary>Only alerts whose <c>detectedDateTime</c> is at or after this instant; alerts without one are left out.</summary>
    public DateTimeOffset? DetectedSince { get; init; }
}

/// <summary>An <see cref="AlertQuery"/> as an OData <c>$filter</c> and as the equivalent client-side test.</summary>
internal sealed class AlertFilter
{
    private readonly AlertStatus[] _statuses;
    private readonly DateTimeOffset? _since;

    private AlertFilter(AlertStatus[] statuses, DateTimeOffset? since)
    {
        _statuses = statuses;
        _since = since;
        List<string> expression = [];
        List<string> shape = [];
        if (statuses.Length == 1)
        {
            expression.Add($"status eq '{Literal(statuses[0])}'");
            shape.Add("status eq '…'");
        }
        else if (statuses.Length > 1)
        {
            expression.Add($"({string.Join(" or ", statuses.Select(s => $"status eq '{Literal(s)}'"))})");
            shape.Add($"({string.Join(" or ", statuses.Select(_ => "status eq '…'"))})");
        }

        if (since is { } instant)
        {
            expression.Add($"detectedDateTime ge {Literal(instant)}");
            shape.Add("detectedDateTime ge …");
        }

        Expression = expression.Count == 0 ? null : string.Join(" and ", expression);
        Shape = string.Join(" and ", shape);
    }

    /// <summary>The <c>$filter</c> value; null when the query asks for everything.</summary>
    public string? Expression { get; }

    /// <summary>The expression with its values blanked: what Graph accepts or refuses, whatever the values.</summary>
    public string Shape { get; }

    public static AlertFilter From(AlertQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Statuses, nameof(query.Statuses));
        foreach (AlertStatus status in query.Statuses)
        {
            if (status == AlertStatus.Unknown || !Enum.IsDefined(status))
            {
                throw new ArgumentException($"An alert query cannot ask for status '{status}'.", nameof(query));
            }
        }

        return new AlertFilter([.. query.Statuses.Distinct().Order()], query.DetectedSince);
    }

    /// <summary>The same test as <see cref="Expression"/>, for one alert.</summary>
    public bool Matches(PartnerSecurityAlert alert) =>
        (_statuses.Length == 0 || _statuses.Contains(alert.Status))
        && (_since is not { } since || (alert.DetectedDateTime is { } detected && detected >= since));

    private static string Literal(AlertStatus status) => status switch
    {
        AlertStatus.Active => "active",
        AlertStatus.Investigating => "investigating",
        AlertStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status Graph can filter on."),
    };

    // OData DateTimeOffset literal in UTC, with as many fraction digits as the instant has, so the
    // server compares exactly what Matches compares.
    private static string Literal(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
