using Microsoft.Extensions.Options;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>One subscribed conversation as the pipeline needs it.</summary>
/// <param name="Subscription">The subscription.</param>
/// <param name="Reference">Where to post (null when the bot no longer knows the conversation).</param>
/// <param name="Language">The language its cards are written in.</param>
public sealed record SubscribedConversation(ChannelSubscription Subscription, ConversationReference? Reference, string Language);

/// <summary>
/// The subscribed conversations, read from the store at most every few seconds rather than for every
/// card (a burst of cards to one channel needs one read, not one per card). A conversation missing
/// from a stale copy is looked up again before it is treated as unsubscribed, so a new subscription
/// is never missed. The last copy also lets an instance put the subscriptions back after Redis lost them.
/// </summary>
public sealed class ConversationDirectory(IConversationStore store, IOptions<Bot.AlertBotOptions> bot, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Dictionary<string, SubscribedConversation> _known = new(StringComparer.Ordinal);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The subscribed conversations, read afresh when the copy is older than a few seconds or <paramref name="fresh"/> is set.
    /// <paramref name="exact"/>: read the store now even when another read ended a moment ago (what the
    /// poller needs to see a subscription made during its listing).
    /// </summary>
    public async Task<IReadOnlyList<SubscribedConversation>> ListAsync(bool fresh, CancellationToken cancellationToken, bool exact = false)
    {
        if (fresh || exact || time.GetUtcNow() - _readAt > Freshness)
        {
            await RefreshAsync(cancellationToken, coalesce: !exact);
        }

        return [.. Volatile.Read(ref _known).Values.OrderBy(c => c.Subscription.ConversationId, StringComparer.Ordinal)];
    }

    /// <summary>The subscribed conversations (a copy at most a few seconds old).</summary>
    public Task<IReadOnlyList<SubscribedConversation>> ListAsync(CancellationToken cancellationToken) => ListAsync(false, cancellationToken);

    /// <summary>The subscribed conversation, or null when it is not subscribed (checked afresh before saying so).</summary>
    public async Task<SubscribedConversation?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _readAt <= Freshness && Volatile.Read(ref _known).TryGetValue(conversationId, out SubscribedConversation? known))
        {
            return known;
        }

        await RefreshAsync(cancellationToken);
        return Volatile.Read(ref _known).GetValueOrDefault(conversationId);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken, bool coalesce = true)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (coalesce && time.GetUtcNow() - _readAt < TimeSpan.FromMilliseconds(200))
            {
                return;
            }

            Dictionary<string, SubscribedConversation> known = new(StringComparer.Ordinal);
            foreach (ChannelSubscription subscription in await store.ListSubscriptionsAsync(cancellationToken))
            {
                string id = subscription.ConversationId;
                ConversationReference? reference = await store.GetReferenceAsync(id, cancellationToken);
                string language = await store.GetValueAsync(id, ConversationValues.Language, cancellationToken) ?? bot.Value.DefaultLanguage;
                known[id] = new SubscribedConversation(subscription, reference, language);
            }

            // An empty answer after a non-empty one keeps the old copy for recovery (see LastKnown),
            // but the live view is what the store says now.
            if (known.Count > 0 || _known.Count == 0)
            {
                LastRecoverable = known;
            }

            Volatile.Write(ref _known, known);
            _readAt = time.GetUtcNow();
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The last non-empty copy read (what to put back when Redis lost the subscriptions).</summary>
    public IReadOnlyDictionary<string, SubscribedConversation> LastRecoverable { get; private set; } = new Dictionary<string, SubscribedConversation>();

    public void Dispose() => _refresh.Dispose();
}
