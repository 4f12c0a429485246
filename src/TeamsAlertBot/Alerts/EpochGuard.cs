using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Notices when Redis lost the pipeline's state (a restart without persistence, a failover to an empty
/// replica, a flush) and makes the loss survivable. Every instance remembers the epoch it last saw; an
/// instance that finds it gone (or replaced by one it did not see made) knows the state was lost. It
/// then puts back the subscriptions it last read, and starts a recovered epoch whose first poll posts —
/// after checking each conversation — only alerts detected since the last complete poll, and lists
/// the older open ones in one card per conversation instead of posting them all again.
/// </summary>
public sealed partial class EpochGuard(
    IAlertLedger ledger,
    IConversationStore store,
    TimeProvider time,
    ILogger<EpochGuard> logger) : IDisposable
{
    private readonly SemaphoreSlim _check = new(1, 1);
    private PipelineEpoch? _known;
    private IReadOnlyList<SubscribedConversation> _subscriptions = [];

    /// <summary>The epoch this instance last saw (null before its first check).</summary>
    public PipelineEpoch? Known => Volatile.Read(ref _known);

    /// <summary>
    /// The current epoch: made when there is none; when the one this instance knew is gone, the
    /// subscriptions are put back first and a recovered epoch is made.
    /// </summary>
    public async Task<PipelineEpoch> CurrentAsync(CancellationToken cancellationToken)
    {
        await _check.WaitAsync(cancellationToken);
        try
        {
            PipelineEpoch? stored = await ledger.GetEpochAsync();
            PipelineEpoch? known = Known;
            if (stored is not null)
            {
                if (known is not null && stored.Id != known.Id && stored.ResumeFrom is null && !stored.Initialized)
                {
                    // An instance that knew nothing made a fresh epoch after a loss this one saw: make it a recovery.
                    LogStateLost(logger, known.Id, stored.Id);
                    await RestoreSubscriptionsAsync(cancellationToken);
                    PipelineEpoch recovered = stored with { ResumeFrom = known.Watermark ?? known.StartedAt };
                    stored = await ledger.UpdateEpochAsync(recovered) ? recovered : await ledger.GetEpochAsync() ?? recovered;
                }

                Volatile.Write(ref _known, stored);
                return stored;
            }

            DateTimeOffset now = time.GetUtcNow();
            string id = Guid.NewGuid().ToString("N");
            if (known is null)
            {
                // A new state (or a loss no running instance saw): the first poll is a first install's.
                PipelineEpoch fresh = await ledger.CreateEpochAsync(new PipelineEpoch(id, now, Initialized: false, Watermark: null, ResumeFrom: null));
                Volatile.Write(ref _known, fresh);
                return fresh;
            }

            LogStateLost(logger, known.Id, id);
            await RestoreSubscriptionsAsync(cancellationToken);
            PipelineEpoch made = await ledger.CreateEpochAsync(
                new PipelineEpoch(id, now, Initialized: false, Watermark: null, ResumeFrom: known.Watermark ?? known.StartedAt));
            Volatile.Write(ref _known, made);
            return made;
        }
        finally
        {
            _check.Release();
        }
    }

    /// <summary>A poll finished: the epoch as it now stands (its watermark moved).</summary>
    public void Observe(PipelineEpoch epoch) => Volatile.Write(ref _known, epoch);

    /// <summary>The subscriptions read while the state was intact (what a loss would take away).</summary>
    public void Remember(IReadOnlyList<SubscribedConversation> subscriptions) => Volatile.Write(ref _subscriptions, subscriptions);

    /// <summary>
    /// Puts back the conversation references that vanished while their subscriptions stayed: on a
    /// cluster, the shard holding a reference lost its data but the subscriptions' shard did not, so
    /// no epoch was lost and nothing else would notice. (Removing a conversation deletes its
    /// subscription first, so a subscription without a reference is never a removal.) Returns the
    /// list with the remembered references in place.
    /// </summary>
    public async Task<IReadOnlyList<SubscribedConversation>> RepairReferencesAsync(
        IReadOnlyList<SubscribedConversation> listed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listed);
        if (listed.All(c => c.Reference is not null))
        {
            return listed;
        }

        Dictionary<string, SubscribedConversation> remembered = new(StringComparer.Ordinal);
        foreach (SubscribedConversation before in Volatile.Read(ref _subscriptions))
        {
            if (before.Reference is not null)
            {
                remembered.TryAdd(before.Subscription.ConversationId, before);
            }
        }

        List<SubscribedConversation> repaired = new(listed.Count);
        foreach (SubscribedConversation conversation in listed)
        {
            if (conversation.Reference is null && remembered.TryGetValue(conversation.Subscription.ConversationId, out SubscribedConversation? before))
            {
                await store.UpsertReferenceAsync(before.Reference!, cancellationToken);
                await store.SetValueAsync(conversation.Subscription.ConversationId, ConversationValues.Language, before.Language, cancellationToken);
                LogReferenceRestored(logger, conversation.Subscription.ConversationId);
                repaired.Add(conversation with { Reference = before.Reference, Language = before.Language });
            }
            else
            {
                repaired.Add(conversation);
            }
        }

        return repaired;
    }

    private async Task RestoreSubscriptionsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SubscribedConversation> remembered = Volatile.Read(ref _subscriptions);
        foreach (SubscribedConversation conversation in remembered)
        {
            if (conversation.Reference is { } reference)
            {
                await store.UpsertReferenceAsync(reference, cancellationToken);
            }

            await store.SubscribeAsync(conversation.Subscription, cancellationToken);
            await store.SetValueAsync(conversation.Subscription.ConversationId, ConversationValues.Language, conversation.Language, cancellationToken);
        }

        LogRestored(logger, remembered.Count);
    }

    public void Dispose() => _check.Dispose();

    [LoggerMessage(4010, LogLevel.Critical, "Redis lost the alert pipeline's state (epoch {KnownEpoch} is gone, now {NewEpoch}): putting back the subscriptions and recovering without posting old alerts again")]
    private static partial void LogStateLost(ILogger logger, string knownEpoch, string newEpoch);

    [LoggerMessage(4011, LogLevel.Warning, "Put back {Count} subscriptions after Redis lost its state")]
    private static partial void LogRestored(ILogger logger, int count);

    [LoggerMessage(4012, LogLevel.Warning, "Put back the reference of {ConversationId}: Redis lost it while its subscription stayed")]
    private static partial void LogReferenceRestored(ILogger logger, string conversationId);
}
