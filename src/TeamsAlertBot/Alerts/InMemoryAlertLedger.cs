using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IAlertLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only), on the
/// keys <see cref="RedisAlertLedger"/> uses, with the same expiries.
/// </summary>
public sealed class InMemoryAlertLedger(InMemoryKeyspace space, RedisKeys keys) : IAlertLedger
{
    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration) => Task.FromResult(space.Atomic(step =>
    {
        string? holder = step.Get(keys.PollerLease);
        if (holder is not null && holder != owner)
        {
            return false;
        }

        step.Set(keys.PollerLease, owner, duration);
        return true;
    }));

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string owner)
    {
        space.Atomic(step =>
        {
            if (step.Get(keys.PollerLease) == owner)
            {
                step.Delete(keys.PollerLease);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> LeaseHolderAsync() => Task.FromResult(space.Atomic(step => step.Get(keys.PollerLease)));

    /// <inheritdoc />
    public Task<PipelineEpoch?> GetEpochAsync() => Task.FromResult(space.Atomic(step => AlertStateJson.ParseEpoch(step.Get(keys.Epoch))));

    /// <inheritdoc />
    public Task<PipelineEpoch> CreateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Task.FromResult(space.Atomic(step =>
            step.SetIfAbsent(keys.Epoch, AlertStateJson.Serialize(epoch)) ? epoch : AlertStateJson.ParseEpoch(step.Get(keys.Epoch)) ?? epoch));
    }

    /// <inheritdoc />
    public Task<bool> UpdateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Task.FromResult(space.Atomic(step =>
        {
            if (AlertStateJson.ParseEpoch(step.Get(keys.Epoch))?.Id != epoch.Id)
            {
                return false;
            }

            step.Set(keys.Epoch, AlertStateJson.Serialize(epoch));
            return true;
        }));
    }

    /// <inheritdoc />
    public Task WatchAsync(string alertId, AlertSnapshot snapshot, DateTimeOffset seenAt, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        space.Atomic(step =>
        {
            step.SetIfAbsent(keys.AlertSnapshot(alertId), AlertStateJson.Serialize(snapshot), retention);
            step.SortedSet(keys.WatchedAlerts, create: true)![alertId] = seenAt.ToUnixTimeMilliseconds();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AlertSnapshot?> TouchAsync(string alertId, DateTimeOffset seenAt, TimeSpan retention) => Task.FromResult(space.Atomic(step =>
    {
        foreach (StackExchange.Redis.RedisKey key in keys.AlertState(alertId).Append(keys.AlertSeen(alertId)))
        {
            step.Expire(key, retention);
        }

        step.SortedSet(keys.WatchedAlerts, create: true)![alertId] = seenAt.ToUnixTimeMilliseconds();
        return AlertStateJson.ParseSnapshot(step.Get(keys.AlertSnapshot(alertId)));
    }));

    /// <inheritdoc />
    public Task<AlertSnapshot?> GetSnapshotAsync(string alertId) =>
        Task.FromResult(space.Atomic(step => AlertStateJson.ParseSnapshot(step.Get(keys.AlertSnapshot(alertId)))));

    /// <inheritdoc />
    public Task SetSnapshotAsync(string alertId, AlertSnapshot snapshot, bool open, DateTimeOffset now, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        space.Atomic(step =>
        {
            step.Set(keys.AlertSnapshot(alertId), AlertStateJson.Serialize(snapshot), retention);
            Dictionary<string, double> watched = step.SortedSet(keys.WatchedAlerts, create: true)!;
            if (open)
            {
                watched[alertId] = now.ToUnixTimeMilliseconds();
            }
            else
            {
                watched.Remove(alertId);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnwatchAsync(string alertId)
    {
        space.Atomic(step => step.SortedSet(keys.WatchedAlerts)?.Remove(alertId));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListWatchedAsync(DateTimeOffset now, TimeSpan retention) => Task.FromResult<IReadOnlyList<string>>(space.Atomic(step =>
    {
        Dictionary<string, double>? watched = step.SortedSet(keys.WatchedAlerts);
        if (watched is null)
        {
            return [];
        }

        double oldest = (now - retention).ToUnixTimeMilliseconds();
        foreach (string stale in watched.Where(w => w.Value <= oldest).Select(w => w.Key).ToList())
        {
            watched.Remove(stale);
        }

        return watched.OrderBy(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).ToList();
    }));

    /// <inheritdoc />
    public DeliverySlot CardSlot(string alertId, string conversationId) => AlertSlots.Card(keys, alertId, conversationId);

    /// <inheritdoc />
    public DeliverySlot StormSlot(string customerTenantId, string conversationId) => AlertSlots.Storm(keys, customerTenantId, conversationId);

    /// <inheritdoc />
    public Task SetCardAsync(AlertCardPost post, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(post);
        space.Atomic(step =>
        {
            step.Hash(keys.AlertCards(post.AlertId), create: true)![post.ConversationId] = AlertStateJson.Serialize(post);
            step.Expire(keys.AlertCards(post.AlertId), retention);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertCardPost>> ListCardsAsync(string alertId) => Task.FromResult<IReadOnlyList<AlertCardPost>>(space.Atomic(step =>
        (step.Hash(keys.AlertCards(alertId)) ?? [])
            .Select(e => AlertStateJson.ParseCard(e.Value)!)
            .OrderBy(p => p.ConversationId, StringComparer.Ordinal)
            .ToList()));

    /// <inheritdoc />
    public Task<AlertCardPost?> GetCardAsync(string alertId, string conversationId) =>
        Task.FromResult(space.Atomic(step => AlertStateJson.ParseCard(step.Hash(keys.AlertCards(alertId))?.GetValueOrDefault(conversationId))));

    /// <inheritdoc />
    public Task<long> CountRecentAsync(string customerTenantId, string alertId, DateTimeOffset now, TimeSpan window) => Task.FromResult(space.Atomic(step =>
    {
        StackExchange.Redis.RedisKey key = keys.CustomerRecentAlerts(customerTenantId);
        Dictionary<string, double> recent = step.SortedSet(key, create: true)!;
        recent.TryAdd(alertId, now.ToUnixTimeMilliseconds());
        double forgotten = (now - window - window).ToUnixTimeMilliseconds();
        foreach (string old in recent.Where(r => r.Value < forgotten).Select(r => r.Key).ToList())
        {
            recent.Remove(old);
        }

        step.Expire(key, window + window);
        double since = (now - window).ToUnixTimeMilliseconds();
        return (long)recent.Count(r => r.Value >= since);
    }));

    /// <inheritdoc />
    public Task<StormThread?> GetStormAsync(string customerTenantId, string conversationId, DateTimeOffset now, TimeSpan window) => Task.FromResult(space.Atomic(step =>
    {
        Dictionary<string, string>? storms = step.Hash(keys.CustomerStorm(customerTenantId));
        StormThread? storm = AlertStateJson.ParseStorm(storms?.GetValueOrDefault(conversationId));
        if (storm is not null && now - storm.StartedAt >= window + window)
        {
            storms!.Remove(conversationId);
            return null;
        }

        return storm;
    }));
}

/// <summary>The delivery slots of the pipeline's messages (the same keys in Redis and in memory).</summary>
internal static class AlertSlots
{
    /// <summary>An alert's card in one conversation; its triage and mitigation records are read along, its snapshot read back.</summary>
    public static DeliverySlot Card(RedisKeys keys, string alertId, string conversationId) =>
        new(keys.AlertCards(alertId), keys.AlertSends(alertId), conversationId, [keys.Triage(alertId), keys.Mitigation(alertId)], keys.AlertSnapshot(alertId));

    /// <summary>A customer's storm root in one conversation.</summary>
    public static DeliverySlot Storm(RedisKeys keys, string customerTenantId, string conversationId) =>
        new(keys.CustomerStorm(customerTenantId), keys.CustomerStormSends(customerTenantId), conversationId);
}
