using System.Text.Json;
using StackExchange.Redis;

namespace TeamsAlertBot.State;

/// <summary>
/// The shared store: one multiplexer for the process, a database per call, all keys from
/// <see cref="RedisKeys"/>. Decisions (first subscribe, last unsubscribe) are single atomic commands.
/// A conversation's keys are in different hash slots (Redis Cluster), so the writes that touch several
/// are separate idempotent commands, ordered so that an interruption leaves nothing that misleads:
/// a reference without a subscription posts nothing, and a subscription is never left without one.
/// </summary>
public sealed class RedisConversationStore(IConnectionMultiplexer redis, RedisKeys keys) : IConversationStore
{
    public string Kind => "Redis";

    public async Task UpsertReferenceAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        IDatabase db = redis.GetDatabase();
        string json = JsonSerializer.Serialize(reference, StateJsonContext.Default.ConversationReference);
        if (reference.TeamId is { Length: > 0 } team)
        {
            // The team's index first: a removal of the team then finds the conversation in any case.
            await db.SetAddAsync(keys.Team(team), reference.ConversationId);
        }

        await db.HashSetAsync(keys.Conversation(reference.ConversationId), RedisKeys.ReferenceField, json);
    }

    public async Task<ConversationReference?> GetReferenceAsync(string conversationId, CancellationToken cancellationToken)
    {
        RedisValue json = await redis.GetDatabase().HashGetAsync(keys.Conversation(conversationId), RedisKeys.ReferenceField);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, StateJsonContext.Default.ConversationReference);
    }

    public async Task RemoveConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        IDatabase db = redis.GetDatabase();
        await db.HashDeleteAsync(keys.Subscriptions, conversationId);
        await db.KeyDeleteAsync(keys.Conversation(conversationId));
    }

    public async Task RemoveTeamAsync(string teamId, CancellationToken cancellationToken)
    {
        IDatabase db = redis.GetDatabase();
        RedisValue[] members = await db.SetMembersAsync(keys.Team(teamId));
        foreach (string conversationId in members.Select(m => (string)m!).Append(teamId).Distinct(StringComparer.Ordinal))
        {
            await RemoveConversationAsync(conversationId, cancellationToken);
        }

        await db.KeyDeleteAsync(keys.Team(teamId));
    }

    public Task<bool> SubscribeAsync(ChannelSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        string json = JsonSerializer.Serialize(subscription, StateJsonContext.Default.ChannelSubscription);
        return redis.GetDatabase().HashSetAsync(keys.Subscriptions, subscription.ConversationId, json, When.NotExists);
    }

    public Task<bool> UnsubscribeAsync(string conversationId, CancellationToken cancellationToken) =>
        redis.GetDatabase().HashDeleteAsync(keys.Subscriptions, conversationId);

    public async Task<ChannelSubscription?> GetSubscriptionAsync(string conversationId, CancellationToken cancellationToken)
    {
        RedisValue json = await redis.GetDatabase().HashGetAsync(keys.Subscriptions, conversationId);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, StateJsonContext.Default.ChannelSubscription);
    }

    public async Task<IReadOnlyList<ChannelSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        HashEntry[] entries = await redis.GetDatabase().HashGetAllAsync(keys.Subscriptions);
        return [.. entries
            .Select(e => JsonSerializer.Deserialize((string)e.Value!, StateJsonContext.Default.ChannelSubscription)!)
            .OrderBy(s => s.ConversationId, StringComparer.Ordinal)];
    }

    public Task SetValueAsync(string conversationId, string name, string value, CancellationToken cancellationToken) =>
        redis.GetDatabase().HashSetAsync(keys.Conversation(conversationId), RedisKeys.ValueField(name), value);

    public async Task<string?> GetValueAsync(string conversationId, string name, CancellationToken cancellationToken)
    {
        RedisValue value = await redis.GetDatabase().HashGetAsync(keys.Conversation(conversationId), RedisKeys.ValueField(name));
        return value.IsNull ? null : (string?)value;
    }

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => redis.GetDatabase().PingAsync();
}
