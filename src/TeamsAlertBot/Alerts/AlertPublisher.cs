using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Puts alert cards into the subscribed conversations and keeps them current. Each (alert,
/// conversation) gets one card: the card record is checked before and written right after the
/// connector accepts the post, under a short per-pair lock.
/// </summary>
public sealed partial class AlertPublisher(
    AlertLedger ledger,
    IAlertSource source,
    IAlertContextProvider contexts,
    IConversationStore conversations,
    ConnectorClient connector,
    AlertCardRenderer renderer,
    IOptions<AlertPipelineOptions> options,
    IOptions<Bot.AlertBotOptions> botOptions,
    TimeProvider time,
    ILogger<AlertPublisher> logger)
{
    private static readonly TimeSpan PostingLock = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Posts the alert's card to every subscribed conversation that lacks it. True when nothing is
    /// left to do (the work item may be acknowledged); false when some conversation must be retried.
    /// </summary>
    public async Task<bool> PostAsync(string alertId, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert? alert = await source.GetAsync(alertId, cancellationToken);
        if (alert is null)
        {
            LogAlertGone(logger, alertId);
            return true;
        }

        AlertPipelineOptions settings = options.Value;
        DateTimeOffset now = time.GetUtcNow();
        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        bool storm = alert.CustomerTenantId is { Length: > 0 } customer
            && await ledger.CountRecentAsync(customer, alert.Id, now, settings.StormWindow) > settings.StormThreshold;

        bool complete = true;
        foreach (ChannelSubscription subscription in await conversations.ListSubscriptionsAsync(cancellationToken))
        {
            string conversationId = subscription.ConversationId;
            if (await ledger.GetCardAsync(alert.Id, conversationId) is not null)
            {
                continue;
            }

            ConversationReference? reference = await conversations.GetReferenceAsync(conversationId, cancellationToken);
            if (reference is null || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
            {
                continue;
            }

            if (!await ledger.TryLockPostingAsync(alert.Id, conversationId, PostingLock))
            {
                complete = false;
                continue;
            }

            try
            {
                AlertTexts texts = await TextsForAsync(conversationId, cancellationToken);
                (AdaptiveCard card, string summary) = await renderer.RenderAsync(alert, context, texts.Language, conversationId, cardVersion: 1);
                Activity activity = CardActivity(card, summary);
                AlertCardPost post = storm && IsChannel(reference)
                    ? await PostInStormThreadAsync(reference, serviceUrl, alert, context, texts, activity, now, cancellationToken)
                    : await PostNewAsync(reference, serviceUrl, alert.Id, activity, now, cancellationToken);
                await ledger.AddCardAsync(post);
                LogPosted(logger, alert.Id, conversationId);
            }
            catch (ConnectorException e) when (e.IsConversationGone)
            {
                // Removed from the team or blocked: nothing to retry until someone subscribes again.
                LogConversationGone(logger, e, conversationId);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException or ServiceUrlNotAllowedException)
            {
                LogPostFailed(logger, e, alert.Id, conversationId);
                complete = false;
            }
            finally
            {
                await ledger.ReleasePostingAsync(alert.Id, conversationId);
            }
        }

        await ledger.SetSnapshotAsync(alert.Id, AlertSnapshot.Of(alert), alert.IsOpen);
        return complete;
    }

    /// <summary>Re-renders every card of the alert from its current state (for everyone, by PUT).</summary>
    public async Task<bool> UpdateAsync(string alertId, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert? alert = await source.GetAsync(alertId, cancellationToken);
        if (alert is null)
        {
            LogAlertGone(logger, alertId);
            return true;
        }

        DateTimeOffset now = time.GetUtcNow();
        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        bool complete = true;
        foreach (AlertCardPost card in await ledger.ListCardsAsync(alert.Id))
        {
            if (string.IsNullOrEmpty(card.ActivityId) || ServiceUrlPolicy.TryParseServiceUrl(card.ServiceUrl) is not { } serviceUrl)
            {
                continue;
            }

            try
            {
                AlertTexts texts = await TextsForAsync(card.ConversationId, cancellationToken);
                int version = card.Version + 1;
                (AdaptiveCard rendered, string summary) = await renderer.RenderAsync(alert, context, texts.Language, card.ConversationId, version);
                Activity activity = CardActivity(rendered, summary);
                await connector.UpdateActivityAsync(serviceUrl, card.CardConversationId, card.ActivityId, activity, cancellationToken);
                await ledger.SetCardAsync(card with { Version = version });
                LogUpdated(logger, alert.Id, card.ConversationId, version);
            }
            catch (ConnectorException e) when (e.IsConversationGone)
            {
                LogConversationGone(logger, e, card.ConversationId);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException or ServiceUrlNotAllowedException)
            {
                LogPostFailed(logger, e, alert.Id, card.ConversationId);
                complete = false;
            }
        }

        if (complete)
        {
            await ledger.SetSnapshotAsync(alert.Id, AlertSnapshot.Of(alert), alert.IsOpen);
        }

        return complete;
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

    private async Task<AlertCardPost> PostNewAsync(
        ConversationReference reference, Uri serviceUrl, string alertId, Activity activity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (IsChannel(reference))
        {
            // A new thread in the channel: later updates, replies and storms refer to it.
            ConversationResourceResponse thread = await connector.CreateConversationAsync(serviceUrl, NewThread(reference, activity), cancellationToken);
            return new AlertCardPost
            {
                AlertId = alertId,
                ConversationId = reference.ConversationId,
                CardConversationId = thread.Id ?? reference.ConversationId,
                ActivityId = thread.ActivityId ?? string.Empty,
                ServiceUrl = reference.ServiceUrl,
                PostedAt = now,
            };
        }

        ResourceResponse sent = await connector.SendToConversationAsync(serviceUrl, reference.ConversationId, activity, cancellationToken);
        return new AlertCardPost
        {
            AlertId = alertId,
            ConversationId = reference.ConversationId,
            CardConversationId = reference.ConversationId,
            ActivityId = sent.Id ?? string.Empty,
            ServiceUrl = reference.ServiceUrl,
            PostedAt = now,
        };
    }

    private async Task<AlertCardPost> PostInStormThreadAsync(
        ConversationReference reference, Uri serviceUrl, PartnerSecurityAlert alert, AlertCardContext context, AlertTexts texts,
        Activity activity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        AlertPipelineOptions settings = options.Value;
        string customer = alert.CustomerTenantId!;
        StormThread? storm = await ledger.GetStormAsync(customer, reference.ConversationId, now, settings.StormWindow);
        if (storm is null)
        {
            AdaptiveCard root = StormCards.Root(
                StormTexts.For(texts.Language), context.CustomerName ?? context.CustomerDomain ?? customer, settings.StormThreshold, settings.StormWindow, now, renderer.TimeZone);
            ConversationResourceResponse thread = await connector.CreateConversationAsync(
                serviceUrl, NewThread(reference, CardActivity(root, root.Speak)), cancellationToken);
            storm = new StormThread(reference.ConversationId, thread.Id ?? reference.ConversationId, thread.ActivityId ?? string.Empty, now);
            await ledger.SetStormAsync(customer, storm, settings.StormWindow);
            LogStormStarted(logger, customer, reference.ConversationId);
        }

        ResourceResponse sent = await connector.SendToConversationAsync(serviceUrl, storm.ThreadConversationId, activity, cancellationToken);
        return new AlertCardPost
        {
            AlertId = alert.Id,
            ConversationId = reference.ConversationId,
            CardConversationId = storm.ThreadConversationId,
            ActivityId = sent.Id ?? string.Empty,
            ServiceUrl = reference.ServiceUrl,
            PostedAt = now,
        };
    }

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

    /// <summary>A message carrying one card (no text, so Teams and emulators keep it one message).</summary>
    public static Activity CardActivity(AdaptiveCard card, string? summary) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };

    private async Task<AlertTexts> TextsForAsync(string conversationId, CancellationToken cancellationToken)
    {
        string? language = null;
        try
        {
            language = await conversations.GetValueAsync(conversationId, ConversationValues.Language, cancellationToken);
        }
        catch (RedisException e)
        {
            LogLanguageUnknown(logger, e, conversationId);
        }

        return AlertTexts.For(language ?? botOptions.Value.DefaultLanguage);
    }

    [LoggerMessage(4100, LogLevel.Information, "Posted alert {AlertId} to {ConversationId}")]
    private static partial void LogPosted(ILogger logger, string alertId, string conversationId);

    [LoggerMessage(4101, LogLevel.Information, "Updated alert {AlertId}'s card in {ConversationId} to version {Version}")]
    private static partial void LogUpdated(ILogger logger, string alertId, string conversationId, int version);

    [LoggerMessage(4102, LogLevel.Warning, "Alert {AlertId} no longer exists in Graph")]
    private static partial void LogAlertGone(ILogger logger, string alertId);

    [LoggerMessage(4103, LogLevel.Warning, "The bot can no longer post to {ConversationId}")]
    private static partial void LogConversationGone(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(4104, LogLevel.Error, "Posting alert {AlertId} to {ConversationId} failed; it will be retried")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string alertId, string conversationId);

    [LoggerMessage(4105, LogLevel.Information, "Alert storm for customer {CustomerTenantId}: alerts are threaded in {ConversationId}")]
    private static partial void LogStormStarted(ILogger logger, string customerTenantId, string conversationId);

    [LoggerMessage(4106, LogLevel.Warning, "Language of {ConversationId} unknown; using the default")]
    private static partial void LogLanguageUnknown(ILogger logger, Exception exception, string conversationId);
}
