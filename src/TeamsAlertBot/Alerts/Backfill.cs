using Microsoft.Extensions.Options;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// The open alerts that existed before a conversation subscribed: one summary card when it
/// subscribes, and the alerts themselves page by page when someone asks for them — never a flood.
/// </summary>
public sealed partial class Backfill(
    IAlertSource source,
    IAlertContextProvider contexts,
    AlertLedger ledger,
    AlertCardRenderer renderer,
    Triage.ITriageActionSigner signer,
    CommandAccess access,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<Backfill> logger) : ISubscriptionListener, ICardActionHandler
{
    private static readonly TimeSpan PostingLock = TimeSpan.FromMinutes(2);

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
    /// The summary's button: posts one page of alert cards under the summary, then updates it. Nothing
    /// is posted unless the button's signature holds for this page in this conversation and the
    /// clicking user may route alerts (<see cref="CommandAccess.RoutingRefusalAsync"/>).
    /// </summary>
    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AlertTexts texts = AlertTexts.For(request.Texts.Language);
        BackfillPageData? data = CardActionInput.Read(request.Data, AlertCardJsonContext.Default.BackfillPageData);
        TurnContext turn = request.Turn;
        string? thread = turn.Activity.Conversation?.Id;
        if (data is not { Page: >= 1, Signature.Length: > 0 } || thread is null || turn.ServiceUrl is not { } serviceUrl)
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
        int posted = 0;
        foreach (PartnerSecurityAlert alert in open.Skip((page - 1) * settings.BackfillPageSize).Take(settings.BackfillPageSize))
        {
            if (await ledger.GetCardAsync(alert.Id, conversationId) is not null
                || !await ledger.TryLockPostingAsync(alert.Id, conversationId, PostingLock))
            {
                continue;
            }

            try
            {
                AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
                (AdaptiveCard card, string summary) = await renderer.RenderAsync(alert, context, texts.Language, conversationId, cardVersion: 1);
                Activity activity = AlertPublisher.CardActivity(card, summary);
                ResourceResponse sent = await turn.Connector.SendToConversationAsync(serviceUrl, thread, activity, cancellationToken);
                await ledger.AddCardAsync(new AlertCardPost
                {
                    AlertId = alert.Id,
                    ConversationId = conversationId,
                    CardConversationId = thread,
                    ActivityId = sent.Id ?? string.Empty,
                    ServiceUrl = serviceUrl.ToString(),
                    PostedAt = now,
                });
                // The poller must not post it again, and must keep its card current.
                await ledger.MarkSeenAsync(alert.Id, settings.SeenRetention);
                await ledger.SetSnapshotAsync(alert.Id, AlertSnapshot.Of(alert), open: true);
                posted++;
            }
            finally
            {
                await ledger.ReleasePostingAsync(alert.Id, conversationId);
            }
        }

        LogPagePosted(logger, conversationId, page, posted);
        return AdaptiveCardInvokeResponse.Card(await SummaryAsync(texts, open, conversationId, page + 1, cancellationToken));
    }

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

        return AlertCards.BackfillSummary(
            texts, open, names, time.GetUtcNow(), renderer.TimeZone, options.Value.BackfillPageSize,
            page => signer.Sign(string.Empty, AlertCards.BackfillPageVerb, page, conversationId),
            nextPage);
    }

    [LoggerMessage(4400, LogLevel.Information, "Posted the backfill summary ({OpenCount} open alerts) to {ConversationId}")]
    private static partial void LogSummaryPosted(ILogger logger, string conversationId, int openCount);

    [LoggerMessage(4401, LogLevel.Information, "Backfill page {Page} for {ConversationId}: {Posted} alert cards posted")]
    private static partial void LogPagePosted(ILogger logger, string conversationId, int page, int posted);

    [LoggerMessage(4402, LogLevel.Warning, "Refused a backfill click in {ConversationId} by {ObjectId}: the button's signature does not verify")]
    private static partial void LogTampered(ILogger logger, string conversationId, string? objectId);
}
