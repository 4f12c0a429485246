using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Digest;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Tells people when an alert card was given up on: one short message per (alert, conversation), into
/// that conversation, or into <see cref="AlertPipelineOptions.OperationsConversationId"/> when set. The
/// notice is durable work queued with the dead letter in the same step, and claimed once across instances.
/// </summary>
public sealed partial class DeadLetterNotices(
    IConversationStore conversations,
    ConnectorClient connector,
    ISendOnceLedger once,
    RedisKeys keys,
    IOptions<AlertPipelineOptions> options,
    IOptions<Bot.AlertBotOptions> botOptions,
    ILogger<DeadLetterNotices> logger)
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Sends the notice a dead letter queued (a <see cref="AlertWorkKind.Notice"/>); at most once per (alert, conversation).</summary>
    public async Task<WorkResult> NotifyAsync(AlertWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is not { Kind: AlertWorkKind.Notice, AlertId: { } alertId, ConversationId: { } failed })
        {
            return WorkResult.Done;
        }

        long attempts = item.Attempts;
        string reason = item.Payload ?? string.Empty;

        string target = options.Value.OperationsConversationId is { Length: > 0 } operations ? operations : failed;
        RedisKey key = keys.Notice(target, $"dead:{alertId}:{failed}");
        try
        {
            SendClaim claim = await once.TryClaimAsync(key, _instance, TimeSpan.FromMinutes(5));
            if (claim != SendClaim.Claimed)
            {
                return claim == SendClaim.Sent ? WorkResult.Done : new WorkResult(WorkOutcome.Retry, "another instance is sending this notice");
            }

            ConversationReference? reference = await conversations.GetReferenceAsync(target, cancellationToken);
            if (reference is null || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
            {
                LogNoticeNotSent(logger, null, alertId, target);
                return WorkResult.Done;
            }

            ConversationReference? where = target == failed ? reference : await conversations.GetReferenceAsync(failed, cancellationToken);
            string language = await conversations.GetLanguageAsync(target, botOptions.Value.DefaultLanguage, cancellationToken);
            AlertTexts texts = AlertTexts.For(language);
            string text = texts.Format(texts.DeadLetterNotice, MarkdownText.Escape(TypedText.Cut(alertId, 200)), MarkdownText.Escape(TypedText.Cut(where?.ConversationName ?? where?.TeamName ?? failed, 200)), attempts, MarkdownText.Escape(TypedText.Cut(reason, 200)));
            await connector.SendToConversationAsync(serviceUrl, target, new Activity { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" }, SendOptions.Queued, cancellationToken);
            await once.ConfirmAsync(key, options.Value.StateRetention);
            LogNoticeSent(logger, alertId, target);
            return WorkResult.Done;
        }
        catch (ConnectorException e) when (e.IsConversationGone)
        {
            LogNoticeNotSent(logger, e, alertId, target);
            return WorkResult.Done;
        }
        catch (Exception e) when (DeliveryFailures.IsSendFailure(e))
        {
            // A notice refused is tried again; one whose outcome is unknown is not (it may be there).
            LogNoticeNotSent(logger, e, alertId, target);
            if (DeliveryFailures.Classify(e) == DeliveryOutcome.Ambiguous)
            {
                await once.ConfirmAsync(key, options.Value.StateRetention);
                return WorkResult.Done;
            }

            await once.ReleaseAsync(key, _instance);
            return new WorkResult(WorkOutcome.Retry, e.Message, ConversationFailing: true);
        }
    }

    [LoggerMessage(4220, LogLevel.Information, "Told {ConversationId} that alert {AlertId} was given up on")]
    private static partial void LogNoticeSent(ILogger logger, string alertId, string conversationId);

    [LoggerMessage(4221, LogLevel.Warning, "The dead-letter notice of alert {AlertId} could not be sent to {ConversationId}")]
    private static partial void LogNoticeNotSent(ILogger logger, Exception? exception, string alertId, string conversationId);
}
