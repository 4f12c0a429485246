using StackExchange.Redis;

namespace TeamsAlertBot.State;

/// <summary>
/// The in-memory twins' shared state: values under the same keys <see cref="RedisKeys"/> builds, each
/// with an optional expiry read from <see cref="TimeProvider"/>. Every twin works inside <see cref="Atomic{T}"/>,
/// one lock for the whole keyspace, so what a Redis script decides in one step is decided in one step here
/// too — including steps that read another twin's keys (a card's send reads the alert's triage record).
/// One process only: this is what a single instance without Redis runs on.
/// </summary>
public sealed class InMemoryKeyspace(TimeProvider time)
{
    /// <summary>Past this many keys, expired ones are swept on the next write (they are also dropped when read).</summary>
    private const int SweepThreshold = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _writesSinceSweep;

    /// <summary>The clock the expiries are measured with.</summary>
    public TimeProvider Time => time;

    /// <summary>Runs <paramref name="step"/> alone: no other twin reads or writes meanwhile.</summary>
    public T Atomic<T>(Func<View, T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            return step(new View(this, time.GetUtcNow()));
        }
    }

    /// <summary>Runs <paramref name="step"/> alone.</summary>
    public void Atomic(Action<View> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            step(new View(this, time.GetUtcNow()));
        }
    }

    private Entry? Find(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } at && at <= now)
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }

    private void Put(string key, Entry entry, DateTimeOffset now)
    {
        _entries[key] = entry;
        if (++_writesSinceSweep < SweepThreshold || _entries.Count < SweepThreshold)
        {
            return;
        }

        _writesSinceSweep = 0;
        foreach ((string stale, Entry old) in _entries.Where(e => e.Value.ExpiresAt is { } at && at <= now).ToList())
        {
            _entries.Remove(stale);
        }
    }

    private sealed class Entry(object value, DateTimeOffset? expiresAt)
    {
        public object Value { get; } = value;

        public DateTimeOffset? ExpiresAt { get; set; } = expiresAt;
    }

    /// <summary>One atomic step's view of the keyspace (valid only inside <see cref="Atomic{T}"/>).</summary>
    public readonly struct View
    {
        private readonly InMemoryKeyspace _space;

        internal View(InMemoryKeyspace space, DateTimeOffset now)
        {
            _space = space;
            Now = now;
        }

        /// <summary>The time of this step.</summary>
        public DateTimeOffset Now { get; }

        /// <summary>Whether the key exists (and has not expired).</summary>
        public bool Exists(RedisKey key) => _space.Find(key.ToString(), Now) is not null;

        /// <summary>The string value, or null.</summary>
        public string? Get(RedisKey key) => _space.Find(key.ToString(), Now)?.Value as string;

        /// <summary>Sets a string value; with <paramref name="ttl"/> null the key keeps no expiry (like <c>SET</c>).</summary>
        public void Set(RedisKey key, string value, TimeSpan? ttl = null) =>
            _space.Put(key.ToString(), new Entry(value, ttl is { } t ? Now + t : null), Now);

        /// <summary>Sets the value only when the key does not exist (<c>SET NX</c>); true when set.</summary>
        public bool SetIfAbsent(RedisKey key, string value, TimeSpan? ttl = null)
        {
            if (Exists(key))
            {
                return false;
            }

            Set(key, value, ttl);
            return true;
        }

        /// <summary>Removes the key; true when it existed.</summary>
        public bool Delete(RedisKey key) => _space.Find(key.ToString(), Now) is not null && _space._entries.Remove(key.ToString());

        /// <summary>Starts the key's expiry again (<c>PEXPIRE</c>); false when there is no such key.</summary>
        public bool Expire(RedisKey key, TimeSpan ttl)
        {
            if (_space.Find(key.ToString(), Now) is not { } entry)
            {
                return false;
            }

            entry.ExpiresAt = Now + ttl;
            return true;
        }

        /// <summary>The time the key has left; null when it does not exist or never expires.</summary>
        public TimeSpan? TimeToLive(RedisKey key) => _space.Find(key.ToString(), Now)?.ExpiresAt is { } at ? at - Now : null;

        /// <summary>A hash (field → value); made empty when <paramref name="create"/> and absent, else null. Writes keep the expiry.</summary>
        public Dictionary<string, string>? Hash(RedisKey key, bool create = false) => Collection<Dictionary<string, string>>(key, create, () => new(StringComparer.Ordinal));

        /// <summary>A sorted set (member → score).</summary>
        public Dictionary<string, double>? SortedSet(RedisKey key, bool create = false) => Collection<Dictionary<string, double>>(key, create, () => new(StringComparer.Ordinal));

        /// <summary>A list, oldest first.</summary>
        public List<string>? List(RedisKey key, bool create = false) => Collection<List<string>>(key, create, () => []);

        /// <summary>Any other structure a twin keeps under a key (e.g. a work partition).</summary>
        public T? Structure<T>(RedisKey key, Func<T>? create = null)
            where T : class =>
            Collection(key, create is not null, create ?? (() => throw new InvalidOperationException("no factory")));

        private T? Collection<T>(RedisKey key, bool create, Func<T> make)
            where T : class
        {
            if (_space.Find(key.ToString(), Now) is { Value: T existing })
            {
                return existing;
            }

            if (!create)
            {
                return null;
            }

            T made = make();
            _space.Put(key.ToString(), new Entry(made, null), Now);
            return made;
        }
    }
}
