namespace TeamsAlertBot.State;

/// <summary>
/// Conversation references, alert subscriptions and small per-conversation values. Two
/// implementations pass the same contract tests: Redis (shared by all instances) and in-memory
/// (the default when no Redis is configured; one instance only).
/// </summary>
public interface IConversationStore
{
    /// <summary>A name for the status card: "Redis" or "In-memory".</summary>
    string Kind { get; }

    /// <summary>Adds or refreshes a reference (and links it to its team, if any).</summary>
    Task UpsertReferenceAsync(ConversationReference reference, CancellationToken cancellationToken);

    Task<ConversationReference?> GetReferenceAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Forgets a conversation: its reference, subscription and values.</summary>
    Task RemoveConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Forgets every conversation of a team (the bot was removed from it or it was deleted).</summary>
    Task RemoveTeamAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>Subscribes a conversation; true only for the call that created the subscription.</summary>
    Task<bool> SubscribeAsync(ChannelSubscription subscription, CancellationToken cancellationToken);

    /// <summary>Unsubscribes; true only for the call that removed an existing subscription.</summary>
    Task<bool> UnsubscribeAsync(string conversationId, CancellationToken cancellationToken);

    Task<ChannelSubscription?> GetSubscriptionAsync(string conversationId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChannelSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a small named value for a conversation (e.g. its language).</summary>
    Task SetValueAsync(string conversationId, string name, string value, CancellationToken cancellationToken);

    Task<string?> GetValueAsync(string conversationId, string name, CancellationToken cancellationToken);

    /// <summary>Round trip to the store; throws when it is not reachable.</summary>
    Task<TimeSpan> PingAsync(CancellationToken cancellationToken);
}

/// <summary>Names of the per-conversation values.</summary>
public static class ConversationValues
{
    /// <summary>The language (en, ja) alert cards are written in; set by the subscriber.</summary>
    public const string Language = "language";

    /// <summary>The conversation's language, or <paramref name="fallback"/> when none was set.</summary>
    public static async Task<string> GetLanguageAsync(this IConversationStore store, string conversationId, string fallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.GetValueAsync(conversationId, Language, cancellationToken) ?? fallback;
    }
}
