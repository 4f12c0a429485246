using System.Diagnostics;
using TeamsAlertBot.BotFramework.Diagnostics;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Waits for a slot in Teams' send limits before a request to a conversation goes out. It sits
/// outside the retry pipeline: a wait for a slot (up to Bot:SendLimits:MaxWait) must not be cut by
/// the per-attempt timeout, and retries are rare and already spaced by Retry-After and backoff. A
/// request may say how long it is willing to wait (<see cref="ConnectorRequestOptions.SlotWait"/>):
/// a reply inside an HTTP request waits briefly, a queued background send as long as it takes.
/// Being the outermost connector handler, it also opens the send span, so the wait and every retry
/// (the HTTP client spans) sit under one span per connector call.
/// </summary>
internal sealed class ConnectorRateLimitHandler(SendRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using Activity? span = BotTelemetry.Source.StartActivity(BotTelemetry.SendSpan, ActivityKind.Internal);
        request.Options.TryGetValue(ConnectorRequestOptions.ConversationId, out string? conversationId);
        span?.SetTag("http.request.method", request.Method.Method);
        span?.SetTag(BotTelemetry.ConversationIdTag, conversationId);
        if (request.Method != HttpMethod.Get
            && !(request.Options.TryGetValue(ConnectorRequestOptions.SlotTaken, out bool taken) && taken)
            && conversationId is not null)
        {
            TimeSpan? wait = request.Options.TryGetValue(ConnectorRequestOptions.SlotWait, out TimeSpan given) ? given : null;
            bool background = request.Options.TryGetValue(ConnectorRequestOptions.Background, out bool low) && low;
            await limiter.AcquireAsync(conversationId, wait, background, cancellationToken);
        }

        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}
