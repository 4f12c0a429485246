using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// What every Partner Center call shares: the per-call headers, the 404 rule, error parsing and
/// logging with the ids support asks for, and one exception type for every way a call can fail.
/// The <see cref="HttpClient"/> (base address, token, retries) comes from <c>AddPartnerCenter</c>.
/// </summary>
internal sealed class PartnerCenterRequestSender(HttpClient http, ILogger logger, TimeProvider time)
{
    /// <summary>Request header names of Partner Center.</summary>
    internal const string RequestIdHeader = "MS-RequestId";
    internal const string CorrelationIdHeader = "MS-CorrelationId";
    internal const string ContractVersionHeader = "MS-Contract-Version";
    internal const string ApplicationHeader = "MS-PartnerCenter-Application";

    /// <summary>The logger of the client that owns this sender.</summary>
    public ILogger Logger => logger;

    /// <summary>GET; null when Partner Center answers 404. <paramref name="appUser"/>: an operation served to App+User tokens only.</summary>
    public async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, string operation, CancellationToken cancellationToken, bool appUser = false)
        where T : class
    {
        using HttpRequestMessage request = CreateRequest(HttpMethod.Get, path);
        request.Options.Set(PartnerCenterUserAccessOption.Required, appUser);
        return await SendAsync(request, typeInfo, operation, notFoundIsNull: true, cancellationToken);
    }

    /// <summary>A call with a JSON body; 404 is an error here.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        string operation, CancellationToken cancellationToken)
        where TResponse : class
    {
        using HttpRequestMessage request = CreateRequest(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, requestType);
        }

        return await SendAsync(request, responseType, operation, notFoundIsNull: false, cancellationToken)
            ?? throw new PartnerCenterException($"Partner Center {operation} answered without a body.");
    }

    /// <summary>A POST whose answer has no body the caller needs (e.g. <c>202 Accepted</c>); any 2xx is success, 404 an error.</summary>
    public async Task<HttpStatusCode> PostAsync<TRequest>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, string operation, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = CreateRequest(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body, requestType);
        HttpStatusCode status = default;
        await SendAsync<object>(request, typeInfo: null, operation, notFoundIsNull: false, cancellationToken, s => status = s);
        return status;
    }

    private static HttpRequestMessage CreateRequest(HttpMethod method, string path)
    {
        // One logical call = one request message: the resilience handler re-sends this same message
        // on a retry, so MS-RequestId (idempotency) and MS-CorrelationId stay, and the next call
        // starts with fresh ones.
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add(RequestIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add(CorrelationIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add(ContractVersionHeader, "v1");
        return request;
    }

    private async Task<T?> SendAsync<T>(
        HttpRequestMessage request, JsonTypeInfo<T>? typeInfo, string operation, bool notFoundIsNull, CancellationToken cancellationToken,
        Action<HttpStatusCode>? succeeded = null)
        where T : class
    {
        string requestId = request.Headers.GetValues(RequestIdHeader).First();
        string correlationId = request.Headers.GetValues(CorrelationIdHeader).First();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the call (timeout, open circuit, transport, token acquisition),
            // callers see one exception type that names the ids.
            string reason = e switch
            {
                TimeoutRejectedException or TaskCanceledException => "timeout",
                BrokenCircuitException => "circuit open after repeated failures",
                HttpRequestException => "transport error",
                PartnerCenterException => e.Message,
                _ => $"{e.GetType().Name}, e.g. token acquisition",
            };
            PartnerCenterLog.CallNotAnswered(logger, e, operation, reason, requestId, correlationId);
            throw new PartnerCenterException(
                $"Partner Center {operation} got no answer ({reason}).", statusCode: null, errorCode: null, requestId, correlationId, e);
        }

        using (response)
        {
            string echoedRequestId = Echoed(response, RequestIdHeader) ?? requestId;
            string echoedCorrelationId = Echoed(response, CorrelationIdHeader) ?? correlationId;
            if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsNull)
            {
                PartnerCenterLog.NotFound(logger, operation);
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                string? errorCode = await ReadErrorCodeAsync(response, cancellationToken);
                PartnerCenterLog.CallFailed(logger, operation, response.StatusCode, errorCode, echoedRequestId, echoedCorrelationId);
                throw new PartnerCenterException(
                    $"Partner Center {operation} answered {(int)response.StatusCode} {response.ReasonPhrase}{(errorCode is null ? string.Empty : $" (code {errorCode})")}.",
                    response.StatusCode,
                    errorCode,
                    echoedRequestId,
                    echoedCorrelationId,
                    retryAfter: RetryAfterOf(response));
            }

            succeeded?.Invoke(response.StatusCode);
            if (typeInfo is null)
            {
                return null;
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
            }
            catch (JsonException e)
            {
                PartnerCenterLog.MalformedAnswer(logger, e, operation, echoedRequestId, echoedCorrelationId);
                throw new PartnerCenterException(
                    $"Partner Center {operation} answered with unreadable JSON.", response.StatusCode, errorCode: null, echoedRequestId, echoedCorrelationId, e);
            }
        }
    }

    /// <summary>Retry-After as a delay (seconds or an HTTP date; a date in the past is zero).</summary>
    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - time.GetUtcNow()).Ticks)),
        _ => null,
    };

    private static string? Echoed(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            PartnerCenterError? error = await response.Content.ReadFromJsonAsync(PartnerCenterJsonContext.Default.PartnerCenterError, cancellationToken);
            return error?.Code is { ValueKind: JsonValueKind.Number or JsonValueKind.String } code ? code.ToString() : error?.ErrorName;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not Partner Center's error envelope (a gateway page, an empty body): the status must do.
            return null;
        }
    }
}
