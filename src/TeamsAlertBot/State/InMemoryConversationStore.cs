using System.Collections.Concurrent;

namespace TeamsAlertBot.State;

/// <summary>
/// The embedded default store: a process's memory. Suits a local run or a single instance;
/// state is lost on restart.
/// </summary>
public sealed class InMemoryConversationStore : IConversationStore
{
    private readonly ConcurrentDictionary<string, ConversationReference> _references = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChannelSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Conversation, string Name), string> _values = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _teams = new(StringComparer.Ordinal);

    public string Kind => "In-memory";

    public Task UpsertReferenceAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _references[reference.ConversationId] = reference;
        if (reference.TeamId is { Length: > 0 } team)
        {
            _teams.GetOrAdd(team, _ => new(StringComparer.Ordinal))[reference.ConversationId] = 0;
        }

        return Task.CompletedTask;
    }

    public Task<ConversationReference?> GetReferenceAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_references.GetValueOrDefault(conversationId));

    public Task RemoveConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        _references.TryRemove(conversationId, out _);
        _subscriptions.TryRemove(conversationId, out _);
        foreach ((string, string) key in _values.Keys.Where(k => k.Conversation == conversationId))
        {
            _values.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public async Task RemoveTeamAsync(string teamId, CancellationToken cancellationToken)
    {
        if (_teams.TryRemove(teamId, out ConcurrentDictionary<string, byte>? conversations))
        {
            foreach (string conversationId in conversations.Keys)
            {
                await RemoveConversationAsync(conversationId, cancellationToken);
            }
        }

        // The General channel's id is the team id.
        await RemoveConversationAsync(teamId, cancellationToken);
    }

    public Task<bool> SubscribeAsync(ChannelSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return Task.FromResult(_subscriptions.TryAdd(subscription.ConversationId, subscription));
    }

    public Task<bool> UnsubscribeAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_subscriptions.TryRemove(conversationId, out _));

    public Task<ChannelSubscription?> GetSubscriptionAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_subscriptions.GetValueOrDefault(conversationId));

    public Task<IReadOnlyList<ChannelSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChannelSubscription>>([.. _subscriptions.Values.OrderBy(s => s.ConversationId, StringComparer.Ordinal)]);

    public Task SetValueAsync(string conversationId, string name, string value, CancellationToken cancellationToken)
    {
        _values[(conversationId, name)] = value;
        return Task.CompletedTask;
    }

    public Task<string?> GetValueAsync(string conversationId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_values.GetValueOrDefault((conversationId, name)));

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => Task.FromResult(TimeSpan.Zero);
}
