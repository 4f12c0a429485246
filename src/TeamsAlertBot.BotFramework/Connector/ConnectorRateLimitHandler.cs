namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Waits for a slot in Teams' send limits before a request to a conversation goes out. Sits inside
/// the retry pipeline, so every attempt counts, as it does on Teams' side.
/// </summary>
internal sealed class ConnectorRateLimitHandler(SendRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get
            && request.Options.TryGetValue(ConnectorRequestOptions.ConversationId, out string? conversationId))
        {
            await limiter.AcquireAsync(conversationId, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
