using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Digest;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// The open alerts that existed before a conversation subscribed: one summary card when it
/// subscribes, and the alerts themselves page by page when someone asks for them — never a flood.
/// The same card, headed by a notice, follows a loss of the bot's state. The cards of a page are
/// queued like any other (durable, one per alert and conversation), threaded under the summary.
/// Where bulk triage runs, the summary also offers a verdict for every open alert detected more than
/// N days ago (N chosen on the card) when there are such alerts.
/// </summary>
public sealed partial class Backfill(
    IAlertSource source,
    IAlertContextProvider contexts,
    IAlertLedger ledger,
    IAlertWorkStreams work,
    WorkSignal signal,
    ConnectorClient connector,
    ISendOnceLedger once,
    RedisKeys keys,
    AlertCardRenderer renderer,
    Triage.ITriageActionSigner signer,
    CommandAccess access,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<Backfill> logger,
    Triage.Bulk.BulkTriageService? bulk = null) : ISubscriptionListener, ICardActionHandler
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public string Verb => AlertCards.BackfillPageVerb;

    /// <summary>Posts the summary of the open alerts into the subscribing conversation.</summary>
    public async Task OnSubscribedAsync(TurnContext turn, ConversationReference reference, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(texts);
        AlertTexts alertTexts = AlertTexts.For(texts.Language);
        IReadOnlyList<PartnerSecurityAlert> open = await OpenAlertsAsync(cancellationToken);
        AdaptiveCard card = await SummaryAsync(alertTexts, open, reference.ConversationId, nextPage: 1, cancellationToken);
        await turn.ReplyAsync(AlertPublisher.CardActivity(card, card.Speak), cancellationToken);
        LogSummaryPosted(logger, reference.ConversationId, open.Count);
    }

    /// <summary>
    /// The summary's button: queues one page of alert cards under the summary, then updates it. Nothing
    /// is queued unless the button's signature holds for this page in this conversation and the
    /// clicking user may route alerts (<see cref="CommandAccess.RoutingRefusalAsync"/>).
    /// </summary>
    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AlertTexts texts = AlertTexts.For(request.Texts.Language);
        BackfillPageData? data = CardActionInput.Read(request.Data, AlertCardJsonContext.Default.BackfillPageData);
        TurnContext turn = request.Turn;
        string? thread = turn.Activity.Conversation?.Id;
        if (data is not { Page: >= 1, Signature.Length: > 0 } || thread is null || turn.ServiceUrl is null)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        string conversationId = ConversationReference.BaseConversationId(thread);
        if (!signer.Verify(data.Signature, string.Empty, AlertCards.BackfillPageVerb, data.Page, conversationId))
        {
            LogTampered(logger, conversationId, turn.Activity.From?.AadObjectId);
            return AdaptiveCardInvokeResponse.Message(Core.Triage.TriageTexts.For(request.Texts.Language).Tampered);
        }

        if (await access.RoutingRefusalAsync(turn, request.Texts, cancellationToken) is { } refusal)
        {
            return AdaptiveCardInvokeResponse.Message(refusal);
        }

        int page = data.Page;
        AlertPipelineOptions settings = options.Value;
        IReadOnlyList<PartnerSecurityAlert> open = await OpenAlertsAsync(cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        int queued = 0;
        foreach (PartnerSecurityAlert alert in open.Skip((page - 1) * settings.BackfillPageSize).Take(settings.BackfillPageSize))
        {
            // The poller must not post it again, and must keep its card current.
            await work.MarkSeenAsync(alert.Id);
            await ledger.WatchAsync(alert.Id, AlertSnapshot.Of(alert), now, settings.StateRetention);
            await work.EnqueueAsync(AlertWorkItem.Post(alert.Id, conversationId, thread));
            queued++;
        }

        signal.Raise();
        LogPageQueued(logger, conversationId, page, queued);
        return AdaptiveCardInvokeResponse.Card(await SummaryAsync(texts, open, conversationId, page + 1, cancellationToken));
    }

    /// <summary>
    /// After a loss of the bot's state: one card per subscribed conversation (claimed once per epoch)
    /// saying what happened, summing up the open alerts detected before the last complete poll — those
    /// are not posted again unless someone asks — with the button that posts them.
    /// </summary>
    public async Task AnnounceRecoveryAsync(IReadOnlyList<SubscribedConversation> conversations, IReadOnlyList<PartnerSecurityAlert> older, string epochId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        IReadOnlyList<PartnerSecurityAlert> listed = [.. older.OrderByDescending(a => a.Severity).ThenBy(a => a.DetectedDateTime).ThenBy(a => a.Id, StringComparer.Ordinal)];
        foreach (SubscribedConversation conversation in conversations)
        {
            if (conversation.Reference is not { } reference || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
            {
                continue;
            }

            RedisKey key = keys.Notice(reference.ConversationId, "recovery:" + epochId);
            if (await once.TryClaimAsync(key, _instance, TimeSpan.FromMinutes(5)) != SendClaim.Claimed)
            {
                continue;
            }

            try
            {
                AlertTexts texts = AlertTexts.For(conversation.Language);
                AdaptiveCard summary = await SummaryAsync(texts, listed, reference.ConversationId, nextPage: 1, cancellationToken);
                string noticed = TimeZoneInfo.ConvertTime(time.GetUtcNow(), renderer.TimeZone).ToString("yyyy-MM-dd HH:mm (zzz)", System.Globalization.CultureInfo.InvariantCulture);
                var notice = new TextBlock(texts.Format(texts.RecoveryNotice, noticed, listed.Count)) { Id = RecoveryMarkerId, Color = "warning", Weight = "bolder" };
                AdaptiveCard card = summary with { Body = [notice, .. summary.Body] };
                Activity activity = AlertPublisher.CardActivity(card, card.Speak);
                if (AlertPublisher.IsChannel(reference))
                {
                    await connector.CreateConversationAsync(serviceUrl, AlertPublisher.NewThread(reference, activity), SendOptions.Queued, cancellationToken);
                }
                else
                {
                    await connector.SendToConversationAsync(serviceUrl, reference.ConversationId, activity, SendOptions.Queued, cancellationToken);
                }
                await once.ConfirmAsync(key, options.Value.StateRetention);
                LogRecoveryAnnounced(logger, reference.ConversationId, listed.Count);
            }
            catch (Exception e) when (e is RedisException || DeliveryFailures.IsSendFailure(e))
            {
                LogRecoveryNotAnnounced(logger, e, reference.ConversationId);
                if (e is not RedisException && DeliveryFailures.Classify(e) == DeliveryOutcome.NotDelivered)
                {
                    await once.ReleaseAsync(key, _instance);
                }
            }
        }
    }

    /// <summary>The element id that marks the card sent after a loss of the bot's state.</summary>
    public const string RecoveryMarkerId = "tab-recovery";

    private async Task<IReadOnlyList<PartnerSecurityAlert>> OpenAlertsAsync(CancellationToken cancellationToken) =>
        [.. (await source.ListOpenAsync(cancellationToken))
            .OrderByDescending(a => a.Severity)
            .ThenBy(a => a.DetectedDateTime)
            .ThenBy(a => a.Id, StringComparer.Ordinal)];

    private async Task<AdaptiveCard> SummaryAsync(AlertTexts texts, IReadOnlyList<PartnerSecurityAlert> open, string conversationId, int nextPage, CancellationToken cancellationToken)
    {
        // Names for the customers the card lists (the top ones by count); the enrichment is cached.
        Dictionary<string, string> names = new(StringComparer.OrdinalIgnoreCase);
        foreach (PartnerSecurityAlert sample in open
            .Where(a => !string.IsNullOrEmpty(a.CustomerTenantId))
            .GroupBy(a => a.CustomerTenantId!, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .Take(AlertCards.BackfillTopCount)
            .Select(g => g.First()))
        {
            AlertCardContext context = await contexts.GetContextAsync(sample, cancellationToken);
            if (context.CustomerName is { Length: > 0 } name)
            {
                names[sample.CustomerTenantId!] = name;
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        AdaptiveCard card = AlertCards.BackfillSummary(
            texts, open, names, now, renderer.TimeZone, options.Value.BackfillPageSize,
            page => signer.Sign(string.Empty, AlertCards.BackfillPageVerb, page, conversationId),
            nextPage);
        if (bulk is null || !open.Any(a => a.DetectedDateTime is { } detected && detected <= now - TimeSpan.FromDays(Core.Triage.BulkCards.AgeChoices[0])))
        {
            return card;
        }

        IReadOnlyList<CardElement> section = Core.Triage.BulkCards.AgeSection(texts.Language, DefaultAgeDays, verdict => renderer.SignBulk(
            new Core.Triage.BulkActionData { Step = Core.Triage.BulkStep.Propose, Verdict = verdict, Days = 0, Signature = string.Empty }, conversationId));
        return card with { Body = [.. card.Body, .. section] };
    }

    /// <summary>The age the backfill card's bulk section offers first (the daily summary's window).</summary>
    public const int DefaultAgeDays = 60;

    [LoggerMessage(4400, LogLevel.Information, "Posted the backfill summary ({OpenCount} open alerts) to {ConversationId}")]
    private static partial void LogSummaryPosted(ILogger logger, string conversationId, int openCount);

    [LoggerMessage(4401, LogLevel.Information, "Backfill page {Page} for {ConversationId}: {Queued} alert cards queued")]
    private static partial void LogPageQueued(ILogger logger, string conversationId, int page, int queued);

    [LoggerMessage(4402, LogLevel.Warning, "After the state loss, {ConversationId} got the recovery card listing {OpenCount} older open alerts")]
    private static partial void LogRecoveryAnnounced(ILogger logger, string conversationId, int openCount);

    [LoggerMessage(4403, LogLevel.Error, "The recovery card could not be sent to {ConversationId}")]
    private static partial void LogRecoveryNotAnnounced(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(4404, LogLevel.Warning, "Refused a backfill click in {ConversationId} by {ObjectId}: the button's signature does not verify")]
    private static partial void LogTampered(ILogger logger, string conversationId, string? objectId);
}
