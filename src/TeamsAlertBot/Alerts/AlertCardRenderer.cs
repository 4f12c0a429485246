using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Builds an alert's card for one conversation: the alert, its context, the triage line and the
/// triage buttons (signed for that conversation and the alert's triage version). Every path that
/// posts or edits an alert card goes through here, so all cards look and act alike.
/// </summary>
public sealed class AlertCardRenderer(
    TriageLedger triage,
    ITriageActionSigner signer,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time)
{
    private readonly Lazy<TimeZoneInfo> _timeZone = new(() => TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone));

    /// <summary>The display time zone of the cards.</summary>
    public TimeZoneInfo TimeZone => _timeZone.Value;

    /// <summary>The card and its notification line.</summary>
    public async Task<(AdaptiveCard Card, string Summary)> RenderAsync(
        PartnerSecurityAlert alert, AlertCardContext context, string language, string conversationId, int cardVersion, TriageRecord? record = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);
        record ??= await triage.GetAsync(alert.Id);
        AlertTexts texts = AlertTexts.For(language);
        TriageTexts triageTexts = TriageTexts.For(language);
        DateTimeOffset now = time.GetUtcNow();
        if (TriageCards.Note(triageTexts, record, TimeZone) is { } note)
        {
            context = context with { Triage = new CardNote(triageTexts.TriageLabel, note) };
        }

        IReadOnlyList<CardAction> actions = TriageCards.Actions(
            triageTexts,
            alertOpen: alert.IsOpen,
            investigating: alert.Status == AlertStatus.Investigating,
            record,
            (verdict, confirmed) => Data(alert.Id, verdict, record.Version, conversationId, confirmed));
        IReadOnlyList<CardElement>? inputs = actions.Count > 1 ? [TriageCards.CommentInput(triageTexts)] : null;
        AdaptiveCard card = AlertCards.Alert(texts, alert, context, now, TimeZone, cardVersion, actions, inputs);
        return (card, AlertCards.SummaryLine(texts, alert, context, now));
    }

    /// <summary>Signed data for a triage button.</summary>
    public TriageActionData Data(string alertId, TriageVerdict verdict, int version, string conversationId, bool confirmed = false, bool cancel = false) => new()
    {
        AlertId = alertId,
        Verdict = verdict,
        Version = version,
        Confirmed = confirmed,
        Cancel = cancel,
        Signature = signer.Sign(alertId, TriageAction.Of(verdict, confirmed, cancel), version, conversationId),
    };
}
