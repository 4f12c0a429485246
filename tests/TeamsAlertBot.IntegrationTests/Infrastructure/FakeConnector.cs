using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>How the fake connector answers one send (a POST of a message).</summary>
public enum ConnectorFault
{
    /// <summary>Stored and answered 201 with the connector's JSON.</summary>
    None,

    /// <summary>429 with <c>Retry-After: 1</c>; not stored.</summary>
    Throttle429,

    /// <summary>503; not stored (the bot cannot know that).</summary>
    Unavailable503,

    /// <summary>Stored at once, answered 201 only after <see cref="FakeConnector.SlowAcceptDelay"/> (16 s: past the bot's 15 s attempt timeout).</summary>
    SlowAccept,

    /// <summary>Stored after the body was read, then the connection is dropped without an answer.</summary>
    DropAfterBody,

    /// <summary>Stored and answered 201 with a body that is not JSON (a proxy's page).</summary>
    NonJsonCreated,

    /// <summary>400 (the connector refuses the activity for good); not stored.</summary>
    Refuse400,
}

/// <summary>What a send did, as the fake knows it (the bot may not).</summary>
public enum SendOutcome
{
    /// <summary>The message is in the conversation and the bot was told so (2xx).</summary>
    Delivered,

    /// <summary>The message is not in the conversation.</summary>
    NotDelivered,

    /// <summary>The message is in the conversation, but the bot got a timeout or a dropped connection.</summary>
    AmbiguousButDelivered,
}

/// <summary>
/// One POST, PUT or DELETE the fake connector received, and how it was answered. <c>Sequence</c> orders it
/// among deliveries and test events (<see cref="FakeConnector.Sequence"/>); <c>Conversation</c> is the
/// channel (a thread counts as its channel) or chat; <c>AlertId</c> the alert whose card it carried.
/// </summary>
public sealed record ConnectorAttempt(
    long Sequence,
    string Method,
    string RawTarget,
    string Conversation,
    string? AlertId,
    bool IsCard,
    ConnectorFault Fault,
    SendOutcome Outcome,
    string? ActivityId,
    DateTimeOffset At)
{
    /// <summary>True when the bot cannot tell from the answer whether the message arrived (timeout, dropped connection, 5xx).</summary>
    public bool AmbiguousToBot => Fault is ConnectorFault.SlowAccept or ConnectorFault.DropAfterBody or ConnectorFault.Unavailable503;
}

/// <summary>A message the fake connector stored: it is in the conversation, whatever the bot was told.</summary>
public sealed class DeliveredMessage(long sequence, string id, string conversation, string? replyToId, JsonObject activity, DateTimeOffset created)
{
    public long Sequence { get; } = sequence;

    /// <summary>The activity id the connector gave it (Graph's chatMessage id).</summary>
    public string Id { get; } = id;

    /// <summary>The channel or chat it is in.</summary>
    public string Conversation { get; } = conversation;

    /// <summary>The root of its thread, when it is a reply in a channel thread.</summary>
    public string? ReplyToId { get; } = replyToId;

    public DateTimeOffset Created { get; } = created;

    /// <summary>The activity as last sent (an edit replaces it).</summary>
    public JsonObject Activity { get; private set; } = activity;

    public DateTimeOffset LastModified { get; private set; } = created;

    public bool Deleted { get; private set; }

    /// <summary>The message's JSON as one string (for searching).</summary>
    public string Json => Activity.ToJsonString();

    internal void Edit(JsonObject activity, DateTimeOffset at)
    {
        Activity = activity;
        LastModified = at;
    }

    internal void Delete(DateTimeOffset at)
    {
        Deleted = true;
        LastModified = at;
    }
}

/// <summary>
/// Which sends the fake connector answers with a fault. Rules are checked in order: a conversation
/// rule (every call to that channel), an alert rule (every card of that alert), then the seeded share.
/// </summary>
public sealed class ConnectorFaultPlan
{
    /// <summary>Every call to these channels or chats (cards, replies, edits) gets the fault.</summary>
    public ConcurrentDictionary<string, ConnectorFault> Conversations { get; } = new(StringComparer.Ordinal);

    /// <summary>Every POST of a card of these alerts gets the fault.</summary>
    public ConcurrentDictionary<string, ConnectorFault> Alerts { get; } = new(StringComparer.Ordinal);

    /// <summary>A deterministic share of alert card POSTs that get a fault (null = none).</summary>
    public SeededConnectorFaults? Share { get; set; }

    internal ConnectorFault Decide(string conversation, string? alertId, string method, int attemptOfKey)
    {
        if (Conversations.TryGetValue(conversation, out ConnectorFault always))
        {
            return always;
        }

        if (method != "POST" || alertId is null)
        {
            return ConnectorFault.None;
        }

        if (Alerts.TryGetValue(alertId, out ConnectorFault forAlert))
        {
            return forAlert;
        }

        return Share?.Decide(conversation, alertId, attemptOfKey) ?? ConnectorFault.None;
    }
}

/// <summary>
/// A share of faults per thousand alert card POSTs, decided by a hash of (seed, conversation, alert,
/// attempt number), so the same alert gets the same fault in every run whatever the timing. Only the
/// first <paramref name="FaultedAttempts"/> attempts of an (alert, conversation) pair may get one,
/// so every card gets through in the end.
/// </summary>
public sealed record SeededConnectorFaults(int Seed, IReadOnlyDictionary<ConnectorFault, int> PerMille, int FaultedAttempts = 1)
{
    internal ConnectorFault Decide(string conversation, string alertId, int attempt)
    {
        if (attempt >= FaultedAttempts)
        {
            return ConnectorFault.None;
        }

        int roll = StableHash.Of(Seed, conversation, alertId, attempt) % 1000;
        foreach ((ConnectorFault fault, int perMille) in PerMille.OrderBy(p => p.Key))
        {
            if (roll < perMille)
            {
                return fault;
            }

            roll -= perMille;
        }

        return ConnectorFault.None;
    }
}

/// <summary>A hash that is the same in every process (string.GetHashCode is not).</summary>
internal static class StableHash
{
    public static int Of(int seed, params object[] parts)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes($"{seed}|{string.Join('|', parts)}"))
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }
}

/// <summary>
/// The fake Bot Connector's memory and answers: the messages delivered to each conversation (a channel
/// with its threads, or a chat) with their activity ids and JSON, every attempt and how it was answered,
/// and the faults it injects (<see cref="Faults"/>). Graph's channel and chat messages are served from
/// the same memory, so the bot can check whether an ambiguous send arrived.
/// </summary>
public sealed class FakeConnector
{
    private readonly ConcurrentQueue<ConnectorAttempt> _attempts = new();
    private readonly ConcurrentDictionary<string, DeliveredMessage> _messages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attemptsPerKey = new(StringComparer.Ordinal);
    private long _sequence;
    private long _nextId = 1_800_000_000_000;
    private int _inFlight;
    private long _lastActivityTicks = DateTime.UtcNow.Ticks;
    private readonly Dictionary<string, List<DateTime>> _accepted = new(StringComparer.Ordinal);
    private int _limitViolations;

    /// <summary>The faults to inject (empty = every send succeeds).</summary>
    public ConnectorFaultPlan Faults { get; set; } = new();

    /// <summary>
    /// Answers 429 to a send or edit that would exceed Teams' documented per-conversation limits
    /// (<see cref="TeamsLimits"/>), as Teams does. Counted by arrival, with a little grace for loopback jitter.
    /// </summary>
    public bool EnforceTeamsLimits { get; set; }

    /// <summary>Teams' per-conversation limits: 7 in 1 s, 8 in 2 s, 60 in 30 s.</summary>
    public static IReadOnlyList<(TimeSpan Window, int Limit)> TeamsLimits { get; } =
        [(TimeSpan.FromSeconds(1), 7), (TimeSpan.FromSeconds(2), 8), (TimeSpan.FromSeconds(30), 60)];

    /// <summary>The sends and edits refused for exceeding <see cref="TeamsLimits"/>.</summary>
    public int LimitViolations => Volatile.Read(ref _limitViolations);

    /// <summary>How long every POST takes before it is answered (not a fault: a slow but healthy connector).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>True when no call is in flight and none started or ended within <paramref name="quiet"/>.</summary>
    public bool IdleFor(TimeSpan quiet) =>
        Volatile.Read(ref _inFlight) == 0 && DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastActivityTicks) >= quiet.Ticks;

    /// <summary>How long a <see cref="ConnectorFault.SlowAccept"/> answer takes (the bot gives up after 15 s).</summary>
    public TimeSpan SlowAcceptDelay { get; set; } = TimeSpan.FromSeconds(16);

    /// <summary>
    /// Runs after a message is stored and before the bot gets the answer (e.g. a test stops Redis here,
    /// so the bot's record of the delivery fails).
    /// </summary>
    public Func<DeliveredMessage, Task>? OnDelivered { get; set; }

    /// <summary>Every POST, PUT and DELETE, in arrival order.</summary>
    public IReadOnlyList<ConnectorAttempt> Attempts => [.. _attempts];

    /// <summary>Every message delivered (deleted ones included), oldest first.</summary>
    public IReadOnlyList<DeliveredMessage> Delivered => [.. _messages.Values.OrderBy(m => m.Sequence)];

    /// <summary>A position in the one order of attempts, deliveries and test events.</summary>
    public long Sequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Messages delivered to a channel (with its threads) or chat, oldest first.</summary>
    public IReadOnlyList<DeliveredMessage> DeliveredTo(string conversation) =>
        [.. Delivered.Where(m => m.Conversation == conversation && !m.Deleted)];

    /// <summary>Attempts to a channel (with its threads) or chat.</summary>
    public IReadOnlyList<ConnectorAttempt> AttemptsTo(string conversation) =>
        [.. Attempts.Where(a => a.Conversation == conversation)];

    /// <summary>The cards of one alert in a conversation (see <see cref="CardMarkers.AlertIdOf"/>), oldest first.</summary>
    public IReadOnlyList<DeliveredMessage> AlertCards(string conversation, string alertId) =>
        [.. DeliveredTo(conversation).Where(m => CardMarkers.AlertIdOf(m.Activity) == alertId)];

    /// <summary>
    /// The storm root cards of a customer in a channel: top-level cards with its <c>tab-storm-</c> marker,
    /// or (cards without any marker, before the product emitted them) whose title names the customer.
    /// </summary>
    public IReadOnlyList<DeliveredMessage> StormRoots(string conversation, string customerTenantId, string customerName) =>
        [.. DeliveredTo(conversation).Where(m => m.ReplyToId is null && (
            CardMarkers.Has(m.Activity, CardMarkers.StormPrefix + customerTenantId)
            || (CardMarkers.Cards(m.Activity).Any() && !CardMarkers.ElementIds(m.Activity).Any(i => i.StartsWith("tab-", StringComparison.Ordinal))
                && m.Json.Contains($"Alert storm: {customerName}", StringComparison.Ordinal))))];

    /// <summary>The cards that say Redis lost its state (<see cref="CardMarkers.Recovery"/>).</summary>
    public IReadOnlyList<DeliveredMessage> RecoveryCards(string conversation) =>
        [.. DeliveredTo(conversation).Where(m => CardMarkers.Has(m.Activity, CardMarkers.Recovery))];

    /// <summary>Messages that mention an alert but are not its card (nor a recovery card): e.g. its dead-letter notice.</summary>
    public IReadOnlyList<DeliveredMessage> NoticesAbout(string conversation, string alertId) =>
        [.. DeliveredTo(conversation).Where(m => m.Json.Contains(alertId, StringComparison.Ordinal)
            && CardMarkers.AlertIdOf(m.Activity) != alertId
            && !CardMarkers.Has(m.Activity, CardMarkers.Recovery))];

    /// <summary>The channel of a conversation id (<c>19:…;messageid=…</c> → <c>19:…</c>).</summary>
    public static string ChannelOf(string conversationId)
    {
        int thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? conversationId : conversationId[..thread];
    }

    private static string? ThreadRootOf(string conversationId)
    {
        int thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? null : conversationId[(thread + ";messageid=".Length)..];
    }

    /// <summary>Answers a call under <c>/connector/</c>: sends, edits, deletes, members.</summary>
    internal async Task<IResult> AnswerAsync(HttpContext context, RecordedRequest request)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Exchange(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
        try
        {
            return await AnswerCoreAsync(context, request);
        }
        finally
        {
            Interlocked.Exchange(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<IResult> AnswerCoreAsync(HttpContext context, RecordedRequest request)
    {
        // /connector/v3/conversations[/{conversation}/activities[/{activity}] | /{conversation}/members/{user}]
        string path = request.RawTarget.Split('?')[0];
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[1] != "v3" || segments[2] != "conversations")
        {
            return Results.NotFound();
        }

        if (request.Method == "GET" && segments.Length == 6 && segments[4] == "members")
        {
            return Results.Json(new JsonObject
            {
                ["id"] = Uri.UnescapeDataString(segments[5]),
                ["name"] = "Aiko Analyst",
                ["aadObjectId"] = TeamsActivities.AnalystObjectId,
                ["email"] = "aiko@contoso.example",
                ["userPrincipalName"] = "aiko@contoso.example",
            });
        }

        JsonObject activity = request.Json as JsonObject ?? [];
        bool createsThread = segments.Length == 3;
        string addressed = createsThread
            ? (string?)activity["channelData"]?["channel"]?["id"] ?? string.Empty
            : Uri.UnescapeDataString(segments[3]);
        string conversation = ChannelOf(addressed);
        string? activityIdInPath = segments.Length >= 6 && segments[4] == "activities" ? Uri.UnescapeDataString(segments[5]) : null;
        JsonObject message = createsThread ? activity["activity"] as JsonObject ?? [] : activity;
        string? alertId = CardMarkers.AlertIdOf(message);
        bool isCard = CardMarkers.Cards(message).Any();
        int attemptOfKey = alertId is null ? 0 : _attemptsPerKey.AddOrUpdate($"{conversation}|{alertId}", 0, (_, n) => n + 1);
        ConnectorFault fault = Faults.Decide(conversation, alertId, request.Method, attemptOfKey);
        if (EnforceTeamsLimits && request.Method is "POST" or "PUT" && !WithinTeamsLimits(conversation))
        {
            Interlocked.Increment(ref _limitViolations);
            Log(request, conversation, alertId, isCard, ConnectorFault.Throttle429, SendOutcome.NotDelivered, activityIdInPath);
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(ErrorBody("TooManyRequests", "Too many requests to the conversation."), statusCode: StatusCodes.Status429TooManyRequests);
        }

        switch (request.Method)
        {
            case "PUT" when activityIdInPath is not null:
                if (fault is not ConnectorFault.None)
                {
                    Log(request, conversation, alertId, isCard, fault, SendOutcome.NotDelivered, activityIdInPath);
                    return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                }

                if (_messages.TryGetValue(activityIdInPath, out DeliveredMessage? edited))
                {
                    if (edited.Deleted)
                    {
                        // As Teams answers an edit of a message someone deleted.
                        Log(request, conversation, alertId, isCard, fault, SendOutcome.NotDelivered, activityIdInPath);
                        return Results.Json(ErrorBody("ActivityNotFoundInConversation", "The activity was not found."), statusCode: StatusCodes.Status404NotFound);
                    }

                    edited.Edit(message, DateTimeOffset.UtcNow);
                }

                Log(request, conversation, alertId, isCard, fault, SendOutcome.Delivered, activityIdInPath);
                return Results.Json(new JsonObject { ["id"] = activityIdInPath });
            case "DELETE" when activityIdInPath is not null:
                if (_messages.TryGetValue(activityIdInPath, out DeliveredMessage? deleted))
                {
                    deleted.Delete(DateTimeOffset.UtcNow);
                }

                Log(request, conversation, alertId, isCard, ConnectorFault.None, SendOutcome.Delivered, activityIdInPath);
                return Results.Ok();
            case "POST":
                if (Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Latency, context.RequestAborted);
                }

                break;
            default:
                return Results.NotFound();
        }

        switch (fault)
        {
            case ConnectorFault.Throttle429:
                Log(request, conversation, alertId, isCard, fault, SendOutcome.NotDelivered, null);
                context.Response.Headers.RetryAfter = "1";
                return Results.Json(ErrorBody("TooManyRequests", "Too many requests to the conversation."), statusCode: StatusCodes.Status429TooManyRequests);
            case ConnectorFault.Unavailable503:
                Log(request, conversation, alertId, isCard, fault, SendOutcome.NotDelivered, null);
                return Results.Json(ErrorBody("ServiceUnavailable", "The service is temporarily unavailable."), statusCode: StatusCodes.Status503ServiceUnavailable);
            case ConnectorFault.Refuse400:
                Log(request, conversation, alertId, isCard, fault, SendOutcome.NotDelivered, null);
                return Results.Json(ErrorBody("BadArgument", "The activity's attachment was rejected."), statusCode: StatusCodes.Status400BadRequest);
            default:
                break;
        }

        // Delivered: in Teams the message now exists, whatever the bot hears next.
        string? replyTo = createsThread ? null : ThreadRootOf(addressed) ?? activityIdInPath;
        string id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var stored = new DeliveredMessage(Sequence(), id, conversation, replyTo, (JsonObject)message.DeepClone(), DateTimeOffset.UtcNow);
        _messages[id] = stored;
        SendOutcome outcome = fault is ConnectorFault.SlowAccept or ConnectorFault.DropAfterBody ? SendOutcome.AmbiguousButDelivered : SendOutcome.Delivered;
        Log(request, conversation, alertId, isCard, fault, outcome, id);
        if (OnDelivered is { } hook)
        {
            await hook(stored);
        }

        switch (fault)
        {
            case ConnectorFault.SlowAccept:
                try
                {
                    await Task.Delay(SlowAcceptDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The bot gave up waiting; the message stays delivered.
                    return Results.Empty;
                }

                break;
            case ConnectorFault.DropAfterBody:
                context.Abort();
                return Results.Empty;
            case ConnectorFault.NonJsonCreated:
                return Results.Text("<html><body>Created</body></html>", "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status201Created);
            default:
                break;
        }

        return createsThread
            ? Results.Json(new JsonObject { ["id"] = $"{conversation};messageid={id}", ["activityId"] = id }, statusCode: StatusCodes.Status201Created)
            : Results.Json(new JsonObject { ["id"] = id }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Whether one more request to the conversation now keeps within every window; records it when it does.</summary>
    private bool WithinTeamsLimits(string conversation)
    {
        // The bot's limiter counts a send when it takes its slot, this fake when the request arrives: on a
        // loaded two-core machine a new TLS connection alone can put a few hundred milliseconds between them
        // (460 ms seen in a full run: one send arrived late and made a window look like 9 sends in 1.6 s).
        TimeSpan grace = TimeSpan.FromMilliseconds(600);
        lock (_accepted)
        {
            DateTime now = DateTime.UtcNow;
            if (!_accepted.TryGetValue(conversation, out List<DateTime>? times))
            {
                times = [];
                _accepted[conversation] = times;
            }

            times.RemoveAll(t => now - t > TimeSpan.FromSeconds(31));
            foreach ((TimeSpan window, int limit) in TeamsLimits)
            {
                if (times.Count(t => now - t < window - grace) >= limit)
                {
                    return false;
                }
            }

            times.Add(now);
            return true;
        }
    }

    private void Log(RecordedRequest request, string conversation, string? alertId, bool isCard, ConnectorFault fault, SendOutcome outcome, string? activityId) =>
        _attempts.Enqueue(new ConnectorAttempt(Sequence(), request.Method, request.RawTarget, conversation, alertId, isCard, fault, outcome, activityId, DateTimeOffset.UtcNow));

    private static JsonObject ErrorBody(string code, string message) => new()
    {
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };
}
