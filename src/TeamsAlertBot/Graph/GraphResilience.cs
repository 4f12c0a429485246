using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace TeamsAlertBot.Graph;

/// <summary>
/// Retries and timeouts of the Graph client, on top of the standard resilience handler.
/// Retried: 429, 503, 504 and failures without an answer (connection errors, attempt timeouts),
/// after <c>Retry-After</c> when Graph sends one, else exponential backoff with jitter. A
/// <c>Retry-After</c> longer than one call may wait is not waited for: the caller gets the 429/503
/// (with <see cref="GraphException.RetryAfter"/>) and reschedules. The circuit opens only while Graph
/// does not answer at all. PATCH is retried like GET: its
/// body holds absolute values (status, verdict), so applying it twice leaves the same alert.
/// </summary>
internal static class GraphResilience
{
    public const int MaxRetryAttempts = 4;

    public static void Configure(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        GraphOptions graph;
        try
        {
            graph = services.GetRequiredService<IOptions<GraphOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            // Reported once, by the Graph options' own start-up validation; keep the defaults here.
            return;
        }

        TimeProvider time = services.GetRequiredService<TimeProvider>();
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GraphResilience).FullName!);
        TimeSpan longestWait = graph.LongestRetryWait;

        resilience.TotalRequestTimeout.Timeout = graph.RequestTimeout;
        resilience.AttemptTimeout.Timeout = graph.AttemptTimeout;
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(
            resilience.CircuitBreaker.SamplingDuration.Ticks, graph.AttemptTimeout.Ticks * 2));
        // The circuit opens only when Graph does not answer at all (half of the attempts, at least 20):
        // a 429 or 503 says when to come back, and the retries above wait for it. Breaking on them
        // would fail every call for a while — a listing half-way, every card's read — and the
        // alerts on the last pages of a listing would never be reached while Graph throttles.
        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.MinimumThroughput = 20;
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutRejectedException);

        resilience.Retry.MaxRetryAttempts = MaxRetryAttempts;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.Delay = TimeSpan.FromSeconds(2);
        resilience.Retry.MaxDelay = longestWait;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, longestWait, time, logger));
    }

    /// <summary>Whether an attempt's outcome is worth another attempt within the same call.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan longestWait, TimeProvider time, ILogger logger)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        if (outcome.Result is not { } response
            || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
        {
            return false;
        }

        if (GraphError.RetryAfterOf(response, time) is { } retryAfter && retryAfter > longestWait)
        {
            GraphLog.RetryAfterTooLong(logger, (int)response.StatusCode, retryAfter, longestWait);
            return false;
        }

        return true;
    }
}
