using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Distributed;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Partner Center answers in the distributed cache (Redis, or memory), as <see cref="CachedValue{T}"/>
/// JSON. A cache that fails or holds an entry of an older shape never fails the caller: a read then
/// answers null (ask Partner Center), a write is logged and dropped.
/// </summary>
internal sealed class PartnerCenterCache(IDistributedCache cache, ILogger logger)
{
    public async Task<CachedValue<T>?> ReadAsync<T>(string key, JsonTypeInfo<CachedValue<T>> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            byte[]? bytes = await cache.GetAsync(key, cancellationToken);
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, typeInfo);
        }
        catch (JsonException)
        {
            // An entry of an older shape: fetch afresh and overwrite it.
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PartnerCenterLog.CacheFailed(logger, e, "read", key);
            return null;
        }
    }

    public async Task WriteAsync<T>(
        string key, CachedValue<T> value, JsonTypeInfo<CachedValue<T>> typeInfo, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        try
        {
            await cache.SetAsync(
                key,
                JsonSerializer.SerializeToUtf8Bytes(value, typeInfo),
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive },
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PartnerCenterLog.CacheFailed(logger, e, "write", key);
        }
        catch (OperationCanceledException)
        {
            // The time ran out after the answer came: the answer is still good, only not cached.
        }
    }
}
