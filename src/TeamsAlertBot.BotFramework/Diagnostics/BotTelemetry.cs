using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TeamsAlertBot.BotFramework.Diagnostics;

/// <summary>
/// The bot's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, and every span name and
/// instrument it records. They live in the protocol layer because sends and Teams' limits are measured
/// here; the host records the pipeline's spans and metrics through the same names. Instruments are
/// static so any code can record without injection; a process without an OpenTelemetry listener pays
/// one "is anyone listening" check per record.
/// </summary>
public static class BotTelemetry
{
    /// <summary>The name of the activity source and of the meter (what exporters subscribe to).</summary>
    public const string Name = "TeamsAlertBot";

    /// <summary>Span: one poll of Graph's alert listing (the poller that holds the lease).</summary>
    public const string PollSpan = "teamsalertbot.poll";

    /// <summary>Span: one piece of queued work run by a dispatcher (a card, an edit, a reply, a notice).</summary>
    public const string DispatchSpan = "teamsalertbot.dispatch";

    /// <summary>Span: one Bot Connector call, including its wait for a send slot and its retries.</summary>
    public const string SendSpan = "teamsalertbot.send";

    /// <summary>Span: one card button click (Action.Execute invoke or Action.Submit message).</summary>
    public const string ClickSpan = "teamsalertbot.click";

    /// <summary>Tag: the alert a span works for.</summary>
    public const string AlertIdTag = "teamsalertbot.alert.id";

    /// <summary>Tag: the conversation a span works for.</summary>
    public const string ConversationIdTag = "teamsalertbot.conversation.id";

    /// <summary>The tracing source.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The meter of every instrument below.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds from Microsoft's detection of an alert to its card being accepted by Teams, per conversation.</summary>
    public static readonly Histogram<double> TimeToCard = Meter.CreateHistogram<double>(
        "teamsalertbot.alert.time_to_card", "s", "From the alert's detection to its card delivered in a conversation");

    /// <summary>Seconds from Microsoft's detection of an alert to a verdict clicked in Teams.</summary>
    public static readonly Histogram<double> TimeToVerdict = Meter.CreateHistogram<double>(
        "teamsalertbot.alert.time_to_verdict", "s", "From the alert's detection to a triage verdict");

    /// <summary>Sends slowed down by Teams: a 429 answer (reason=429) or a wait for a slot in the send limits (reason=limiter).</summary>
    public static readonly Counter<long> SendsThrottled = Meter.CreateCounter<long>(
        "teamsalertbot.send.throttled", "{send}", "Sends answered 429 by the connector or held back by the send limiter");

    /// <summary>Seconds a send waited for its slot in Teams' limits (0 when it had one at once).</summary>
    public static readonly Histogram<double> LimiterWait = Meter.CreateHistogram<double>(
        "teamsalertbot.send.limiter_wait", "s", "Time a send waited for a slot in Teams' send limits");

    /// <summary>Work moved to the dead letters (given up after its attempts).</summary>
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "teamsalertbot.work.dead_letters", "{item}", "Queued work given up and kept as a dead letter");

    /// <summary>Card sends whose outcome was unknown (a timeout after sending, a dropped connection, a 5xx).</summary>
    public static readonly Counter<long> AmbiguousSends = Meter.CreateCounter<long>(
        "teamsalertbot.send.ambiguous", "{send}", "Card sends whose delivery could not be told");

    /// <summary>Cards posted again, marked as a possible repeat, because an earlier send was ambiguous and the conversation cannot be read.</summary>
    public static readonly Counter<long> MarkedRepeats = Meter.CreateCounter<long>(
        "teamsalertbot.send.marked_repeats", "{card}", "Cards posted again with the possible-repeat mark");

    /// <summary>The throttling reason of a 429 answer.</summary>
    public static readonly KeyValuePair<string, object?> Throttled429 = new("reason", "429");

    /// <summary>The throttling reason of a wait for a send slot.</summary>
    public static readonly KeyValuePair<string, object?> ThrottledLimiter = new("reason", "limiter");
}
