using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Digest;

/// <summary>
/// Sends the daily summary card into every subscribed conversation once per local day, at
/// <see cref="DigestOptions.SendAt"/> or — when no instance ran then — as soon as one runs later that
/// day. Every instance runs this loop; the (day, conversation) claim in Redis lets exactly one send.
/// </summary>
public sealed partial class DigestScheduler(
    DigestBuilder builder,
    ISendOnceLedger once,
    RedisKeys keys,
    IConversationStore conversations,
    ConnectorClient connector,
    Queries.QueryButtonSigner buttons,
    IOptions<DigestOptions> options,
    IOptions<Bot.AlertBotOptions> botOptions,
    [FromKeyedServices(ScheduleClock.Key)] TimeProvider time,
    ILogger<DigestScheduler> logger) : ScheduledLoop(time)
{
    private static readonly TimeSpan SentRetention = TimeSpan.FromDays(3);

    /// <summary>This instance's name in claims.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>
    /// Sends today's summary to the conversations that lack it, if today's send time has passed.
    /// Returns how many this instance sent.
    /// </summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.GetUtcNow();
        DigestSchedule schedule = builder.Schedule;
        if (schedule.DueDay(now) is not { } day)
        {
            return 0;
        }

        DateTimeOffset sendTime = schedule.SendTimeOn(day);
        List<ChannelSubscription> pending = [];
        foreach (ChannelSubscription subscription in await conversations.ListSubscriptionsAsync(cancellationToken))
        {
            // A conversation that subscribed after today's send time got the backfill summary then;
            // its first daily summary is tomorrow's.
            if (subscription.SubscribedAt <= sendTime && !await once.IsSentAsync(keys.DigestSent(day, subscription.ConversationId)))
            {
                pending.Add(subscription);
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        DigestReport report = await builder.BuildAsync(now, cancellationToken);
        DigestOptions settings = options.Value;
        int sent = 0;
        foreach (ChannelSubscription subscription in pending)
        {
            string conversationId = subscription.ConversationId;
            RedisKey key = keys.DigestSent(day, conversationId);
            if (await once.TryClaimAsync(key, InstanceId, settings.ClaimDuration) != SendClaim.Claimed)
            {
                continue;
            }

            try
            {
                if (await SendAsync(conversationId, report, cancellationToken))
                {
                    await once.ConfirmAsync(key, SentRetention);
                    sent++;
                    LogSent(logger, conversationId, day);
                }
                else
                {
                    // Nowhere to send it (no reference, service URL not allowed): nothing to retry today.
                    await once.ConfirmAsync(key, SentRetention);
                }
            }
            catch (ConnectorException e) when (e.IsConversationGone)
            {
                await once.ConfirmAsync(key, SentRetention);
                LogConversationGone(logger, e, conversationId);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException or ServiceUrlNotAllowedException)
            {
                await once.ReleaseAsync(key, InstanceId);
                LogSendFailed(logger, e, conversationId, day);
            }
        }

        return sent;
    }

    private async Task<bool> SendAsync(string conversationId, DigestReport report, CancellationToken cancellationToken)
    {
        ConversationReference? reference = await conversations.GetReferenceAsync(conversationId, cancellationToken);
        if (reference is null || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
        {
            return false;
        }

        string language = await conversations.GetLanguageAsync(conversationId, botOptions.Value.DefaultLanguage, cancellationToken);
        AdaptiveCard card = builder.Card(report, language, reference.ConversationId);
        Activity activity = buttons.Sign(AlertPublisher.CardActivity(card, card.Speak), reference.ConversationId);
        if (AlertPublisher.IsChannel(reference))
        {
            // A thread of its own, so the day's discussion of the summary stays together.
            await connector.CreateConversationAsync(serviceUrl, AlertPublisher.NewThread(reference, activity), cancellationToken);
        }
        else
        {
            await connector.SendToConversationAsync(serviceUrl, reference.ConversationId, activity, cancellationToken);
        }

        return true;
    }

    /// <summary>Wakes at the next send time, or sooner to retry failures and pick up new subscribers.</summary>
    protected override TimeSpan DelayAfterRun(DateTimeOffset now)
    {
        TimeSpan untilNext = builder.Schedule.NextSendAfter(now) - now;
        return untilNext < options.Value.CheckInterval ? untilNext : options.Value.CheckInterval;
    }

    protected override void OnRunFailed(Exception exception) => LogRunFailed(logger, exception);

    [LoggerMessage(4500, LogLevel.Information, "Daily summary of {Day} sent to {ConversationId}")]
    private static partial void LogSent(ILogger logger, string conversationId, DateOnly day);

    [LoggerMessage(4501, LogLevel.Error, "Daily summary of {Day} to {ConversationId} failed; the next check retries")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string conversationId, DateOnly day);

    [LoggerMessage(4502, LogLevel.Warning, "The bot can no longer post the daily summary to {ConversationId}")]
    private static partial void LogConversationGone(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(4503, LogLevel.Error, "Daily summary check failed; the next check retries")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
