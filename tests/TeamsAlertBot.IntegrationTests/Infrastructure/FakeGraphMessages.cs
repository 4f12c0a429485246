using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// A deterministic share of the fake Graph's alert list and get calls answered 429 (<c>Retry-After: 1</c>)
/// or 503: decided by a hash of (seed, request, how often that request came), never twice in a row
/// for the same request, so polling always gets on.
/// </summary>
public sealed class GraphFaultPlan(int seed, int throttle429PerMille, int unavailable503PerMille)
{
    private readonly ConcurrentDictionary<string, (int Count, bool LastFaulted)> _seen = new(StringComparer.Ordinal);
    private int _faults;

    /// <summary>How many calls got a fault.</summary>
    public int Faults => _faults;

    /// <summary>The status to answer with, or null to answer normally.</summary>
    internal int? Decide(string request)
    {
        (int count, bool lastFaulted) = _seen.AddOrUpdate(request, (0, false), (_, s) => (s.Count + 1, s.LastFaulted));
        int roll = StableHash.Of(seed, request, count) % 1000;
        int? status = lastFaulted ? null
            : roll < throttle429PerMille ? StatusCodes.Status429TooManyRequests
            : roll < throttle429PerMille + unavailable503PerMille ? StatusCodes.Status503ServiceUnavailable
            : null;
        _seen[request] = (count, status is not null);
        if (status is not null)
        {
            Interlocked.Increment(ref _faults);
        }

        return status;
    }

    internal static IResult Answer(HttpContext context, int status)
    {
        if (status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return Results.Json(
            new JsonObject { ["error"] = new JsonObject { ["code"] = status == 429 ? "TooManyRequests" : "ServiceUnavailable", ["message"] = "Injected by the test." } },
            statusCode: status);
    }
}

/// <summary>
/// Microsoft Graph v1.0 channel and chat messages, served from what the fake connector delivered — what
/// the bot reads (app-only, resource-specific consent <c>ChannelMessage.Read.Group</c> /
/// <c>ChatMessage.Read.Chat</c>) to find out whether an ambiguous send arrived. A conversation in
/// <see cref="LoopbackFakes.UnreadableConversations"/> answers 403, as when the consent was not granted.
/// </summary>
internal static class FakeGraphMessages
{
    private const int MaxTop = 50;

    public static void Map(WebApplication app, LoopbackFakes fakes)
    {
        app.MapGet("/graph/v1.0/teams/{team}/channels/{channel}/messages", (string team, string channel, HttpContext context) =>
            Serve(fakes, context, team, channel, all => all.Where(m => m.ReplyToId is null)));
        app.MapGet("/graph/v1.0/teams/{team}/channels/{channel}/messages/{messageId}/replies", (string team, string channel, string messageId, HttpContext context) =>
            Serve(fakes, context, team, channel, all => all.Where(m => m.ReplyToId == messageId)));
        app.MapGet("/graph/v1.0/teams/{team}/channels/{channel}/messages/{messageId}", async (string team, string channel, string messageId, HttpContext context) =>
        {
            if (await RefuseAsync(fakes, context, team, channel) is { } refused)
            {
                return refused;
            }

            DeliveredMessage? message = fakes.Connector.DeliveredTo(channel).FirstOrDefault(m => m.Id == messageId);
            return message is null ? NotFound() : Results.Json(ChatMessage(message, team));
        });
        app.MapGet("/graph/v1.0/chats/{chat}/messages", (string chat, HttpContext context) =>
            Serve(fakes, context, team: null, chat, all => all));
    }

    private static async Task<IResult> Serve(
        LoopbackFakes fakes, HttpContext context, string? team, string conversation, Func<IEnumerable<DeliveredMessage>, IEnumerable<DeliveredMessage>> select)
    {
        if (await RefuseAsync(fakes, context, team, conversation) is { } refused)
        {
            return refused;
        }

        int top = int.TryParse(context.Request.Query["$top"], out int t) ? Math.Clamp(t, 1, MaxTop) : 20;
        int skip = int.TryParse(context.Request.Query["$skiptoken"], out int s) ? s : 0;
        DeliveredMessage[] newestFirst = [.. select(fakes.Connector.DeliveredTo(conversation)).OrderByDescending(m => m.Sequence)];
        var body = new JsonObject
        {
            ["@odata.context"] = $"{fakes.GraphV1BaseUrl}/$metadata#chatMessages",
            ["@odata.count"] = Math.Min(top, Math.Max(0, newestFirst.Length - skip)),
            ["value"] = new JsonArray([.. newestFirst.Skip(skip).Take(top).Select(m => ChatMessage(m, team))]),
        };
        if (skip + top < newestFirst.Length)
        {
            body["@odata.nextLink"] = new UriBuilder(new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}"))
            {
                Query = $"$top={top}&$skiptoken={skip + top}",
            }.Uri.ToString();
        }

        return Results.Json(body);
    }

    /// <summary>401 without a bearer token, 404 for a team the fake does not know, 403 for an unreadable conversation.</summary>
    private static async Task<IResult?> RefuseAsync(LoopbackFakes fakes, HttpContext context, string? team, string conversation)
    {
        RecordedRequest request = await LoopbackFakes.RecordAsync(context);
        fakes.GraphV1Requests.Enqueue(request);
        if (request.Authorization?.StartsWith("Bearer ", StringComparison.Ordinal) != true)
        {
            return Error(StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is empty.");
        }

        if (team is not null && team != TeamsActivities.TeamAadGroupId)
        {
            return NotFound();
        }

        return fakes.UnreadableConversations.ContainsKey(conversation)
            ? Error(StatusCodes.Status403Forbidden, "Forbidden", "Missing role permissions on the request. API requires one of 'ChannelMessage.Read.All, ChannelMessage.Read.Group, ChatMessage.Read.Chat'.")
            : null;
    }

    private static IResult NotFound() => Error(StatusCodes.Status404NotFound, "NotFound", "Resource not found.");

    private static IResult Error(int status, string code, string message) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString() } } },
        statusCode: status);

    /// <summary>A Graph chatMessage of a message the bot posted: cards as attachments whose content is the card JSON as a string.</summary>
    private static JsonObject ChatMessage(DeliveredMessage message, string? team)
    {
        JsonObject[] cards = [.. CardMarkers.Cards(message.Activity)];
        string[] attachmentIds = [.. cards.Select((_, i) => $"{message.Id}-{i}")];
        string content = cards.Length > 0
            ? string.Concat(attachmentIds.Select(id => $"<attachment id=\"{id}\"></attachment>"))
            : (string?)message.Activity["text"] ?? string.Empty;
        var chatMessage = new JsonObject
        {
            ["id"] = message.Id,
            ["replyToId"] = message.ReplyToId,
            ["etag"] = message.LastModified.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["messageType"] = "message",
            ["createdDateTime"] = Timestamp(message.Created),
            ["lastModifiedDateTime"] = Timestamp(message.LastModified),
            ["lastEditedDateTime"] = message.LastModified == message.Created ? null : Timestamp(message.LastModified),
            ["deletedDateTime"] = null,
            ["subject"] = null,
            ["summary"] = (string?)message.Activity["summary"],
            ["importance"] = "normal",
            ["locale"] = "en-us",
            ["from"] = new JsonObject
            {
                ["application"] = new JsonObject { ["id"] = BotApp.AppId, ["displayName"] = "TeamsAlertBot", ["applicationIdentityType"] = "bot" },
                ["device"] = null,
                ["user"] = null,
            },
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = content },
            ["attachments"] = new JsonArray([.. cards.Select((card, i) => new JsonObject
            {
                ["id"] = attachmentIds[i],
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card.ToJsonString(),
                ["name"] = null,
                ["thumbnailUrl"] = null,
            })]),
            ["mentions"] = new JsonArray(),
            ["reactions"] = new JsonArray(),
        };
        if (team is null)
        {
            chatMessage["chatId"] = message.Conversation;
        }
        else
        {
            chatMessage["channelIdentity"] = new JsonObject { ["teamId"] = team, ["channelId"] = message.Conversation };
        }

        return chatMessage;
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
