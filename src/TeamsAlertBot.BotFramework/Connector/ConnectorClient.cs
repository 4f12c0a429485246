using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// The Bot Connector v3 REST API over a typed <see cref="HttpClient"/>. Every call names the
/// service URL it goes to; URLs off the allow-list get no request at all. Ids are escaped as path
/// segments. Tokens, retries and Teams' rate limits are handled by the client's message handlers.
/// </summary>
public sealed class ConnectorClient(HttpClient http, ServiceUrlPolicy policy, BotJsonOptions json)
{
    /// <summary>The name of the <see cref="HttpClient"/> this client uses.</summary>
    public const string HttpClientName = "BotConnector";

    /// <summary>Starts a conversation; in a Teams channel this posts a new thread.</summary>
    public Task<ConversationResourceResponse> CreateConversationAsync(
        Uri serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        CreateConversationAsync(serviceUrl, parameters, SendOptions.Default, cancellationToken);

    /// <inheritdoc cref="CreateConversationAsync(Uri, ConversationParameters, CancellationToken)"/>
    public Task<ConversationResourceResponse> CreateConversationAsync(
        Uri serviceUrl, ConversationParameters parameters, SendOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SendAsync<ConversationParameters, ConversationResourceResponse>(
            HttpMethod.Post, serviceUrl, "v3/conversations", parameters, parameters.ChannelData?.Channel?.Id, options, cancellationToken);
    }

    /// <summary>Posts an activity to a conversation (in a channel thread when the id carries <c>;messageid=</c>).</summary>
    public Task<ResourceResponse> SendToConversationAsync(
        Uri serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendToConversationAsync(serviceUrl, conversationId, activity, SendOptions.Default, cancellationToken);

    /// <inheritdoc cref="SendToConversationAsync(Uri, string, Activity, CancellationToken)"/>
    public Task<ResourceResponse> SendToConversationAsync(
        Uri serviceUrl, string conversationId, Activity activity, SendOptions options, CancellationToken cancellationToken) =>
        SendAsync<Activity, ResourceResponse>(
            HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", activity, conversationId, options, cancellationToken);

    /// <summary>Replies to an activity.</summary>
    public Task<ResourceResponse> ReplyToActivityAsync(
        Uri serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        ReplyToActivityAsync(serviceUrl, conversationId, activityId, activity, SendOptions.Default, cancellationToken);

    /// <inheritdoc cref="ReplyToActivityAsync(Uri, string, string, Activity, CancellationToken)"/>
    public Task<ResourceResponse> ReplyToActivityAsync(
        Uri serviceUrl, string conversationId, string activityId, Activity activity, SendOptions options, CancellationToken cancellationToken) =>
        SendAsync<Activity, ResourceResponse>(
            HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, conversationId, options, cancellationToken);

    /// <summary>Replaces an activity the bot sent (e.g. a card, for everyone who sees it).</summary>
    public Task<ResourceResponse> UpdateActivityAsync(
        Uri serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        UpdateActivityAsync(serviceUrl, conversationId, activityId, activity, SendOptions.Default, cancellationToken);

    /// <inheritdoc cref="UpdateActivityAsync(Uri, string, string, Activity, CancellationToken)"/>
    public Task<ResourceResponse> UpdateActivityAsync(
        Uri serviceUrl, string conversationId, string activityId, Activity activity, SendOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return SendAsync<Activity, ResourceResponse>(
            HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity with { Id = activityId }, conversationId, options, cancellationToken);
    }

    /// <summary>Deletes an activity the bot sent.</summary>
    public async Task DeleteActivityAsync(
        Uri serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = CreateRequest(HttpMethod.Delete, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", conversationId);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// One member of a conversation (or team) by user id (<c>29:…</c>), Entra object id or UPN;
    /// null when the connector does not know the user.
    /// </summary>
    public async Task<TeamsChannelAccount?> GetMemberAsync(
        Uri serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = CreateRequest(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", conversationId: null);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadAsync(response, json.Get<TeamsChannelAccount>(), cancellationToken);
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, Uri serviceUrl, string path, TRequest body, string? conversationId, SendOptions options, CancellationToken cancellationToken)
        where TResponse : class, new()
    {
        using HttpRequestMessage request = CreateRequest(method, serviceUrl, path, conversationId);
        if (options.SlotWait is { } wait)
        {
            request.Options.Set(ConnectorRequestOptions.SlotWait, wait);
        }

        if (options.SlotTaken)
        {
            request.Options.Set(ConnectorRequestOptions.SlotTaken, true);
        }

        if (options.Background)
        {
            request.Options.Set(ConnectorRequestOptions.Background, true);
        }

        request.Content = JsonContent.Create(body, json.Get<TRequest>());
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        try
        {
            return await ReadAsync(response, json.Get<TResponse>(), cancellationToken) ?? new TResponse();
        }
        catch (JsonException)
        {
            // A 2xx means delivered, whatever its body: the message is there, only its id is unknown.
            return new TResponse();
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri serviceUrl, string path, string? conversationId)
    {
        if (!policy.IsAllowed(serviceUrl))
        {
            throw new ServiceUrlNotAllowedException(
                $"The service URL host '{serviceUrl.Host}' is not in Bot:AllowedServiceUrls; no request was sent.");
        }

        string baseUrl = serviceUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var request = new HttpRequestMessage(method, new Uri($"{baseUrl}/{path}"));
        request.Headers.Accept.ParseAdd("application/json");
        if (conversationId is not null)
        {
            request.Options.Set(ConnectorRequestOptions.ConversationId, conversationId);
        }

        return request;
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return default;
        }

        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize(text, typeInfo);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null;
        string? message = null;
        try
        {
            ErrorResponse? error = JsonSerializer.Deserialize(body, json.Get<ErrorResponse>());
            code = error?.Error?.Code;
            message = error?.Error?.Message;
        }
        catch (JsonException)
        {
            // Not the connector's error envelope; the status code alone must do.
        }

        throw new ConnectorException(
            response.StatusCode,
            code,
            $"The Bot Connector answered {(int)response.StatusCode} {response.ReasonPhrase}{(code is null ? string.Empty : $" ({code})")}{(message is null ? string.Empty : $": {Truncate(message)}")}.");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

/// <summary>Per-request options the connector's message handlers read.</summary>
public static class ConnectorRequestOptions
{
    /// <summary>The conversation a send goes to, for Teams' per-conversation limits.</summary>
    public static readonly HttpRequestOptionsKey<string> ConversationId = new("TeamsAlertBot.ConversationId");

    /// <summary>How long this send may wait for a slot in Teams' limits (default: Bot:SendLimits:MaxWait).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> SlotWait = new("TeamsAlertBot.SlotWait");

    /// <summary>The caller took this send's slot already (<see cref="SendRateLimiter.AcquireAsync(string, TimeSpan?, CancellationToken)"/>).</summary>
    public static readonly HttpRequestOptionsKey<bool> SlotTaken = new("TeamsAlertBot.SlotTaken");

    /// <summary>A background send: it takes a slot only while no other send to the conversation waits.</summary>
    public static readonly HttpRequestOptionsKey<bool> Background = new("TeamsAlertBot.Background");
}

/// <summary>How one send behaves.</summary>
/// <param name="SlotWait">
/// The longest it waits for a slot in Teams' send limits before <see cref="SendSlotUnavailableException"/>;
/// null = <c>Bot:SendLimits:MaxWait</c>, <see cref="Timeout.InfiniteTimeSpan"/> = as long as it takes (a queued send).
/// </param>
/// <param name="SlotTaken">
/// The caller already took the slot (so that what it records just before the request is not followed
/// by a long wait): the send goes out at once.
/// </param>
/// <param name="Background">
/// Low priority (a bulk run's card edits): it takes a slot only while no other send to the conversation waits for one.
/// </param>
public sealed record SendOptions(TimeSpan? SlotWait, bool SlotTaken = false, bool Background = false)
{
    /// <summary>A queued background send that yields to every other send of its conversation.</summary>
    public static SendOptions LowPriority { get; } = new(Timeout.InfiniteTimeSpan, Background: true);

    /// <summary>The caller took the slot itself.</summary>
    public static SendOptions Reserved { get; } = new(null, SlotTaken: true);

    /// <summary>The configured wait.</summary>
    public static SendOptions Default { get; } = new((TimeSpan?)null);

    /// <summary>A queued background send: it waits for its turn however long that is.</summary>
    public static SendOptions Queued { get; } = new(Timeout.InfiniteTimeSpan);
}
