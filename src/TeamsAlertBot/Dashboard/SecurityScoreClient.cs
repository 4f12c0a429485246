using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Dashboard;

/// <summary>The partner security score as the dashboard shows it: the score, and the response-time requirement.</summary>
public sealed record PartnerScoreReading
{
    public bool Available { get; init; }

    /// <summary>Why it is not available: <c>forbidden</c>, <c>not-found</c>, <c>unavailable</c>, <c>demo</c>.</summary>
    public string? Reason { get; init; }

    public double? Score { get; init; }

    public double? MaxScore { get; init; }

    /// <summary><c>compliant</c>, <c>noncompliant</c> (Graph spells it <c>noncomplaint</c>) or <c>unknown</c>; null without the requirement.</summary>
    public string? Compliance { get; init; }

    /// <summary>The requirement's average response time over the past 30 days.</summary>
    public double? AverageResponseTimeInHours { get; init; }

    /// <summary>Graph's score history (<c>securityScoreHistory</c>), oldest first.</summary>
    public IReadOnlyList<ScoreHistoryPoint> History { get; init; } = [];

    public static PartnerScoreReading Unavailable(string reason) => new() { Available = false, Reason = reason };
}

/// <summary>One entry of the score history.</summary>
/// <param name="At"><c>createdDateTime</c>.</param>
/// <param name="Score"><c>score</c>.</param>
/// <param name="AverageResponseTimeInHours">Read when an entry carries one (the documented history has only the score).</param>
public sealed record ScoreHistoryPoint(DateTimeOffset At, double? Score, double? AverageResponseTimeInHours);

/// <summary>
/// Graph beta <c>GET /security/partner/securityScore</c> with its <c>requirements</c> and <c>history</c>,
/// over the Graph alert client's pipeline (the same token, origin pinning and retries). Read leniently,
/// because the beta documentation disagrees with itself: the body may be the score or wrap it in
/// <c>value</c>; the requirement type is <c>requirementType</c> or <c>securityRequirementType</c>, and the
/// response-time requirement is <c>securityAlertsPromptlyResolved</c> or
/// <c>securityAlertsRespondedToWithinExpectedTimeWindow</c> (or typed <c>responseTimeSecurityRequirement</c>);
/// its score is <c>score</c> or <c>currentScore</c>. When <c>$expand</c> brings no requirements or history,
/// they are listed from their own collections.
/// </summary>
public sealed partial class SecurityScoreClient(HttpClient http, IOptions<GraphOptions> options, ILogger<SecurityScoreClient> logger)
{
    private static readonly string[] ResponseTimeTypes = ["securityAlertsPromptlyResolved", "securityAlertsRespondedToWithinExpectedTimeWindow"];

    /// <summary>The score, or why it cannot be read; never throws for Graph's failures.</summary>
    public async Task<PartnerScoreReading> ReadAsync(CancellationToken cancellationToken)
    {
        string root = $"{options.Value.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}/security/partner/securityScore";
        try
        {
            (HttpStatusCode status, JsonElement? body) = await GetAsync($"{root}?$expand=requirements,history", cancellationToken);
            if (status == HttpStatusCode.BadRequest)
            {
                // Not every beta version accepts $expand here: read the three parts one by one.
                (status, body) = await GetAsync(root, cancellationToken);
            }

            if (body is not { } score)
            {
                return PartnerScoreReading.Unavailable(ReasonOf(status));
            }

            score = Unwrap(score);
            JsonElement[] requirements = Items(score, "requirements");
            if (requirements.Length == 0 && await GetAsync($"{root}/requirements", cancellationToken) is (HttpStatusCode.OK, { } listed))
            {
                requirements = Items(listed, "value");
            }

            JsonElement[] history = Items(score, "history");
            if (history.Length == 0 && await GetAsync($"{root}/history", cancellationToken) is (HttpStatusCode.OK, { } past))
            {
                history = Items(past, "value");
            }

            JsonElement? responseTime = requirements.Cast<JsonElement?>().FirstOrDefault(r => IsResponseTime(r!.Value));
            return new PartnerScoreReading
            {
                Available = true,
                Score = Number(score, "currentScore") ?? Number(score, "score"),
                MaxScore = Number(score, "maxScore"),
                Compliance = responseTime is { } r ? Compliance(Text(r, "complianceStatus")) : null,
                AverageResponseTimeInHours = responseTime is { } t ? Number(t, "averageResponseTimeInHours") : null,
                History = [.. history
                    .Select(h => (At: Date(h, "createdDateTime"), Entry: h))
                    .Where(h => h.At is not null)
                    .Select(h => new ScoreHistoryPoint(h.At!.Value, Number(h.Entry, "score"), Number(h.Entry, "averageResponseTimeInHours")))
                    .OrderBy(h => h.At)],
            };
        }
        catch (Exception e) when (e is HttpRequestException or GraphException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogScoreFailed(logger, e);
            return PartnerScoreReading.Unavailable("unavailable");
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> GetAsync(string uri, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(uri), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogScoreRefused(logger, (int)response.StatusCode);
            return (response.StatusCode, null);
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using JsonDocument document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => "forbidden",
        HttpStatusCode.NotFound => "not-found",
        _ => "unavailable",
    };

    /// <summary>The documentation's sample wraps the score in <c>value</c> (an object, or a one-item array).</summary>
    private static JsonElement Unwrap(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("value", out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.Object => value,
                JsonValueKind.Array when value.GetArrayLength() > 0 => value[0],
                _ => body,
            }
            : body;

    private static bool IsResponseTime(JsonElement requirement) =>
        ResponseTimeTypes.Contains(Text(requirement, "requirementType") ?? Text(requirement, "securityRequirementType"), StringComparer.OrdinalIgnoreCase)
        || (Text(requirement, "@odata.type")?.EndsWith("responseTimeSecurityRequirement", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string Compliance(string? status) => status?.ToUpperInvariant() switch
    {
        "COMPLIANT" => "compliant",
        "NONCOMPLAINT" or "NONCOMPLIANT" => "noncompliant",
        _ => "unknown",
    };

    private static JsonElement[] Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)]
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) ? number : null;

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out DateTimeOffset at) ? at : null;

    [LoggerMessage(6310, LogLevel.Warning, "Reading the partner security score from Graph failed")]
    private static partial void LogScoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(6311, LogLevel.Information, "Graph answered {Status} to a partner security score request")]
    private static partial void LogScoreRefused(ILogger logger, int status);
}

/// <summary>Median and 90th percentile of a set of durations.</summary>
public sealed record ResponseFigures(int Count, double? MedianHours, double? P90Hours)
{
    /// <summary>Linear interpolation between the closest ranks (as spreadsheets' PERCENTILE.INC).</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        double rank = p * (sorted.Count - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return Math.Round(sorted[low] + ((sorted[high] - sorted[low]) * (rank - low)), 2);
    }

    public static ResponseFigures Of(IEnumerable<double> hours)
    {
        List<double> sorted = [.. hours.Order()];
        return new ResponseFigures(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }
}
