using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.Graph;

/// <summary>What a failed Graph answer says about itself: its error envelope and correlation headers.</summary>
internal sealed record GraphError(HttpStatusCode StatusCode, string? Code, string? Message, string? RequestId, string? ClientRequestId)
{
    public const string RequestIdHeader = "request-id";
    public const string ClientRequestIdHeader = "client-request-id";

    /// <summary>
    /// True for the 403 Graph gives an app-only token on tenants that demand MFA, e.g.
    /// <c>{"Error":{"Code":"Unauthorized_MissingMFA","Message":"MFA is required for this request. The provided authentication token does not have MFA claims."}}</c>.
    /// </summary>
    public bool IsMissingMfa =>
        StatusCode == HttpStatusCode.Forbidden
        && ((Code?.Contains("MissingMFA", StringComparison.OrdinalIgnoreCase) ?? false)
            || (Message?.Contains("MFA claim", StringComparison.OrdinalIgnoreCase) ?? false)
            || (Message?.Contains("MFA is required", StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>
    /// A 404 about the URL rather than the alert ("Resource not found for the segment 'partner'"):
    /// the API is not there (wrong version in Graph:BaseUrl, or the service is not enabled).
    /// </summary>
    public bool IsUnknownSegment =>
        StatusCode == HttpStatusCode.NotFound
        && (Message?.Contains("not found for the segment", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Reads the error from a failed response; the body stays readable afterwards.</summary>
    public static async Task<GraphError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        GraphErrorBody? error = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                error = JsonSerializer.Deserialize(body, GraphJsonContext.Default.GraphErrorEnvelope)?.Error;
            }
            catch (JsonException)
            {
                // Not Graph's envelope (a gateway page, say): the status and headers must do.
            }
        }

        return new GraphError(
            response.StatusCode,
            error?.Code,
            error?.Message,
            HeaderOf(response, RequestIdHeader) ?? error?.InnerError?.RequestId,
            ClientRequestIdOf(response) ?? error?.InnerError?.ClientRequestId);
    }

    /// <summary>The <c>client-request-id</c> Graph echoed, or else the one the request carried.</summary>
    public static string? ClientRequestIdOf(HttpResponseMessage response) =>
        HeaderOf(response, ClientRequestIdHeader)
        ?? (response.RequestMessage is { } request && request.Headers.TryGetValues(ClientRequestIdHeader, out IEnumerable<string>? values)
            ? values.FirstOrDefault()
            : null);

    public static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    /// <summary>How long the response asks to wait before the next try, if it says.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - time.GetUtcNow()).Ticks)),
        _ => null,
    };

    /// <summary>The exception for this error, with Graph's own words (shortened).</summary>
    public GraphException ToException(string operation, TimeSpan? retryAfter = null)
    {
        string code = Code is null ? string.Empty : $" ({Code})";
        string message = Message is null ? string.Empty : $": {Truncate(Message)}";
        return new GraphException(
            $"{operation}: Graph answered {(int)StatusCode} {StatusCode}{code}{message} (request-id {RequestId ?? "none"}, client-request-id {ClientRequestId ?? "none"}).",
            StatusCode,
            Code,
            RequestId,
            ClientRequestId,
            retryAfter);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>Graph's error envelope. Property names are matched case-insensitively: some services send <c>Error</c>/<c>Code</c>.</summary>
internal sealed class GraphErrorEnvelope
{
    public GraphErrorBody? Error { get; init; }
}

internal sealed class GraphErrorBody
{
    public string? Code { get; init; }

    public string? Message { get; init; }

    public GraphInnerError? InnerError { get; init; }
}

internal sealed class GraphInnerError
{
    [JsonPropertyName("request-id")]
    public string? RequestId { get; init; }

    [JsonPropertyName("client-request-id")]
    public string? ClientRequestId { get; init; }
}

/// <summary>Serializer metadata for the Graph wire shapes this folder owns (the alert itself is in <c>AlertJsonContext</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertUpdate))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
