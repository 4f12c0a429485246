using System.Collections.Concurrent;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Remembers which deliveries were processed, so a redelivered body is acknowledged and dropped.
/// Keys are SHA-256 hex digests of raw bodies. The Redis implementation is one <c>SET key 1 NX EX</c>
/// for <see cref="TryClaimAsync"/> and one <c>DEL</c> for <see cref="ReleaseAsync"/>.
/// </summary>
public interface IWebhookDeduplicator
{
    /// <summary>True for the first claim of <paramref name="deliveryId"/> within <paramref name="window"/>; false for a repeat.</summary>
    Task<bool> TryClaimAsync(string deliveryId, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Forgets a claim whose processing failed, so the redelivery is processed.</summary>
    Task ReleaseAsync(string deliveryId, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IWebhookDeduplicator"/> in this process's memory: for tests and single-instance
/// development runs (with several instances, each would process a redelivery once).
/// </summary>
public sealed class InMemoryWebhookDeduplicator(TimeProvider time) : IWebhookDeduplicator
{
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<bool> TryClaimAsync(string deliveryId, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        DateTimeOffset now = time.GetUtcNow();
        if (_claims.Count > PruneThreshold)
        {
            foreach (KeyValuePair<string, DateTimeOffset> claim in _claims)
            {
                if (claim.Value <= now)
                {
                    _claims.TryRemove(claim);
                }
            }
        }

        while (true)
        {
            if (_claims.TryAdd(deliveryId, now + window))
            {
                return Task.FromResult(true);
            }

            if (!_claims.TryGetValue(deliveryId, out DateTimeOffset expiry))
            {
                continue; // released meanwhile: try to add again
            }

            if (expiry > now)
            {
                return Task.FromResult(false);
            }

            if (_claims.TryUpdate(deliveryId, now + window, expiry))
            {
                return Task.FromResult(true);
            }
        }
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string deliveryId, CancellationToken cancellationToken)
    {
        _claims.TryRemove(deliveryId, out _);
        return Task.CompletedTask;
    }
}
