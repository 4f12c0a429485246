using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Tests.PartnerCenter.Fakes;

/// <summary>
/// The in-memory <see cref="MemoryDistributedCache"/>, recording the lifetime asked for each write,
/// and able to fail every call (as Redis does when it is away).
/// </summary>
internal sealed class RecordingDistributedCache : IDistributedCache
{
    private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));
    private readonly ConcurrentDictionary<string, TimeSpan?> _lifetimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _written = new(StringComparer.Ordinal);

    /// <summary>Key → the relative expiry of its last write.</summary>
    public IReadOnlyDictionary<string, TimeSpan?> Lifetimes => _lifetimes;

    public bool Unavailable { get; set; }

    /// <summary>Completes once <paramref name="key"/> has been written.</summary>
    public Task WrittenAsync(string key) => Signal(key).Task;

    public byte[]? Get(string key) => throw new NotSupportedException("The enricher must use the async API.");

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ThrowIfUnavailable();
        return await _inner.GetAsync(key, token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("The enricher must use the async API.");

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ThrowIfUnavailable();
        _lifetimes[key] = options.AbsoluteExpirationRelativeToNow;
        await _inner.SetAsync(key, value, options, token);
        Signal(key).TrySetResult();
    }

    public void Refresh(string key) => throw new NotSupportedException();

    public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

    public void Remove(string key) => throw new NotSupportedException();

    public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

    private TaskCompletionSource Signal(string key) =>
        _written.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void ThrowIfUnavailable()
    {
        if (Unavailable)
        {
            throw new InvalidOperationException("The fake cache is unavailable.");
        }
    }
}
