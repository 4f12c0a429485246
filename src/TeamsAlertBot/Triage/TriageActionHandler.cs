using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Triage;

/// <summary>
/// The triage buttons: Legitimate, Fraud (after a confirmation), Ignore, Investigating, Reopen.
/// In order: the gate (<see cref="AlertClickGate"/>: signature, permission, the alert now), one atomic claim on the
/// alert's triage version (exactly one of concurrent clicks wins), then Microsoft Graph, then every
/// card of the alert is edited for everyone, a threaded reply and an audit entry record it. The
/// click is answered within <see cref="TriageOptions.AnswerBudget"/>: when Graph is slower, the card
/// says "updating…" and the work completes in the background.
/// </summary>
public sealed partial class TriageActionHandler(
    ITriageLedger ledger,
    AlertClickGate gate,
    ClickAlertReader source,
    AlertCardRenderer renderer,
    AlertPublisher publisher,
    IPartnerSecurityAlertClient graph,
    TriageThreadReplies threads,
    Dashboard.IAlertChangeFeed changes,
    IOptions<TriageOptions> options,
    TimeProvider time,
    ILogger<TriageActionHandler> logger) : ICardActionHandler
{
    public string Verb => TriageActionData.TriageVerb;

    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TurnContext turn = request.Turn;
        string language = request.Texts.Language;
        TriageActionData? data = Read(request.Data);
        (AlertClick? click, AdaptiveCardInvokeResponse? refused) = await gate.OpenAsync(
            request,
            data is null ? null : new SignedClick(data.AlertId, TriageAction.Of(data), data.Version, data.Signature),
            Authorization.TriageRole.Triage,
            (texts, access) => access.Explain(texts, access.Reason == TriageAccessReason.NotConfigured ? texts.NotConfigured : texts.NotAllowed),
            cancellationToken);
        if (click is null || data is null)
        {
            return refused!;
        }

        (TriageTexts texts, string conversationId, TriageAccess allowed, PartnerSecurityAlert alert, AlertCardContext context, int cardVersion) = click;
        System.Diagnostics.Activity.Current?.SetTag(BotFramework.Diagnostics.BotTelemetry.AlertIdTag, alert.Id);
        using IDisposable? scope = logger.BeginScope(Diagnostics.WorkScope.For(alert.Id, null));
        if (data.Cancel)
        {
            return await CardAsync(alert, context, language, conversationId, cardVersion, record: null);
        }

        if (data.Verdict == TriageVerdict.Fraud && !data.Confirmed)
        {
            string title = alert.DisplayName ?? AlertCards.HumanizeAlertType(alert.AlertType) ?? alert.Id;
            return AdaptiveCardInvokeResponse.Card(TriageCards.ConfirmFraud(
                texts,
                title,
                renderer.Data(alert.Id, TriageVerdict.Fraud, data.Version, conversationId, confirmed: true),
                renderer.Data(alert.Id, TriageVerdict.Fraud, data.Version, conversationId, cancel: true)));
        }

        string? comment = CardActionInput.Text(request.Data, TriageCards.CommentInputId, maxLength: 500);
        string actor = turn.Activity.From?.Name ?? turn.Activity.From?.Id ?? "?";
        (ClaimOutcome outcome, TriageRecord record) = await ledger.TryClaimAsync(
            alert.Id, data.Version, data.Verdict, actor, allowed.ObjectId, comment, time.GetUtcNow());
        if (outcome != ClaimOutcome.Won)
        {
            // Someone else decided first, or the same decision is already recorded: show what stands.
            LogNotClaimed(logger, alert.Id, outcome, record.Version);
            return await CardAsync(alert, context, language, conversationId, cardVersion, record);
        }

        LogClaimed(logger, alert.Id, data.Verdict, allowed.ObjectId, record.Version);
        if (alert.DetectedDateTime is { } detected && record.At is { } decided)
        {
            BotFramework.Diagnostics.BotTelemetry.TimeToVerdict.Record(
                (decided - detected).TotalSeconds, new KeyValuePair<string, object?>("teamsalertbot.verdict", data.Verdict.ToString()));
        }

        Task<(bool Applied, PartnerSecurityAlert Alert)> apply = ApplyAsync(alert, record, cancellationToken);
        if (!await AnswerBudget.WaitAsync(apply, options.Value.AnswerBudget, time, e => LogApplyFailed(logger, e, alert.Id), cancellationToken))
        {
            return await CardAsync(alert, context, language, conversationId, cardVersion, record);
        }

        (bool applied, PartnerSecurityAlert current) = await apply;
        return await CardAsync(current, context, language, conversationId, cardVersion + 1,
            record with { State = applied ? TriageState.Applied : TriageState.Failed });
    }

    /// <summary>Graph first; then the record, the audit trail, every card and a threaded reply.</summary>
    private async Task<(bool Applied, PartnerSecurityAlert Alert)> ApplyAsync(PartnerSecurityAlert alert, TriageRecord record, CancellationToken cancellationToken)
    {
        TriageVerdict verdict = record.Verdict!.Value;
        PartnerSecurityAlert current = alert;
        bool applied;
        try
        {
            current = await graph.UpdateAsync(alert.Id, UpdateFor(verdict), cancellationToken);
            applied = true;
            source.Forget(alert.Id);
        }
        catch (Exception e)
        {
            // Including shutdown mid-update: the record must not stay pending (the card offers a retry).
            LogGraphFailed(logger, e, alert.Id, verdict);
            applied = false;
        }

        await ledger.CompleteAsync(alert.Id, record.Version, applied ? TriageState.Applied : TriageState.Failed);
        await ledger.AppendAuditAsync(alert.Id, new AuditEntry(
            time.GetUtcNow(), verdict.ToString(), record.ActorName, record.ActorObjectId, record.Comment, applied ? AuditVocabulary.Applied : AuditVocabulary.GraphFailed));
        if (applied && verdict != TriageVerdict.Reopen)
        {
            // The dashboard's live pages, and the team's time to its first verdict.
            await changes.DecidedAsync(alert, verdict, record.At ?? time.GetUtcNow());
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return (false, current);
        }

        // Everyone's card shows the outcome (or the retry), then the thread records who did what.
        await publisher.UpdateAsync(alert.Id, cancellationToken);
        if (applied)
        {
            string when = TimeZoneInfo.ConvertTime(record.At ?? time.GetUtcNow(), renderer.TimeZone).ToString("yyyy-MM-dd HH:mm (zzz)", System.Globalization.CultureInfo.InvariantCulture);
            // The name and the comment are the user's: escaped, so they cannot link, format or mention.
            await threads.ReplyAsync(
                alert.Id,
                texts => texts.Format(texts.ThreadRecord, MarkdownText.Escape(record.ActorName), texts.Verdict(verdict), when)
                    + (record.Comment is { } comment ? " " + texts.Format(texts.Comment, MarkdownText.Escape(comment)) : string.Empty),
                cancellationToken);
        }

        return (applied, current);
    }

    private async Task<AdaptiveCardInvokeResponse> CardAsync(
        PartnerSecurityAlert alert, AlertCardContext context, string language, string conversationId, int cardVersion, TriageRecord? record)
    {
        (AdaptiveCard card, _) = await renderer.RenderAsync(alert, context, language, conversationId, cardVersion, record);
        return AdaptiveCardInvokeResponse.Card(card);
    }

    internal static AlertUpdate UpdateFor(TriageVerdict verdict) => verdict switch
    {
        TriageVerdict.Legitimate => AlertUpdate.Resolve(AlertResolvedReason.Legitimate),
        TriageVerdict.Fraud => AlertUpdate.Resolve(AlertResolvedReason.Fraud),
        TriageVerdict.Ignore => AlertUpdate.Resolve(AlertResolvedReason.Ignore),
        TriageVerdict.Investigating => AlertUpdate.Investigating,
        _ => new AlertUpdate(AlertStatus.Active),
    };

    private static TriageActionData? Read(JsonElement? data) =>
        CardActionInput.Read(data, TriageJsonContext.Default.TriageActionData) is { AlertId.Length: > 0, Signature.Length: > 0 } parsed ? parsed : null;

    [LoggerMessage(5102, LogLevel.Information, "Triage of {AlertId}: {Verdict} claimed by {ObjectId} (version {Version})")]
    private static partial void LogClaimed(ILogger logger, string alertId, TriageVerdict verdict, string? objectId, int version);

    [LoggerMessage(5103, LogLevel.Information, "Triage click on {AlertId} not claimed: {Outcome} (version {Version})")]
    private static partial void LogNotClaimed(ILogger logger, string alertId, ClaimOutcome outcome, int version);

    [LoggerMessage(5104, LogLevel.Error, "Microsoft Graph refused or failed the {Verdict} update of {AlertId}; the card offers a retry")]
    private static partial void LogGraphFailed(ILogger logger, Exception exception, string alertId, TriageVerdict verdict);

    [LoggerMessage(5105, LogLevel.Error, "Completing the triage of {AlertId} failed after the click was answered")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string alertId);
}

/// <summary>Settings of card triage (<c>Triage</c> section).</summary>
public sealed class TriageOptions
{
    public const string SectionName = "Triage";

    /// <summary>How long a click waits for Graph before the card says "updating…" (the rest runs in the background).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")]
    public TimeSpan AnswerBudget { get; set; } = TimeSpan.FromSeconds(1.2);
}
