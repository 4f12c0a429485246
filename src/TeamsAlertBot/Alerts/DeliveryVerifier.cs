using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Identity.Abstractions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.Graph;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>What a look into a conversation found.</summary>
public enum DeliveryCheck
{
    /// <summary>The bot's message with the marker is there.</summary>
    Found,

    /// <summary>It is not there (every message since the send was read).</summary>
    Absent,

    /// <summary>The conversation cannot be read: a personal chat, no team id, or no permission (resource-specific consent not granted).</summary>
    Unreadable,

    /// <summary>Graph did not answer this time; try again later.</summary>
    Unavailable,
}

/// <summary>The outcome of a check, with the message's id when found.</summary>
public sealed record DeliveryCheckResult(DeliveryCheck Outcome, string? MessageId = null, string? Detail = null);

/// <summary>Looks into a conversation for a message the bot may have posted.</summary>
public interface IDeliveryVerifier
{
    /// <summary>
    /// Looks in <paramref name="target"/> (a channel, a channel thread <c>channel;messageid=root</c>, or a
    /// group chat) of <paramref name="reference"/> for a message of this bot whose card carries
    /// <paramref name="marker"/>, posted since <paramref name="since"/>.
    /// </summary>
    Task<DeliveryCheckResult> FindAsync(ConversationReference reference, string target, string marker, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>
/// Reads messages back through Microsoft Graph v1.0 with the app token, which the team's or chat's
/// resource-specific consent (<c>ChannelMessage.Read.Group</c>, <c>ChatMessage.Read.Chat</c>, in the
/// app manifest) lets read that conversation only. Channel lists have no filter or order options, so
/// pages are read, newest first, until they are older than the send.
/// </summary>
public sealed partial class GraphDeliveryVerifier(
    HttpClient http,
    IOptions<GraphOptions> options,
    IOptions<BotIdentity> identity,
    ILogger<GraphDeliveryVerifier> logger) : IDeliveryVerifier, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> it uses.</summary>
    public const string HttpClientName = "GraphMessages";

    /// <summary>How far before the send a message may have been stamped (clock skew between us and Teams).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(10);

    private const int MaxPages = 5;

    private readonly GraphServiceClient _graph = new(http, new AnonymousAuthenticationProvider(), options.Value.V1BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'));

    public async Task<DeliveryCheckResult> FindAsync(ConversationReference reference, string target, string marker, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return reference.ConversationType switch
            {
                "channel" when reference.TeamAadGroupId is { Length: > 0 } team => await FindInChannelAsync(team, target, marker, since - Skew, cancellationToken),
                "channel" => new DeliveryCheckResult(DeliveryCheck.Unreadable, Detail: "the team's group id is unknown"),
                "groupChat" => await FindInChatAsync(ConversationReference.BaseConversationId(target), marker, since - Skew, cancellationToken),
                _ => new DeliveryCheckResult(DeliveryCheck.Unreadable, Detail: "a personal chat cannot be read"),
            };
        }
        catch (ApiException e) when (e.ResponseStatusCode is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.NotFound)
        {
            LogUnreadable(logger, reference.ConversationId, e.ResponseStatusCode);
            return new DeliveryCheckResult(DeliveryCheck.Unreadable, Detail: $"Graph answered {e.ResponseStatusCode}");
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TimeoutException or TaskCanceledException or GraphOriginRefusedException
            && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, e, reference.ConversationId);
            return new DeliveryCheckResult(DeliveryCheck.Unavailable, Detail: e.GetType().Name);
        }
    }

    private async Task<DeliveryCheckResult> FindInChannelAsync(string team, string target, string marker, DateTimeOffset since, CancellationToken cancellationToken)
    {
        string channel = ConversationReference.BaseConversationId(target);
        string? root = ThreadRoot(target);
        ChatMessageCollectionResponse? page = root is null
            ? await _graph.Teams[team].Channels[channel].Messages.GetAsync(r => r.QueryParameters.Top = 50, cancellationToken)
            : await _graph.Teams[team].Channels[channel].Messages[root].Replies.GetAsync(r => r.QueryParameters.Top = 50, cancellationToken);
        for (int pages = 1; page is not null; pages++)
        {
            if (Match(page.Value, marker) is { } found)
            {
                return new DeliveryCheckResult(DeliveryCheck.Found, found.Id);
            }

            // Newest first: a page that reaches back before the send ends the search.
            bool older = page.Value is { Count: > 0 } messages && messages.Any(m => (m.LastModifiedDateTime ?? m.CreatedDateTime) < since);
            if (older || page.OdataNextLink is not { Length: > 0 } next || pages >= MaxPages)
            {
                break;
            }

            page = root is null
                ? await _graph.Teams[team].Channels[channel].Messages.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                : await _graph.Teams[team].Channels[channel].Messages[root].Replies.WithUrl(next).GetAsync(cancellationToken: cancellationToken);
        }

        return new DeliveryCheckResult(DeliveryCheck.Absent);
    }

    private async Task<DeliveryCheckResult> FindInChatAsync(string chat, string marker, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ChatMessageCollectionResponse? page = await _graph.Chats[chat].Messages.GetAsync(
            r =>
            {
                r.QueryParameters.Top = 50;
                r.QueryParameters.Orderby = ["lastModifiedDateTime desc"];
                r.QueryParameters.Filter = $"lastModifiedDateTime gt {since.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}";
            },
            cancellationToken);
        for (int pages = 1; page is not null; pages++)
        {
            if (Match(page.Value, marker) is { } found)
            {
                return new DeliveryCheckResult(DeliveryCheck.Found, found.Id);
            }

            if (page.OdataNextLink is not { Length: > 0 } next || pages >= MaxPages)
            {
                break;
            }

            page = await _graph.Chats[chat].Messages.WithUrl(next).GetAsync(cancellationToken: cancellationToken);
        }

        return new DeliveryCheckResult(DeliveryCheck.Absent);
    }

    /// <summary>The bot's own message whose card carries the marker (an element id no user message has).</summary>
    private ChatMessage? Match(List<ChatMessage>? messages, string marker)
    {
        string quoted = "\"" + marker + "\"";
        string? appId = identity.Value.ClientId;
        return messages?.FirstOrDefault(m =>
            (m.From?.Application?.Id is not { Length: > 0 } sender || appId is null || string.Equals(sender, appId, StringComparison.OrdinalIgnoreCase))
            && m.Attachments?.Any(a => a.Content?.Contains(quoted, StringComparison.Ordinal) == true) == true);
    }

    private static string? ThreadRoot(string target)
    {
        const string Suffix = ";messageid=";
        int at = target.IndexOf(Suffix, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : target[(at + Suffix.Length)..];
    }

    public void Dispose() => _graph.Dispose();

    [LoggerMessage(4140, LogLevel.Warning, "The bot cannot read the messages of {ConversationId} (Graph answered {Status}): grant the app's resource-specific consent to check deliveries there")]
    private static partial void LogUnreadable(ILogger logger, string conversationId, int status);

    [LoggerMessage(4141, LogLevel.Warning, "Reading the messages of {ConversationId} failed; the check is tried again later")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string conversationId);
}

/// <summary>
/// Attaches the bot's app-only Graph token to requests for the Graph v1.0 origin, and refuses any other
/// origin before a token is fetched.
/// </summary>
internal sealed class GraphMessagesAuthenticationHandler(IOptions<GraphOptions> options, IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        GraphOptions graph = options.Value;
        Uri uri = request.RequestUri ?? throw new GraphOriginRefusedException("A Graph request needs an absolute URL; no request was sent.");
        if (!uri.IsAbsoluteUri || Uri.Compare(uri, graph.V1BaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new GraphOriginRefusedException(
                $"Refused to send a Graph request to {(uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : "a relative URL")}: the token goes to {GraphOptions.SectionName}:V1BaseUrl only. No request was sent.");
        }

        IAuthorizationHeaderProvider provider = (IAuthorizationHeaderProvider?)services.GetService(typeof(IAuthorizationHeaderProvider))
            ?? throw new GraphOriginRefusedException($"Reading messages needs the bot's app registration ({BotIdentity.SectionName}:ClientId).");
        string header = await provider.CreateAuthorizationHeaderForAppAsync(
            graph.Scope,
            new AuthorizationHeaderProviderOptions { AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = BotIdentity.SectionName } },
            cancellationToken);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        return await base.SendAsync(request, cancellationToken);
    }
}
