using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Digest;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Sla;

/// <summary>
/// The 24-hour response target: an alert still waiting for a verdict (see <see cref="AlertSla.IsWaiting"/>)
/// after each <see cref="SlaOptions.ReminderAfter"/> threshold, measured from its detection, gets a
/// reply in the thread of every card it has, mentioning the on-call people; after
/// <see cref="SlaOptions.EscalateAfter"/> an escalation. Each (alert, stage, conversation) is claimed
/// in Redis, so it is posted once across instances and restarts.
/// </summary>
public sealed partial class SlaMonitor(
    IAlertLedger alerts,
    IAlertSource source,
    ITriageLedger triage,
    ISendOnceLedger once,
    RedisKeys keys,
    IConversationStore conversations,
    ConnectorClient connector,
    IOptions<SlaOptions> options,
    IOptions<AlertPipelineOptions> alertOptions,
    IOptions<Bot.AlertBotOptions> botOptions,
    [FromKeyedServices(ScheduleClock.Key)] TimeProvider time,
    ILogger<SlaMonitor> logger) : ScheduledLoop(time)
{
    /// <summary>The stage name of the escalation.</summary>
    public const string EscalationStage = "escalation";

    /// <summary>This instance's name in claims.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>
    /// The stage due for an alert that has waited <paramref name="waited"/>: the latest threshold
    /// passed (a stage missed while no instance ran is not posted late once a later one is due), or
    /// null before the first.
    /// </summary>
    public static (string Stage, bool Escalation, TimeSpan After)? DueStage(TimeSpan waited, IReadOnlyList<TimeSpan> reminders, TimeSpan escalateAfter)
    {
        ArgumentNullException.ThrowIfNull(reminders);
        if (waited >= escalateAfter)
        {
            return (EscalationStage, true, escalateAfter);
        }

        TimeSpan[] passed = [.. reminders.Where(r => r <= waited)];
        if (passed.Length == 0)
        {
            return null;
        }

        TimeSpan after = passed.Max();
        return ("r" + ((long)after.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m", false, after);
    }

    /// <summary>Posts every reminder due now; returns how many this instance posted.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> watched = await alerts.ListWatchedAsync(Clock.GetUtcNow(), alertOptions.Value.StateRetention);
        IReadOnlyList<ChannelSubscription> subscriptions = await conversations.ListSubscriptionsAsync(cancellationToken);
        if (watched.Count == 0 && subscriptions.Count == 0)
        {
            return 0;
        }

        SlaOptions settings = options.Value;
        DateTimeOffset now = Clock.GetUtcNow();
        Dictionary<string, PartnerSecurityAlert> open = (await source.ListOpenAsync(cancellationToken))
            .DistinctBy(a => a.Id, StringComparer.Ordinal)
            .ToDictionary(a => a.Id, StringComparer.Ordinal);
        int posted = 0;
        foreach (string alertId in watched.Order(StringComparer.Ordinal))
        {
            if (!open.TryGetValue(alertId, out PartnerSecurityAlert? alert)
                || alert.DetectedDateTime is not { } detected
                || DueStage(now - detected, settings.Reminders, settings.EscalateAfter) is not { } due
                || !AlertSla.IsWaiting(alert, await triage.GetAsync(alertId)))
            {
                continue;
            }

            foreach (AlertCardPost card in await alerts.ListCardsAsync(alertId))
            {
                // A stage is for alerts that cross it while their card is up. One whose card appeared
                // already past it (a backfill of old alerts, a first install) is not pinged for it: the
                // card shows its age, and the daily summary lists the oldest waiting alerts.
                if (card.PostedAt >= detected + due.After)
                {
                    continue;
                }

                if (await RemindAsync(alert, card, due.Stage, due.Escalation, now - detected, cancellationToken))
                {
                    posted++;
                }
            }
        }

        return posted + await RemindGroupedAsync(open.Values, subscriptions, now, cancellationToken);
    }

    /// <summary>The stage name of the grouped reminder (per alert and conversation: which alerts it covered).</summary>
    public const string GroupedStage = "grouped";

    /// <summary>The most alerts a grouped reminder names (the rest are counted).</summary>
    public const int GroupedListed = 10;

    /// <summary>
    /// Alerts that passed the response target (<see cref="SlaOptions.EscalateAfter"/>) while no card for
    /// them existed in a subscribed conversation — detected before the bot was added there, or missed —
    /// get no per-card escalation. Instead each conversation gets ONE reminder naming all of them that
    /// no earlier grouped reminder named: under a per-conversation claim (so two instances do not split
    /// or repeat it), each alert recorded as covered (durable, so a restart does not repeat it either).
    /// </summary>
    private async Task<int> RemindGroupedAsync(
        IEnumerable<PartnerSecurityAlert> open, IReadOnlyList<ChannelSubscription> subscriptions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SlaOptions settings = options.Value;
        List<PartnerSecurityAlert> overdue = [];
        foreach (PartnerSecurityAlert alert in open
            .Where(a => a.DetectedDateTime is { } detected && detected + settings.EscalateAfter <= now)
            .OrderBy(a => a.DetectedDateTime)
            .ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            if (AlertSla.IsWaiting(alert, await triage.GetAsync(alert.Id)))
            {
                overdue.Add(alert);
            }
        }

        int posted = 0;
        if (overdue.Count == 0)
        {
            return posted;
        }

        foreach (ChannelSubscription subscription in subscriptions)
        {
            string conversationId = subscription.ConversationId;
            if ((await UncoveredAsync(overdue, conversationId, settings.EscalateAfter)).Count == 0)
            {
                continue;
            }

            RedisKey claim = keys.Notice(conversationId, "sla-grouped");
            if (await once.TryClaimAsync(claim, InstanceId, settings.ClaimDuration) != SendClaim.Claimed)
            {
                continue;
            }

            try
            {
                // Again under the claim: another instance may have sent it just before.
                List<PartnerSecurityAlert> uncovered = await UncoveredAsync(overdue, conversationId, settings.EscalateAfter);
                if (uncovered.Count > 0 && await SendGroupedAsync(conversationId, uncovered, cancellationToken))
                {
                    foreach (PartnerSecurityAlert alert in uncovered)
                    {
                        await once.ConfirmAsync(keys.SlaReminder(alert.Id, GroupedStage, conversationId), alertOptions.Value.StateRetention);
                    }

                    posted++;
                    LogGroupedReminded(logger, conversationId, uncovered.Count);
                }
            }
            catch (ConnectorException e) when (e.IsConversationGone)
            {
                LogConversationGone(logger, e, conversationId);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException or ServiceUrlNotAllowedException or RedisException)
            {
                LogGroupedFailed(logger, e, conversationId);
            }
            finally
            {
                await once.ReleaseAsync(claim, InstanceId);
            }
        }

        return posted;
    }

    /// <summary>The overdue alerts that had no card in the conversation when they passed the target and that no grouped reminder named yet.</summary>
    private async Task<List<PartnerSecurityAlert>> UncoveredAsync(IReadOnlyList<PartnerSecurityAlert> overdue, string conversationId, TimeSpan target)
    {
        List<PartnerSecurityAlert> uncovered = [];
        foreach (PartnerSecurityAlert alert in overdue)
        {
            AlertCardPost? card = await alerts.GetCardAsync(alert.Id, conversationId);
            if (card is not null && card.PostedAt < alert.DetectedDateTime + target)
            {
                // Its card was up when it passed the target: that card's thread got the escalation.
                continue;
            }

            if (!await once.IsSentAsync(keys.SlaReminder(alert.Id, GroupedStage, conversationId)))
            {
                uncovered.Add(alert);
            }
        }

        return uncovered;
    }

    private async Task<bool> SendGroupedAsync(string conversationId, IReadOnlyList<PartnerSecurityAlert> uncovered, CancellationToken cancellationToken)
    {
        ConversationReference? reference = await conversations.GetReferenceAsync(conversationId, cancellationToken);
        if (reference is null || ServiceUrlPolicy.TryParseServiceUrl(reference.ServiceUrl) is not { } serviceUrl)
        {
            return false;
        }

        string language = await conversations.GetLanguageAsync(conversationId, botOptions.Value.DefaultLanguage, cancellationToken);
        SlaOptions settings = options.Value;
        Activity message = GroupedReminder(DigestTexts.For(language), OldAlertTexts.For(language), uncovered, settings.EscalationContacts, settings.EscalateAfter);
        if (AlertPublisher.IsChannel(reference))
        {
            await connector.CreateConversationAsync(serviceUrl, AlertPublisher.NewThread(reference, message), cancellationToken);
        }
        else
        {
            await connector.SendToConversationAsync(serviceUrl, reference.ConversationId, message, cancellationToken);
        }

        return true;
    }

    /// <summary>The grouped reminder: who is mentioned, how many alerts, the first of them, and how to list them all.</summary>
    public static Activity GroupedReminder(DigestTexts texts, OldAlertTexts old, IReadOnlyList<PartnerSecurityAlert> alerts, IReadOnlyList<SlaContact> contacts, TimeSpan target)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(contacts);
        Entity[] mentions = [.. contacts.Select(c => Entity.Mention(c.Id, c.Name))];
        string command = "alerts " + new AlertListRequest { OlderThan = target }.ToArguments();
        List<string> lines =
        [
            old.Format(old.GroupedReminder, string.Join(" ", mentions.Select(m => m.Text)), alerts.Count, texts.Duration(target), command).Trim(),
            string.Empty,
        ];
        // Titles come from Graph: escaped, so markdown or a mention tag in them is shown as text.
        lines.AddRange(alerts.Take(GroupedListed).Select(a =>
            "- " + MarkdownText.Escape(AlertCards.HumanizeAlertType(a.AlertType) ?? a.DisplayName ?? a.Id) + " · " + MarkdownText.Escape(a.Id)));
        if (alerts.Count > GroupedListed)
        {
            lines.Add(old.Format(old.AndMore, alerts.Count - GroupedListed));
        }

        return new Activity
        {
            Type = ActivityTypes.Message,
            Text = string.Join("\n", lines),
            TextFormat = "markdown",
            Entities = mentions.Length == 0 ? null : mentions,
        };
    }

    private async Task<bool> RemindAsync(
        PartnerSecurityAlert alert, AlertCardPost card, string stage, bool escalation, TimeSpan waited, CancellationToken cancellationToken)
    {
        if (ServiceUrlPolicy.TryParseServiceUrl(card.ServiceUrl) is not { } serviceUrl)
        {
            return false;
        }

        SlaOptions settings = options.Value;
        RedisKey key = keys.SlaReminder(alert.Id, stage, card.ConversationId);
        if (await once.TryClaimAsync(key, InstanceId, settings.ClaimDuration) != SendClaim.Claimed)
        {
            return false;
        }

        bool sent = false;
        try
        {
            string language = await conversations.GetLanguageAsync(card.ConversationId, botOptions.Value.DefaultLanguage, cancellationToken);
            DigestTexts texts = DigestTexts.For(language);
            Activity reply = Reminder(texts, alert, escalation ? settings.EscalationContacts : settings.OnCall, escalation, waited, settings.EscalateAfter);
            await connector.SendToConversationAsync(serviceUrl, card.CardConversationId, reply, cancellationToken);
            sent = true;
            await once.ConfirmAsync(key, alertOptions.Value.StateRetention);
            LogReminded(logger, alert.Id, stage, card.ConversationId);
            return true;
        }
        catch (ConnectorException e) when (e.IsConversationGone)
        {
            await once.ConfirmAsync(key, alertOptions.Value.StateRetention);
            LogConversationGone(logger, e, card.ConversationId);
            return false;
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException or ServiceUrlNotAllowedException or RedisException)
        {
            // Released only when nothing was posted: a reminder the connector accepted is never posted
            // again (if recording it failed, the claim simply runs out; the stage has been posted).
            if (!sent)
            {
                await once.ReleaseAsync(key, InstanceId);
            }

            LogReminderFailed(logger, e, alert.Id, stage, card.ConversationId);
            return sent;
        }
    }

    /// <summary>The threaded reply: who is mentioned, how long the alert has waited, which alert.</summary>
    public static Activity Reminder(DigestTexts texts, PartnerSecurityAlert alert, IReadOnlyList<SlaContact> contacts, bool escalation, TimeSpan waited, TimeSpan target)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(contacts);
        Entity[] mentions = [.. contacts.Select(c => Entity.Mention(c.Id, c.Name))];
        // The title comes from Graph: escaped, so markdown or a mention tag in it is shown as text.
        string title = MarkdownText.Escape(AlertCards.HumanizeAlertType(alert.AlertType) ?? alert.DisplayName ?? alert.Id);
        string text = texts.Format(
            escalation ? texts.SlaEscalation : texts.SlaReminder,
            string.Join(" ", mentions.Select(m => m.Text)),
            texts.Duration(waited),
            title,
            texts.Duration(target)).Trim();
        return new Activity
        {
            Type = ActivityTypes.Message,
            Text = text,
            TextFormat = "markdown",
            Entities = mentions.Length == 0 ? null : mentions,
        };
    }

    protected override TimeSpan DelayAfterRun(DateTimeOffset now) => options.Value.CheckInterval;

    protected override void OnRunFailed(Exception exception) => LogRunFailed(logger, exception);

    [LoggerMessage(4700, LogLevel.Information, "SLA {Stage} for alert {AlertId} posted in {ConversationId}")]
    private static partial void LogReminded(ILogger logger, string alertId, string stage, string conversationId);

    [LoggerMessage(4701, LogLevel.Error, "SLA {Stage} for alert {AlertId} in {ConversationId} failed; the next check retries")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string alertId, string stage, string conversationId);

    [LoggerMessage(4702, LogLevel.Warning, "The bot can no longer post SLA reminders to {ConversationId}")]
    private static partial void LogConversationGone(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(6104, LogLevel.Information, "Grouped SLA reminder for {Count} alerts without a card posted in {ConversationId}")]
    private static partial void LogGroupedReminded(ILogger logger, string conversationId, int count);

    [LoggerMessage(6105, LogLevel.Error, "The grouped SLA reminder to {ConversationId} failed; the next check retries")]
    private static partial void LogGroupedFailed(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(4703, LogLevel.Error, "SLA check failed; the next check retries")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
