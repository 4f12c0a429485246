using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework.Diagnostics;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Keeps the bot inside Teams' send limits: a per-conversation set of sliding windows (a channel
/// and its threads are one conversation) and a per-app global set. A caller that would exceed a
/// limit waits on <see cref="TimeProvider"/> for its slot, so bursts queue instead of bouncing.
/// Limits are per process; several instances each keep to them.
/// </summary>
public sealed class SendRateLimiter
{
    private readonly SendRateLimits _limits;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly SlidingWindowGate _global;
    private readonly Dictionary<string, SlidingWindowGate> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waiting = new(StringComparer.Ordinal);
    private int _grantsSinceSweep;

    public SendRateLimiter(IOptions<BotFrameworkOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limits = options.Value.SendLimits;
        _time = time;
        _global = new SlidingWindowGate(_limits.Global);
    }

    /// <summary>Number of conversations with recent sends (for diagnostics and tests).</summary>
    public int TrackedConversations
    {
        get
        {
            lock (_sync)
            {
                return _conversations.Count;
            }
        }
    }

    /// <summary>
    /// Waits until one more send to <paramref name="conversationId"/> fits every limit, then takes
    /// the slot. Throws <see cref="SendSlotUnavailableException"/> when the wait would exceed
    /// <paramref name="maxWait"/> (by default <see cref="SendRateLimits.MaxWait"/>; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes).
    /// </summary>
    public ValueTask AcquireAsync(string conversationId, TimeSpan? maxWait, CancellationToken cancellationToken) =>
        AcquireAsync(conversationId, maxWait, background: false, cancellationToken);

    /// <summary>
    /// Like <see cref="AcquireAsync(string, TimeSpan?, CancellationToken)"/>; a <paramref name="background"/> send
    /// (a bulk run's card edits) takes a slot only while no other send to the conversation waits for one, so
    /// new alerts' cards and replies go first and a long run of edits cannot starve them.
    /// </summary>
    public async ValueTask AcquireAsync(string conversationId, TimeSpan? maxWait, bool background, CancellationToken cancellationToken)
    {
        string key = ConversationKey(conversationId);
        bool counted = false;
        try
        {
            await AcquireCoreAsync(key, maxWait, background, () => counted = true, cancellationToken);
        }
        finally
        {
            if (counted)
            {
                lock (_sync)
                {
                    if (--_waiting[key] == 0)
                    {
                        _waiting.Remove(key);
                    }
                }
            }
        }
    }

    private async ValueTask AcquireCoreAsync(string key, TimeSpan? maxWait, bool background, Action onWaiting, CancellationToken cancellationToken)
    {
        bool waiting = false;
        TimeSpan wait = maxWait ?? _limits.MaxWait;
        DateTimeOffset deadline = wait == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _time.GetUtcNow() + wait;
        long started = _time.GetTimestamp();
        bool held = false;
        while (true)
        {
            TimeSpan delay;
            lock (_sync)
            {
                DateTimeOffset now = _time.GetUtcNow();
                if (!_conversations.TryGetValue(key, out SlidingWindowGate? gate))
                {
                    gate = new SlidingWindowGate(_limits.PerConversation);
                    _conversations[key] = gate;
                }

                delay = Max(gate.DelayUntilFree(now), _global.DelayUntilFree(now));
                if (background && delay == TimeSpan.Zero && _waiting.ContainsKey(key))
                {
                    // Others wait for this conversation: let them go first, look again shortly.
                    delay = BackgroundYield;
                }

                if (delay == TimeSpan.Zero)
                {
                    gate.Record(now);
                    _global.Record(now);
                    SweepIdle(now);
                    BotTelemetry.LimiterWait.Record(_time.GetElapsedTime(started).TotalSeconds);
                    return;
                }

                if (!background && !waiting)
                {
                    waiting = true;
                    _waiting[key] = _waiting.GetValueOrDefault(key) + 1;
                    onWaiting();
                }

                if (deadline - now < delay)
                {
                    throw new SendSlotUnavailableException(
                        $"Sending to the conversation would wait {delay.TotalSeconds:0.#} s for Teams' rate limits, more than the {wait.TotalSeconds:0.#} s this send may wait.");
                }
            }

            if (!held)
            {
                // Counted once per send, however many times it wakes before its slot is free.
                held = true;
                BotTelemetry.SendsThrottled.Add(1, BotTelemetry.ThrottledLimiter);
            }

            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>Waits for a slot at most <see cref="SendRateLimits.MaxWait"/>; see the overload.</summary>
    public ValueTask AcquireAsync(string conversationId, CancellationToken cancellationToken) =>
        AcquireAsync(conversationId, null, cancellationToken);

    /// <summary>The limiter key of a conversation: a channel thread counts as its channel.</summary>
    public static string ConversationKey(string conversationId)
    {
        int thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? conversationId : conversationId[..thread];
    }

    /// <summary>How long a background send waits before it looks again while others wait.</summary>
    private static readonly TimeSpan BackgroundYield = TimeSpan.FromMilliseconds(100);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void SweepIdle(DateTimeOffset now)
    {
        // Forget conversations idle for longer than the longest window, now and then.
        if (++_grantsSinceSweep < 1024)
        {
            return;
        }

        _grantsSinceSweep = 0;
        foreach (string idle in _conversations.Where(c => c.Value.IsIdle(now)).Select(c => c.Key).ToList())
        {
            _conversations.Remove(idle);
        }
    }
}
