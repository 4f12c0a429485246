using Microsoft.Extensions.Options;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Builds an alert's card for one conversation (with a refresh, so each viewer can get their own view): the alert, its context, the triage line and the
/// triage buttons (signed for that conversation and the alert's triage version). Every path that
/// posts or edits an alert card goes through here, so all cards look and act alike.
/// </summary>
public sealed class AlertCardRenderer(
    ITriageLedger triage,
    IMitigationLedger mitigations,
    IResponseChecklistLedger checklists,
    ITriageActionSigner signer,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time)
{
    private readonly Lazy<TimeZoneInfo> _timeZone = new(() => TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone));

    /// <summary>The display time zone of the cards.</summary>
    public TimeZoneInfo TimeZone => _timeZone.Value;

    /// <summary>The card and its notification line.</summary>
    /// <param name="alert">The alert as Graph has it now.</param>
    /// <param name="context">Names for its ids.</param>
    /// <param name="language">en or ja.</param>
    /// <param name="conversationId">The conversation the card is for (its buttons are signed for it).</param>
    /// <param name="cardVersion">The card's edit count, shown in its footer.</param>
    /// <param name="record">The triage record to show; read from Redis when null.</param>
    /// <param name="readOnly">For a viewer who may not triage: no buttons.</param>
    /// <param name="known">The triage and mitigation records when the caller read them already (no reads then).</param>
    /// <param name="possibleRepeat">Say on the card that it may be a repeat of an earlier post.</param>
    public async Task<(AdaptiveCard Card, string Summary)> RenderAsync(
        PartnerSecurityAlert alert, AlertCardContext context, string language, string conversationId, int cardVersion, TriageRecord? record = null, bool readOnly = false,
        KnownRecords? known = null, bool possibleRepeat = false)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);
        DateTimeOffset now = time.GetUtcNow();
        record = (record ?? known?.Triage ?? await triage.GetAsync(alert.Id)).AsSeenAt(now);
        AlertTexts texts = AlertTexts.For(language);
        TriageTexts triageTexts = TriageTexts.For(language);
        MitigationRecord? mitigation = known is null ? await mitigations.GetAsync(alert.Id) : known.Mitigation;
        if (TriageCards.Note(triageTexts, record, TimeZone) is { } note)
        {
            context = context with { Triage = new CardNote(triageTexts.TriageLabel, note) };
        }

        if (MitigationCards.Note(triageTexts, mitigation, TimeZone, now) is { } mitigationNote)
        {
            context = context with { Mitigation = new CardNote(triageTexts.MitigationLabel, mitigationNote) };
        }

        ResponseTexts responseTexts = ResponseTexts.For(language);
        ResponseProgress? progress = null;
        if (ResponseChecklist.VerdictOf(record) is not null)
        {
            // Only a recorded verdict has a checklist: no extra read for an open alert's card.
            ResponseChecklistTicks ticks = (await checklists.GetAsync(alert.Id)).Ticks;
            progress = ResponseChecklist.Progress(record, alert.AlertType, ticks, mitigation is { State: MitigationState.Accepted });
            context = context with { Response = ResponseCards.ProgressNote(responseTexts, progress!) };
        }

        IReadOnlyList<CardAction> actions = readOnly ? [] : TriageCards.Actions(
            triageTexts,
            alertOpen: alert.IsOpen,
            investigating: alert.Status == AlertStatus.Investigating,
            record,
            (verdict, confirmed) => Data(alert.Id, verdict, record.Version, conversationId, confirmed));
        IReadOnlyList<CardElement>? inputs = actions.Count > 1 ? [TriageCards.CommentInput(triageTexts)] : null;
        if (!readOnly && MitigationCards.Offered(record, alert.IsOpen, context.AzurePlanSubscriptionId, alert.SubscriptionId, mitigation, now))
        {
            // Offered to everyone who may triage; the click itself checks the elevated mitigation role.
            actions = [.. actions, MitigationCards.Button(
                triageTexts, MitigationData(alert.Id, MitigationStep.Ask, record.Version, conversationId), retry: mitigation is not null)];
        }

        if (!readOnly)
        {
            // The guided response: the checklist (after a recorded verdict), the customer message draft and the support packet.
            List<CardAction> response = [];
            if (progress is not null)
            {
                response.Add(ResponseCards.ShowButton(responseTexts, progress, ResponseData(alert.Id, ResponseStep.Show, record.Version, conversationId)));
            }

            response.Add(ResponseCards.NotifyButton(responseTexts, ResponseData(alert.Id, ResponseStep.Notify, record.Version, conversationId)));
            response.Add(ResponseCards.SupportButton(responseTexts, ResponseData(alert.Id, ResponseStep.Support, record.Version, conversationId)));
            actions = [.. actions, .. response.Take(AlertCards.MaxActions - actions.Count)];
        }

        AdaptiveCard card = AlertCards.Alert(texts, alert, context, now, TimeZone, cardVersion, actions, inputs, possibleRepeat) with
        {
            Refresh = TriageCards.Refresh(new RefreshActionData { AlertId = alert.Id, Signature = signer.Sign(alert.Id, RefreshActionData.RefreshVerb, 0, conversationId) }),
        };
        return (card, AlertCards.SummaryLine(texts, alert, context, now));
    }

    /// <summary>Signed data for a mitigation button (bound to the triage version of the fraud verdict).</summary>
    public MitigationActionData MitigationData(string alertId, MitigationStep step, int version, string conversationId) => new()
    {
        AlertId = alertId,
        Step = step,
        Version = version,
        Signature = signer.Sign(alertId, MitigationActionData.Action(step), version, conversationId),
    };

    /// <summary>Signed data for a guided-response button on the alert card.</summary>
    private ResponseActionData ResponseData(string alertId, ResponseStep step, int version, string conversationId) => new()
    {
        AlertId = alertId,
        Step = step,
        Version = version,
        Signature = signer.Sign(alertId, ResponseActionData.Action(step, null, null), version, conversationId),
    };

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

    /// <summary>Signs a bulk button's data for a conversation.</summary>
    public BulkActionData SignBulk(BulkActionData data, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data with { Signature = signer.Sign(data.Subject, data.Action, 0, conversationId) };
    }

    /// <summary>Whether a bulk button's signature holds for the conversation.</summary>
    public bool Verify(BulkActionData data, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(data);
        return signer.Verify(data.Signature, data.Subject, data.Action, 0, conversationId);
    }

    /// <summary>
    /// A customer's storm root: the storm's heading, its overview when one is given (with a bulk choice
    /// per subscription), a bulk run's progress when one is given, and the bulk triage buttons (all open
    /// alerts of the customer). Every storm card, posted or edited, is built here.
    /// </summary>
    public AdaptiveCard StormRoot(
        string language, string customerTenantId, string customerName, string conversationId, DateTimeOffset startedAt, IReadOnlyList<CardElement>? progress = null,
        StormOverview? overview = null)
    {
        AlertPipelineOptions settings = options.Value;
        BulkTexts bulkTexts = BulkTexts.For(language);
        TriageTexts triageTexts = TriageTexts.For(language);
        // A subscription's buttons leave the customer's name out (the confirmation finds it): twenty of them must fit the card.
        BulkActionData Sign(TriageVerdict verdict, string? subscription) => SignBulk(
            new BulkActionData
            {
                Step = BulkStep.Propose, Verdict = verdict, Customer = customerTenantId, CustomerName = subscription is null ? customerName : null, Subscription = subscription,
                Signature = string.Empty,
            },
            conversationId);
        IReadOnlyList<CardAction> buttons = BulkCards.Buttons(bulkTexts, triageTexts, verdict => Sign(verdict, null));
        IReadOnlyList<CardElement> sections = [
            .. overview is null ? [] : StormOverviewCards.Section(
                StormOverviewTexts.For(language), AlertTexts.For(language), bulkTexts, triageTexts, overview, TimeZone, (subscription, verdict) => Sign(verdict, subscription)),
            .. progress ?? [],
        ];
        return StormCards.Root(
            StormTexts.For(language), customerTenantId, customerName, settings.StormThreshold, settings.StormWindow, startedAt, TimeZone, sections, buttons);
    }
}

/// <summary>An alert's triage and mitigation records, read along with something else.</summary>
public sealed record KnownRecords(TriageRecord Triage, MitigationRecord? Mitigation)
{
    /// <summary>The records from their stored JSON (null or empty: none stored).</summary>
    public static KnownRecords Parse(string? triage, string? mitigation) =>
        new(triage is { Length: > 0 } t ? ITriageLedger.Parse(t) : TriageRecord.Initial, mitigation is { Length: > 0 } m ? IMitigationLedger.Parse(m) : null);
}
