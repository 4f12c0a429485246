namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// A set of sliding-window limits ("at most N in any W") over one stream of requests. Not thread
/// safe: callers serialise access. Time comes from the caller, so tests drive it with a fake clock.
/// </summary>
internal sealed class SlidingWindowGate
{
    private readonly (TimeSpan Window, int Limit)[] _windows;
    private readonly TimeSpan _longest;
    private readonly Queue<DateTimeOffset> _granted = new();

    public SlidingWindowGate(IEnumerable<RateWindow> windows)
    {
        _windows = [.. windows.Where(w => w.Limit > 0 && w.Window > TimeSpan.Zero).Select(w => (w.Window, w.Limit))];
        _longest = _windows.Length == 0 ? TimeSpan.Zero : _windows.Max(w => w.Window);
    }

    /// <summary>When no request was granted within the longest window, the gate holds no state.</summary>
    public bool IsIdle(DateTimeOffset now)
    {
        Trim(now);
        return _granted.Count == 0;
    }

    /// <summary>
    /// How long to wait from <paramref name="now"/> until one more request fits every window;
    /// <see cref="TimeSpan.Zero"/> when it fits now.
    /// </summary>
    public TimeSpan DelayUntilFree(DateTimeOffset now)
    {
        Trim(now);
        TimeSpan delay = TimeSpan.Zero;
        foreach ((TimeSpan window, int limit) in _windows)
        {
            // The grants inside (now - window, now]; once there are limit of them, the oldest that must
            // leave is the (count - limit + 1)-th from the end of the window.
            DateTimeOffset start = now - window;
            int inWindow = 0;
            foreach (DateTimeOffset t in _granted)
            {
                if (t > start)
                {
                    inWindow++;
                }
            }

            if (inWindow < limit)
            {
                continue;
            }

            int skip = _granted.Count - inWindow + (inWindow - limit);
            DateTimeOffset mustLeave = _granted.ElementAt(skip);
            TimeSpan wait = mustLeave + window - now;
            if (wait > delay)
            {
                delay = wait;
            }
        }

        return delay;
    }

    /// <summary>Records a request granted at <paramref name="now"/>.</summary>
    public void Record(DateTimeOffset now) => _granted.Enqueue(now);

    private void Trim(DateTimeOffset now)
    {
        while (_granted.Count > 0 && _granted.Peek() <= now - _longest)
        {
            _granted.Dequeue();
        }
    }
}
