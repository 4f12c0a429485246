namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Waits for a slot in Teams' send limits before a request to a conversation goes out. It sits
/// outside the retry pipeline: a wait for a slot (up to Bot:SendLimits:MaxWait) must not be cut by
/// the per-attempt timeout, and retries are rare and already spaced by Retry-After and backoff. A
/// request may say how long it is willing to wait (<see cref="ConnectorRequestOptions.SlotWait"/>):
/// a reply inside an HTTP request waits briefly, a queued background send as long as it takes.
/// </summary>
internal sealed class ConnectorRateLimitHandler(SendRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get
            && !(request.Options.TryGetValue(ConnectorRequestOptions.SlotTaken, out bool taken) && taken)
            && request.Options.TryGetValue(ConnectorRequestOptions.ConversationId, out string? conversationId))
        {
            TimeSpan? wait = request.Options.TryGetValue(ConnectorRequestOptions.SlotWait, out TimeSpan given) ? given : null;
            bool background = request.Options.TryGetValue(ConnectorRequestOptions.Background, out bool low) && low;
            await limiter.AcquireAsync(conversationId, wait, background, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
