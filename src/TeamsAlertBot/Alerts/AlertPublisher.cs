using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Diagnostics;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>How a piece of work ended.</summary>
public enum WorkOutcome
{
    /// <summary>Nothing left to do (delivered, found delivered, or nowhere to deliver).</summary>
    Done,

    /// <summary>Try again after the backoff.</summary>
    Retry,

    /// <summary>Give up now: a dead letter.</summary>
    GiveUp,
}

/// <summary>How a piece of work ended, and why.</summary>
/// <param name="Outcome">Done, retry or give up.</param>
/// <param name="Reason">Why it is not done.</param>
/// <param name="ConversationFailing">The conversation itself failed (timeouts, 5xx, throttling): its other work waits a little.</param>
/// <param name="Upstream">What failed is a source the work reads (Graph): nothing was sent, and a short wait in place is worth more than a counted retry.</param>
public sealed record WorkResult(WorkOutcome Outcome, string? Reason = null, bool ConversationFailing = false, bool Upstream = false)
{
    public static WorkResult Done { get; } = new(WorkOutcome.Done);
}

/// <summary>The delivery slots a running piece of work holds, so its heartbeat can keep them.</summary>
public sealed class HeldSlots
{
    private readonly ConcurrentDictionary<DeliverySlot, byte> _slots = new();

    public void Add(DeliverySlot slot) => _slots[slot] = 0;

    public void Remove(DeliverySlot slot) => _slots.TryRemove(slot, out _);

    public IReadOnlyCollection<DeliverySlot> Current => [.. _slots.Keys];
}

/// <summary>
/// Puts alert cards into conversations and keeps them current. One card per (alert, conversation):
/// a <see cref="IDeliveryLedger"/> slot records a send before the connector is called. A 2xx is recorded
/// as delivered whatever its body; a refusal is retried; an unknown outcome (timeout, dropped connection,
/// 5xx, a crash) is never simply sent again: the conversation is read back through Graph first, and
/// only where it cannot be read is the card sent once more, saying it may be a repeat — at most once.
/// </summary>
public sealed partial class AlertPublisher(
    IAlertLedger ledger,
    IDeliveryLedger deliveries,
    IAlertWorkStreams work,
    IDeliveryVerifier verifier,
    IAlertSource source,
    IAlertContextProvider contexts,
    IConversationStore conversations,
    ConversationDirectory directory,
    ConnectorClient connector,
    SendRateLimiter limiter,
    AlertCardRenderer renderer,
    IStormOverviewLedger overviews,
    IOptions<AlertPipelineOptions> options,
    IOptions<StormOverviewOptions> overviewOptions,
    IOptions<Bot.AlertBotOptions> botOptions,
    TimeProvider time,
    ILogger<AlertPublisher> logger)
{
    /// <summary>How long reads of one alert are shared by the cards of several conversations.</summary>
    private static readonly TimeSpan ReadSharing = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Lazy<Task<AlertRead>>> _reads = new(StringComparer.Ordinal);

    /// <summary>This instance's name in send records.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private AlertPipelineOptions Settings => options.Value;

    /// <summary>How long a send is held without a heartbeat before another instance may take it over.</summary>
    private TimeSpan Lease => Settings.ReclaimAfter;

    /// <summary>
    /// Posts the card of <paramref name="item"/>'s alert into its conversation, unless it is there.
    /// </summary>
    /// <param name="item">A <see cref="AlertWorkKind.Post"/>.</param>
    /// <param name="lastAttempt">No retry follows: a check that cannot be made counts as "cannot read".</param>
    /// <param name="held">Where the slots this holds are listed for the heartbeat.</param>
    /// <param name="cancellationToken">Stops the work (shutdown).</param>
    public async Task<WorkResult> PostAsync(AlertWorkItem item, bool lastAttempt, HeldSlots held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(held);
        string alertId = item.AlertId!;
        string conversationId = item.ConversationId!;
        SubscribedConversation? subscribed = await directory.FindAsync(conversationId, cancellationToken);
        if (subscribed is null && item.Thread is null)
        {
            LogNotSubscribed(logger, alertId, conversationId);
            return WorkResult.Done;
        }

        ConversationReference? reference = subscribed?.Reference ?? await conversations.GetReferenceAsync(conversationId, cancellationToken);
        if (reference is null || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
        {
            LogNoReference(logger, alertId, conversationId);
            return WorkResult.Done;
        }

        if (item.Thread is null && !IsChannel(reference) && !botOptions.Value.AllowAlertsInChats)
        {
            // A chat subscribed before chats needed TeamsAlertBot:AllowAlertsInChats: no alert data goes there.
            LogChatNotAllowed(logger, alertId, conversationId);
            return WorkResult.Done;
        }

        AlertRead read;
        try
        {
            read = await ReadAsync(alertId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Graph throttles or is away (its circuit open): nothing was sent yet.
            LogReadFailed(logger, e, alertId);
            return new WorkResult(WorkOutcome.Retry, "reading the alert from Graph failed: " + e.Message, Upstream: true);
        }

        if (read.Alert is not { } alert)
        {
            LogAlertGone(logger, alertId);
            return WorkResult.Done;
        }

        string language = subscribed?.Language
            ?? await conversations.GetLanguageAsync(conversationId, botOptions.Value.DefaultLanguage, cancellationToken);
        var delivery = new Delivery(item, reference, serviceUrl, alert, read.Context, language, lastAttempt, held);
        string? thread = item.Thread;
        StormThread? storm = null;
        if (thread is null && IsChannel(reference) && item.Storm && alert.CustomerTenantId is { Length: > 0 })
        {
            (storm, WorkResult? wait) = await EnsureStormAsync(delivery, cancellationToken);
            if (wait is not null)
            {
                return wait;
            }

            thread = storm?.ThreadConversationId;
        }

        WorkResult posted = await PostCardAsync(delivery, thread, cancellationToken);
        if (posted.Outcome == WorkOutcome.Done)
        {
            await NoteStormAsync(delivery, storm);
        }

        return posted;
    }

    /// <summary>
    /// A card of the customer's went out: its storm cards are due for a re-render (debounced). The storm
    /// this card was threaded under is registered first, so its card is kept current from now on.
    /// </summary>
    private async Task NoteStormAsync(Delivery delivery, StormThread? storm)
    {
        if (delivery.Alert.CustomerTenantId is not { Length: > 0 } customer)
        {
            return;
        }

        DateTimeOffset due = time.GetUtcNow() + overviewOptions.Value.EditInterval;
        try
        {
            if (storm is { RootActivityId.Length: > 0 })
            {
                AlertCardContext context = delivery.Context;
                await overviews.RegisterAsync(
                    new StormRoot(
                        customer, context.CustomerName ?? context.CustomerDomain ?? customer, delivery.Reference.ConversationId, storm.ThreadConversationId,
                        storm.RootActivityId, delivery.Reference.ServiceUrl, delivery.Language, storm.StartedAt),
                    due);
            }
            else
            {
                await overviews.MarkAsync(customer, due);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The card is out; its storm card catches up at the next change.
            LogStormMarkFailed(logger, e, customer);
        }
    }

    /// <summary>The alert changed: its customer's storm cards are due for a re-render (debounced).</summary>
    private async Task MarkStormsAsync(PartnerSecurityAlert alert)
    {
        if (alert.CustomerTenantId is not { Length: > 0 } customer)
        {
            return;
        }

        try
        {
            await overviews.MarkAsync(customer, time.GetUtcNow() + overviewOptions.Value.EditInterval);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStormMarkFailed(logger, e, customer);
        }
    }

    /// <summary>Re-renders every card of the alert from its current state (for everyone, by PUT).</summary>
    public Task<WorkResult> UpdateAsync(string alertId, CancellationToken cancellationToken) => UpdateAsync(alertId, lowPriority: false, cancellationToken);

    /// <inheritdoc cref="UpdateAsync(string, CancellationToken)"/>
    /// <param name="alertId">The alert.</param>
    /// <param name="lowPriority">A bulk run's edit: it yields to every other send of the conversation.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<WorkResult> UpdateAsync(string alertId, bool lowPriority, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert? alert;
        try
        {
            alert = await source.GetAsync(alertId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(logger, e, alertId);
            return new WorkResult(WorkOutcome.Retry, "reading the alert from Graph failed: " + e.Message, Upstream: true);
        }

        if (alert is null)
        {
            LogAlertGone(logger, alertId);
            await ledger.UnwatchAsync(alertId);
            return WorkResult.Done;
        }

        _reads.TryRemove(alertId, out _);
        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        string? failure = null;
        foreach (AlertCardPost card in await ledger.ListCardsAsync(alert.Id))
        {
            if (ServiceUrlPolicy.TryParseServiceUrl(card.ServiceUrl) is not { } serviceUrl)
            {
                continue;
            }

            AlertCardPost target = card;
            if (string.IsNullOrEmpty(card.ActivityId))
            {
                // The connector accepted the card without saying its id: look it up to edit it.
                if (await FindPostedIdAsync(card, cancellationToken) is not { } found)
                {
                    continue;
                }

                target = found;
            }

            try
            {
                string language = await conversations.GetLanguageAsync(target.ConversationId, botOptions.Value.DefaultLanguage, cancellationToken);
                int version = target.Version + 1;
                (AdaptiveCard rendered, string summary) = await renderer.RenderAsync(alert, context, language, target.ConversationId, version);
                await connector.UpdateActivityAsync(
                    serviceUrl, target.CardConversationId, target.ActivityId, CardActivity(rendered, summary), lowPriority ? SendOptions.LowPriority : SendOptions.Default, cancellationToken);
                await ledger.SetCardAsync(target with { Version = version }, Settings.StateRetention);
                LogUpdated(logger, alert.Id, target.ConversationId, version);
            }
            catch (ConnectorException e) when (e.IsConversationGone)
            {
                LogConversationGone(logger, e, target.ConversationId);
            }
            catch (Exception e) when (DeliveryFailures.IsSendFailure(e))
            {
                LogEditFailed(logger, e, alert.Id, target.ConversationId);
                failure = e.Message;
            }
        }

        await MarkStormsAsync(alert);
        if (failure is not null)
        {
            return new WorkResult(WorkOutcome.Retry, failure);
        }

        await ledger.SetSnapshotAsync(alert.Id, AlertSnapshot.Of(alert), alert.IsOpen, time.GetUtcNow(), Settings.StateRetention);
        return WorkResult.Done;
    }

    /// <summary>A plain reply in the thread of an alert's card.</summary>
    public Task<ResourceResponse> ReplyInThreadAsync(Uri serviceUrl, AlertCardPost card, string markdown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        return connector.SendToConversationAsync(
            serviceUrl,
            card.CardConversationId,
            new Activity { Type = ActivityTypes.Message, Text = markdown, TextFormat = "markdown" },
            cancellationToken);
    }

    /// <summary>A message carrying one card (no text, so Teams and emulators keep it one message).</summary>
    public static Activity CardActivity(AdaptiveCard card, string? summary) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };

    /// <summary>The parameters of a new channel thread whose root is <paramref name="activity"/>.</summary>
    internal static ConversationParameters NewThread(ConversationReference reference, Activity activity) => new()
    {
        IsGroup = true,
        Bot = reference.BotId is null ? null : new ChannelAccount { Id = reference.BotId, Name = reference.BotName },
        TenantId = reference.TenantId,
        Activity = activity,
        ChannelData = new TeamsChannelData
        {
            Channel = new ChannelInfo { Id = reference.ConversationId },
            Tenant = reference.TenantId is null ? null : new TenantInfo { Id = reference.TenantId },
        },
    };

    /// <summary>True for a Teams channel (posts start a new thread there).</summary>
    internal static bool IsChannel(ConversationReference reference) => reference.ConversationType == "channel";

    private async Task<WorkResult> PostCardAsync(Delivery delivery, string? thread, CancellationToken cancellationToken)
    {
        (AlertWorkItem item, ConversationReference reference, _, PartnerSecurityAlert alert, _, _, _, HeldSlots held) = delivery;
        string target = thread ?? reference.ConversationId;
        DeliverySlot slot = ledger.CardSlot(alert.Id, reference.ConversationId);

        // The send slot first: a send is recorded as started only right before its request goes out,
        // so a crash while it waits for Teams' limits leaves no copy that never was.
        await limiter.AcquireAsync(target, Timeout.InfiniteTimeSpan, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        DeliveryBegin begin = await deliveries.BeginAsync(slot, InstanceId, now, Lease, Settings.StateRetention, target);
        switch (begin.Start)
        {
            case DeliveryStart.Delivered:
                return WorkResult.Done;
            case DeliveryStart.Busy:
                return new WorkResult(WorkOutcome.Retry, "another instance is posting this card");
        }

        held.Add(slot);
        try
        {
            string marker = AlertCards.MarkerId(alert.Id);
            bool repeat = false;
            if (begin.Start == DeliveryStart.Unsettled || item.Verify)
            {
                SendRecord send = begin.Send!;
                bool earlierSend = begin.Start == DeliveryStart.Unsettled;
                DateTimeOffset since = earlierSend ? DateTimeOffset.FromUnixTimeMilliseconds(send.StartedAt) : now - Settings.StateRetention;
                Resolution resolution = await ResolveAsync(delivery, slot, earlierSend ? send.Target ?? target : target, marker, since, earlierSend ? send.Copies : 0, Settings.StateRetention,
                    found => AlertStateJson.Serialize(Posted(delivery, FoundTarget(send.Target ?? target, found, reference), found, now)), cancellationToken);
                switch (resolution)
                {
                    case Resolution.Delivered:
                        return WorkResult.Done;
                    case Resolution.Wait:
                        return new WorkResult(WorkOutcome.Retry, "could not check the conversation for an earlier post yet");
                    case Resolution.GiveUp:
                        return new WorkResult(WorkOutcome.GiveUp, "Teams did not confirm two posts of this card and the conversation cannot be read; not posted a third time");
                    case Resolution.SendMarked:
                        repeat = true;
                        break;
                }

                if (earlierSend && !await deliveries.SendAgainAsync(slot, InstanceId, time.GetUtcNow(), target))
                {
                    return new WorkResult(WorkOutcome.Retry, "another instance took the card over");
                }
            }

            AdaptiveCard card;
            string summary;
            try
            {
                KnownRecords records = KnownRecords.Parse(begin.Extra.ElementAtOrDefault(0), begin.Extra.ElementAtOrDefault(1));
                (card, summary) = await renderer.RenderAsync(
                    alert, delivery.Context, delivery.Language, reference.ConversationId, cardVersion: 1, known: records, possibleRepeat: repeat);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing was sent: the copy counted for this send is taken back.
                await deliveries.FailedAsync(slot, InstanceId, DeliveryOutcome.NotDelivered);
                throw;
            }

            return await SendAsync(
                new Send(slot, reference.ConversationId, alert.Id, Settings.StateRetention, repeat, AlertSnapshot.Of(alert), alert.DetectedDateTime),
                () => SendCardAsync(delivery, thread, CardActivity(card, summary), cancellationToken),
                (id, conversation) => AlertStateJson.Serialize(Posted(delivery, conversation, id, time.GetUtcNow())));
        }
        finally
        {
            held.Remove(slot);
        }
    }

    /// <summary>What to do about a send whose outcome is unknown (or state that was lost).</summary>
    private enum Resolution
    {
        /// <summary>Nothing was there: send as usual.</summary>
        Send,

        /// <summary>The conversation cannot be read and no repeat was sent yet: send once more, marked.</summary>
        SendMarked,

        /// <summary>Found: recorded as delivered.</summary>
        Delivered,

        /// <summary>The check could not be made now: retry later.</summary>
        Wait,

        /// <summary>Two unknown sends and nothing can be checked: stop.</summary>
        GiveUp,
    }

    /// <summary>
    /// Looks for an earlier copy in the conversation and decides. <paramref name="copies"/> counts the
    /// earlier sends that may have delivered one (0 when the state that would say was lost).
    /// </summary>
    private async Task<Resolution> ResolveAsync(
        Delivery delivery, DeliverySlot slot, string target, string marker, DateTimeOffset since, int copies, TimeSpan retention, Func<string, string> delivered, CancellationToken cancellationToken)
    {
        DeliveryCheckResult check = await verifier.FindAsync(delivery.Reference, target, marker, since, cancellationToken);
        if (check.Outcome == DeliveryCheck.Unavailable && delivery.LastAttempt)
        {
            check = check with { Outcome = DeliveryCheck.Unreadable };
        }

        switch (check.Outcome)
        {
            case DeliveryCheck.Found:
                await RecordDeliveredAsync(slot, delivered(check.MessageId!), retention);
                LogFoundDelivered(logger, delivery.Item.AlertId ?? marker, delivery.Reference.ConversationId);
                return Resolution.Delivered;
            case DeliveryCheck.Absent:
                if (copies > 0)
                {
                    await deliveries.AbsentAsync(slot, InstanceId, copies);
                }

                return Resolution.Send;
            case DeliveryCheck.Unavailable:
                await deliveries.ReleaseAsync(slot, InstanceId);
                return Resolution.Wait;
            default:
                if (copies >= 2)
                {
                    await deliveries.ReleaseAsync(slot, InstanceId);
                    return Resolution.GiveUp;
                }

                return Resolution.SendMarked;
        }
    }

    /// <summary>
    /// One send: its slot, where it goes, what it is (for the log), how long its record lives, whether it is
    /// a marked repeat, and the state it shows (an alert card's: when the alert changed while it was on
    /// its way, it is edited at once).
    /// </summary>
    private sealed record Send(DeliverySlot Slot, string ConversationId, string Subject, TimeSpan Retention, bool Repeat, AlertSnapshot? Shows = null, DateTimeOffset? DetectedAt = null);

    /// <summary>
    /// One send through the connector and what it means for the slot: a 2xx is recorded as delivered
    /// (the record is retried while Redis is away); a refusal takes the copy back; an unknown outcome keeps it.
    /// </summary>
    private async Task<WorkResult> SendAsync(Send what, Func<Task<(string Id, string Conversation)>> send, Func<string, string, string> delivered)
    {
        (DeliverySlot slot, string conversationId, string subject, TimeSpan retention, bool repeat, AlertSnapshot? shows, DateTimeOffset? detectedAt) = what;
        (string Id, string Conversation) sent;
        try
        {
            sent = await send();
        }

        catch (ConnectorException e) when (e.IsConversationGone)
        {
            // Removed from the team or blocked: nothing to retry until someone subscribes again.
            await deliveries.FailedAsync(slot, InstanceId, DeliveryOutcome.NotDelivered);
            LogConversationGone(logger, e, conversationId);
            return WorkResult.Done;
        }
        catch (Exception e) when (DeliveryFailures.IsSendFailure(e))
        {
            DeliveryOutcome outcome = DeliveryFailures.Classify(e);
            await deliveries.FailedAsync(slot, InstanceId, outcome);
            LogPostFailed(logger, e, subject, conversationId, outcome);
            if (outcome == DeliveryOutcome.Ambiguous)
            {
                BotTelemetry.AmbiguousSends.Add(1);
            }

            bool conversationFailing = e is not ConnectorException { StatusCode: { } status } || (int)status is 429 or >= 500;
            return new WorkResult(WorkOutcome.Retry, $"{outcome}: {e.Message}", conversationFailing);
        }

        string? now = await RecordDeliveredAsync(slot, delivered(sent.Id, sent.Conversation), retention);
        if (shows is not null && AlertStateJson.ParseSnapshot(now) is { } current && current != shows)
        {
            // The alert changed (and its cards were edited) while this card was on its way: edit it too.
            await work.EnqueueAsync(AlertWorkItem.Update(subject));
        }

        if (detectedAt is { } detected)
        {
            BotTelemetry.TimeToCard.Record((time.GetUtcNow() - detected).TotalSeconds);
        }

        if (repeat)
        {
            LogPostedAgain(logger, subject, conversationId);
            BotTelemetry.MarkedRepeats.Add(1);
        }
        else
        {
            LogPosted(logger, subject, conversationId);
        }

        return WorkResult.Done;
    }

    /// <summary>
    /// Records a delivery. The message is in the conversation, so the record must not be lost to a
    /// Redis blip (the card would be posted again): the write is retried for a while before giving up,
    /// and even then the send record left behind makes the next attempt look before it posts.
    /// </summary>
    private async Task<string?> RecordDeliveredAsync(DeliverySlot slot, string json, TimeSpan retention)
    {
        TimeSpan wait = TimeSpan.FromMilliseconds(250);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await deliveries.DeliveredAsync(slot, InstanceId, json, retention);
            }
            catch (Exception e) when (e is RedisException or TimeoutException && attempt < 8)
            {
                LogRecordRetry(logger, e, slot.ConversationId, attempt);
                await Task.Delay(wait, time);
                wait *= 2;
            }
        }
    }

    private TimeSpan StormRetention => Settings.StormWindow + Settings.StormWindow;

    private async Task<(string Id, string Conversation)> SendCardAsync(Delivery delivery, string? thread, Activity activity, CancellationToken cancellationToken)
    {
        ConversationReference reference = delivery.Reference;
        if (thread is null && IsChannel(reference))
        {
            // A new thread in the channel: later updates, replies and storms refer to it.
            ConversationResourceResponse created = await connector.CreateConversationAsync(delivery.ServiceUrl, NewThread(reference, activity), SendOptions.Reserved, cancellationToken);
            string id = created.ActivityId ?? string.Empty;
            return (id, created.Id ?? (id.Length > 0 ? $"{reference.ConversationId};messageid={id}" : reference.ConversationId));
        }

        string into = thread ?? reference.ConversationId;
        ResourceResponse sent = await connector.SendToConversationAsync(delivery.ServiceUrl, into, activity, SendOptions.Reserved, cancellationToken);
        return (sent.Id ?? string.Empty, into);
    }

    private static AlertCardPost Posted(Delivery delivery, string cardConversationId, string activityId, DateTimeOffset now) => new()
    {
        AlertId = delivery.Alert.Id,
        ConversationId = delivery.Reference.ConversationId,
        CardConversationId = cardConversationId,
        ActivityId = activityId,
        ServiceUrl = delivery.Reference.ServiceUrl,
        PostedAt = now,
    };

    /// <summary>The conversation a found message is in: its thread, or a new thread it started.</summary>
    private static string FoundTarget(string target, string messageId, ConversationReference reference) =>
        target.Contains(";messageid=", StringComparison.OrdinalIgnoreCase) || !IsChannel(reference)
            ? target
            : $"{ConversationReference.BaseConversationId(target)};messageid={messageId}";

    /// <summary>
    /// The customer's storm thread in the conversation, started once across instances (its root is a
    /// delivery slot of its own). Null when there is none to use (the card then starts its own thread);
    /// a retry result when another instance is starting it or the start failed.
    /// </summary>
    private async Task<(StormThread? Storm, WorkResult? Wait)> EnsureStormAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        (_, ConversationReference reference, Uri serviceUrl, PartnerSecurityAlert alert, AlertCardContext context, string language, _, HeldSlots held) = delivery;
        AlertPipelineOptions settings = Settings;
        string customer = alert.CustomerTenantId!;
        DateTimeOffset now = time.GetUtcNow();
        if (await ledger.GetStormAsync(customer, reference.ConversationId, now, settings.StormWindow) is { } existing)
        {
            return (existing, null);
        }

        DeliverySlot slot = ledger.StormSlot(customer, reference.ConversationId);
        await limiter.AcquireAsync(reference.ConversationId, Timeout.InfiniteTimeSpan, cancellationToken);
        DeliveryBegin begin = await deliveries.BeginAsync(slot, InstanceId, now, Lease, StormRetention, reference.ConversationId);
        if (begin.Start is DeliveryStart.Delivered or DeliveryStart.Busy)
        {
            // Another instance is starting it: its root is usually there within moments.
            for (int i = 0; i < 20; i++)
            {
                if (await ledger.GetStormAsync(customer, reference.ConversationId, time.GetUtcNow(), settings.StormWindow) is { } started)
                {
                    return (started, null);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(150), time, cancellationToken);
            }

            return (null, new WorkResult(WorkOutcome.Retry, "another instance is starting the storm thread"));
        }

        held.Add(slot);
        try
        {
            string marker = StormCards.MarkerId(customer);
            bool repeat = false;
            if (begin.Start == DeliveryStart.Unsettled)
            {
                SendRecord send = begin.Send!;
                Resolution resolution = await ResolveAsync(
                    delivery, slot, send.Target ?? reference.ConversationId, marker, DateTimeOffset.FromUnixTimeMilliseconds(send.StartedAt), send.Copies, StormRetention,
                    found => AlertStateJson.Serialize(new StormThread(reference.ConversationId, $"{reference.ConversationId};messageid={found}", found, now)),
                    cancellationToken);
                switch (resolution)
                {
                    case Resolution.Delivered:
                        return (await ledger.GetStormAsync(customer, reference.ConversationId, time.GetUtcNow(), settings.StormWindow), null);
                    case Resolution.Wait:
                        return (null, new WorkResult(WorkOutcome.Retry, "could not check the conversation for an earlier storm thread yet"));
                    case Resolution.GiveUp:
                        return (null, null);
                    case Resolution.SendMarked:
                        repeat = true;
                        break;
                }

                if (!await deliveries.SendAgainAsync(slot, InstanceId, time.GetUtcNow(), reference.ConversationId))
                {
                    return (null, new WorkResult(WorkOutcome.Retry, "another instance took the storm thread over"));
                }
            }

            AdaptiveCard root = renderer.StormRoot(language, customer, context.CustomerName ?? context.CustomerDomain ?? customer, reference.ConversationId, now);
            WorkResult result = await SendAsync(
                new Send(slot, reference.ConversationId, marker, StormRetention, repeat),
                async () =>
                {
                    ConversationResourceResponse created = await connector.CreateConversationAsync(
                        serviceUrl, NewThread(reference, CardActivity(root, root.Speak)), SendOptions.Reserved, cancellationToken);
                    string id = created.ActivityId ?? string.Empty;
                    return (id, created.Id ?? $"{reference.ConversationId};messageid={id}");
                },
                (id, thread) => AlertStateJson.Serialize(new StormThread(reference.ConversationId, thread, id, now)));
            if (result.Outcome != WorkOutcome.Done)
            {
                return (null, result);
            }

            LogStormStarted(logger, customer, reference.ConversationId);
            return (await ledger.GetStormAsync(customer, reference.ConversationId, time.GetUtcNow(), settings.StormWindow), null);
        }
        finally
        {
            held.Remove(slot);
        }
    }

    /// <summary>The id of a card whose send answered 2xx without one, read back from the conversation.</summary>
    private async Task<AlertCardPost?> FindPostedIdAsync(AlertCardPost card, CancellationToken cancellationToken)
    {
        ConversationReference? reference = await conversations.GetReferenceAsync(card.ConversationId, cancellationToken);
        if (reference is null)
        {
            return null;
        }

        DeliveryCheckResult check = await verifier.FindAsync(reference, card.CardConversationId, AlertCards.MarkerId(card.AlertId), card.PostedAt, cancellationToken);
        if (check is not { Outcome: DeliveryCheck.Found, MessageId: { } id })
        {
            return null;
        }

        AlertCardPost found = card with { ActivityId = id, CardConversationId = FoundTarget(card.CardConversationId, id, reference) };
        await ledger.SetCardAsync(found, Settings.StateRetention);
        return found;
    }

    /// <summary>
    /// The alert and its context, shared by the cards of several
    /// conversations for a few seconds (one Graph read and one enrichment per alert, not per card).
    /// </summary>
    private async Task<AlertRead> ReadAsync(string alertId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        Lazy<Task<AlertRead>> read = _reads.GetOrAdd(alertId, id => new Lazy<Task<AlertRead>>(() => ReadNowAsync(id, now, cancellationToken)));
        try
        {
            AlertRead value = await read.Value;
            if (now - value.At <= ReadSharing)
            {
                return value;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _reads.TryRemove(KeyValuePair.Create(alertId, read));
            throw;
        }

        _reads.TryRemove(KeyValuePair.Create(alertId, read));
        return await ReadAsync(alertId, cancellationToken);
    }

    private async Task<AlertRead> ReadNowAsync(string alertId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Forget reads that are done and old, so the map holds only alerts of the last few seconds.
        foreach ((string id, Lazy<Task<AlertRead>> old) in _reads)
        {
            if (old.IsValueCreated && old.Value.IsCompleted && (!old.Value.IsCompletedSuccessfully || now - (await old.Value).At > ReadSharing))
            {
                _reads.TryRemove(KeyValuePair.Create(id, old));
            }
        }

        PartnerSecurityAlert? alert = await source.GetAsync(alertId, cancellationToken);
        if (alert is null)
        {
            return new AlertRead(null, AlertCardContext.None, now);
        }

        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        return new AlertRead(alert, context, now);
    }

    private sealed record AlertRead(PartnerSecurityAlert? Alert, AlertCardContext Context, DateTimeOffset At);

    private sealed record Delivery(
        AlertWorkItem Item,
        ConversationReference Reference,
        Uri ServiceUrl,
        PartnerSecurityAlert Alert,
        AlertCardContext Context,
        string Language,
        bool LastAttempt,
        HeldSlots Held);

    [LoggerMessage(4100, LogLevel.Information, "Posted {Subject} to {ConversationId}")]
    private static partial void LogPosted(ILogger logger, string subject, string conversationId);

    [LoggerMessage(4101, LogLevel.Information, "Updated alert {AlertId}'s card in {ConversationId} to version {Version}")]
    private static partial void LogUpdated(ILogger logger, string alertId, string conversationId, int version);

    [LoggerMessage(4102, LogLevel.Warning, "Alert {AlertId} no longer exists in Graph")]
    private static partial void LogAlertGone(ILogger logger, string alertId);

    [LoggerMessage(4103, LogLevel.Warning, "The bot can no longer post to {ConversationId}")]
    private static partial void LogConversationGone(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(4104, LogLevel.Warning, "Posting {Subject} to {ConversationId} failed ({Outcome}); it will be retried")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string subject, string conversationId, DeliveryOutcome outcome);

    [LoggerMessage(4105, LogLevel.Information, "Alert storm for customer {CustomerTenantId}: alerts are threaded in {ConversationId}")]
    private static partial void LogStormStarted(ILogger logger, string customerTenantId, string conversationId);

    [LoggerMessage(4106, LogLevel.Information, "Alert {AlertId} is not posted to {ConversationId}: the conversation is no longer subscribed")]
    private static partial void LogNotSubscribed(ILogger logger, string alertId, string conversationId);

    [LoggerMessage(4107, LogLevel.Warning, "Alert {AlertId} is not posted to {ConversationId}: the bot has no usable reference to it")]
    private static partial void LogNoReference(ILogger logger, string alertId, string conversationId);

    [LoggerMessage(4111, LogLevel.Warning, "Alert {AlertId} is not posted to the chat {ConversationId}: TeamsAlertBot:AllowAlertsInChats is off")]
    private static partial void LogChatNotAllowed(ILogger logger, string alertId, string conversationId);

    [LoggerMessage(4108, LogLevel.Warning, "Editing alert {AlertId}'s card in {ConversationId} failed; it will be retried")]
    private static partial void LogEditFailed(ILogger logger, Exception exception, string alertId, string conversationId);

    [LoggerMessage(4109, LogLevel.Warning, "Recording a delivery in {ConversationId} failed (attempt {Attempt}); trying again")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, string conversationId, int attempt);

    [LoggerMessage(4110, LogLevel.Warning, "Reading alert {AlertId} from Graph failed; its card waits")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string alertId);

    [LoggerMessage(4130, LogLevel.Warning, "{Subject} posted again to {ConversationId}: an earlier send's outcome was unknown and the conversation cannot be read; the card says it may be a repeat")]
    private static partial void LogPostedAgain(ILogger logger, string subject, string conversationId);

    [LoggerMessage(6010, LogLevel.Warning, "Marking the storm cards of customer {CustomerTenantId} for a re-render failed; they catch up at the next change")]
    private static partial void LogStormMarkFailed(ILogger logger, Exception exception, string customerTenantId);

    [LoggerMessage(4131, LogLevel.Information, "{Subject} was found in {ConversationId} after a send without a clear answer; recorded, not posted again")]
    private static partial void LogFoundDelivered(ILogger logger, string subject, string conversationId);
}
