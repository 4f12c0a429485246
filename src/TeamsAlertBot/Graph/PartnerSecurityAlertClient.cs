using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Graph;

/// <summary>
/// The Microsoft Graph (beta) partner security alert API, <c>{BaseUrl}/security/partner/securityAlerts</c>,
/// over a typed <see cref="HttpClient"/>. Tokens, <c>client-request-id</c>, retries and timeouts
/// belong to the client's message handlers (see <c>AddPartnerSecurityGraph</c>).
/// </summary>
public sealed class PartnerSecurityAlertClient(
    HttpClient http,
    IOptions<GraphOptions> options,
    GraphFilterSupport filterSupport,
    TimeProvider time,
    ILogger<PartnerSecurityAlertClient> logger) : IPartnerSecurityAlertClient
{
    /// <summary>The name of the <see cref="HttpClient"/> this client uses.</summary>
    public const string HttpClientName = "PartnerSecurityGraph";

    private const string CollectionPath = "security/partner/securityAlerts";

    /// <inheritdoc />
    public async IAsyncEnumerable<PartnerSecurityAlert> ListAsync(
        AlertQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AlertFilter filter = AlertFilter.From(query);
        AlertPage page = await ReadFirstPageAsync(filter, cancellationToken);
        HashSet<string> visited = new(StringComparer.Ordinal) { page.Uri.AbsoluteUri };
        while (true)
        {
            foreach (PartnerSecurityAlert alert in page.Alerts)
            {
                if (filter.Matches(alert))
                {
                    yield return alert;
                }
            }

            if (page.NextLink is null)
            {
                yield break;
            }

            Uri next = ResolveNextLink(page);
            if (!visited.Add(next.AbsoluteUri))
            {
                throw new GraphException($"List partner security alerts: Graph's @odata.nextLink went back to a page already read ({next.AbsolutePath}); stopped.");
            }

            page = await ReadPageAsync(next, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<PartnerSecurityAlert?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        Uri uri = AlertUri(id);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, uri, content: null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            GraphError error = await GraphError.ReadAsync(response, cancellationToken);
            if (!error.IsUnknownSegment)
            {
                return null;
            }

            throw error.ToException($"Get partner security alert (is {GraphOptions.SectionName}:BaseUrl the /beta root?)");
        }

        await EnsureSuccessAsync(response, "Get partner security alert", cancellationToken);
        return await ReadAlertAsync(response, cancellationToken)
            ?? throw new GraphException(
                "Get partner security alert: Graph answered 200 without a readable alert.",
                response.StatusCode,
                errorCode: null,
                GraphError.HeaderOf(response, GraphError.RequestIdHeader),
                GraphError.ClientRequestIdOf(response));
    }

    /// <inheritdoc />
    public async Task<PartnerSecurityAlert> UpdateAsync(string id, AlertUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        Uri uri = AlertUri(id);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(update, GraphJsonContext.Default.AlertUpdate));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using (HttpResponseMessage response = await SendAsync(HttpMethod.Patch, uri, content, cancellationToken))
        {
            await EnsureSuccessAsync(response, "Update partner security alert", cancellationToken);
            if (response.StatusCode != HttpStatusCode.NoContent && await ReadAlertAsync(response, cancellationToken) is { } updated)
            {
                return updated;
            }

            GraphLog.UpdateReadBack(logger, (int)response.StatusCode, id);
        }

        return await GetAsync(id, cancellationToken)
            ?? throw new GraphException(
                "Update partner security alert: the update was accepted but the alert could not be read back (404).",
                HttpStatusCode.NotFound,
                errorCode: null,
                requestId: null,
                clientRequestId: null);
    }

    private async Task<AlertPage> ReadFirstPageAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        Uri unfiltered = new($"{options.Value.Root}/{CollectionPath}");
        if (filter.Expression is not { } expression || filterSupport.IsRefused(filter.Shape))
        {
            return await ReadPageAsync(unfiltered, cancellationToken);
        }

        Uri filtered = new($"{unfiltered.AbsoluteUri}?$filter={Uri.EscapeDataString(expression)}");
        using (HttpResponseMessage response = await SendAsync(HttpMethod.Get, filtered, content: null, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                await EnsureSuccessAsync(response, "List partner security alerts", cancellationToken);
                return await ParsePageAsync(response, filtered, cancellationToken);
            }

            GraphError error = await GraphError.ReadAsync(response, cancellationToken);
            GraphLog.FilterRefused(logger, filter.Shape, error.Code, error.RequestId);
        }

        // Remembered only once the unfiltered list works: a 400 on both is not the filter's fault.
        AlertPage page = await ReadPageAsync(unfiltered, cancellationToken);
        filterSupport.MarkRefused(filter.Shape);
        return page;
    }

    private async Task<AlertPage> ReadPageAsync(Uri uri, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, uri, content: null, cancellationToken);
        await EnsureSuccessAsync(response, "List partner security alerts", cancellationToken);
        return await ParsePageAsync(response, uri, cancellationToken);
    }

    private async Task<AlertPage> ParsePageAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        using JsonDocument document = await ParseJsonAsync(response, "List partner security alerts", cancellationToken);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("value", out JsonElement value)
            || value.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(response, "List partner security alerts: the page has no \"value\" array.");
        }

        List<PartnerSecurityAlert> alerts = new(value.GetArrayLength());
        int index = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            if (GraphAlertReader.Read(element, index++, logger) is { } alert)
            {
                alerts.Add(alert);
            }
        }

        string? nextLink = root.TryGetProperty("@odata.nextLink", out JsonElement link) && link.ValueKind == JsonValueKind.String
            ? link.GetString()
            : null;
        return new AlertPage(uri, alerts, string.IsNullOrWhiteSpace(nextLink) ? null : nextLink);
    }

    private Uri ResolveNextLink(AlertPage page)
    {
        if (!Uri.TryCreate(page.Uri, page.NextLink, out Uri? next))
        {
            throw new GraphException("List partner security alerts: Graph's @odata.nextLink is not a URL.");
        }

        if (!options.Value.IsGraphOrigin(next))
        {
            string origin = next.GetLeftPart(UriPartial.Authority);
            GraphLog.NextLinkRefused(logger, origin);
            throw new GraphOriginRefusedException(
                $"List partner security alerts: refused to follow @odata.nextLink to {origin}; only {options.Value.BaseUrl.GetLeftPart(UriPartial.Authority)} ({GraphOptions.SectionName}:BaseUrl) is trusted. No request was sent.");
        }

        return next;
    }

    private async Task<PartnerSecurityAlert?> ReadAlertAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return GraphAlertReader.Read(document.RootElement, index: 0, logger);
        }
        catch (JsonException)
        {
            GraphLog.AlertSkipped(logger, 0, "the body is not JSON");
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<JsonDocument> ParseJsonAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException e)
        {
            // The page cannot be split into alerts without a parser; fail it loudly rather than
            // return a short list that looks complete.
            throw Malformed(response, $"{operation}: the page is not valid JSON ({e.Message}).", e);
        }
    }

    private static GraphException Malformed(HttpResponseMessage response, string message, Exception? inner = null) =>
        new(message, response.StatusCode, errorCode: null, GraphError.HeaderOf(response, GraphError.RequestIdHeader), GraphError.ClientRequestIdOf(response), retryAfter: null, inner);

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        GraphError error = await GraphError.ReadAsync(response, cancellationToken);
        throw error.ToException(operation, GraphError.RetryAfterOf(response, time));
    }

    private Uri AlertUri(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id is "." or "..")
        {
            // Escaping leaves dots alone, and a URL would resolve them away from the alert.
            throw new ArgumentException($"'{id}' is not an alert id.", nameof(id));
        }

        return new Uri($"{options.Value.Root}/{CollectionPath}/{Uri.EscapeDataString(id)}");
    }

    private sealed record AlertPage(Uri Uri, IReadOnlyList<PartnerSecurityAlert> Alerts, string? NextLink);
}
