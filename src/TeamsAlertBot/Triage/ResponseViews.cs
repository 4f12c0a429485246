using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>
/// Builds the guided response's cards for a conversation (their buttons signed for it): the checklist,
/// the customer notification draft and the support packet — one place for the card buttons and the
/// <c>support</c> command.
/// </summary>
public sealed class ResponseViews(
    IResponseChecklistLedger checklists,
    ITriageLedger triage,
    ITriageActionSigner signer,
    AlertCardRenderer renderer,
    IOptions<ResponseOptions> options,
    IConfiguration configuration,
    TimeProvider time)
{
    /// <summary>The portals the links go to.</summary>
    public ResponsePortals Portals => options.Value.Portals;

    /// <summary>The partner tenant named in the packet: <c>Response:PartnerTenantId</c>, else <c>AzureAd:TenantId</c>.</summary>
    public string? PartnerTenantId => options.Value.PartnerTenantId is { Length: > 0 } configured ? configured : configuration["AzureAd:TenantId"];

    /// <summary>Signed data of a response button for a conversation, at a triage version.</summary>
    public ResponseActionData Data(string alertId, ResponseStep step, ResponseItem? item, string? language, int version, string conversationId) => new()
    {
        AlertId = alertId,
        Step = step,
        Item = item,
        Language = language,
        Version = version,
        Signature = signer.Sign(alertId, ResponseActionData.Action(step, item, language), version, conversationId),
    };

    /// <summary>The checklist card of the alert as it stands.</summary>
    public AdaptiveCard Checklist(string language, PartnerSecurityAlert alert, ResponseChecklistState state, string conversationId, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(state);
        return ResponseCards.Checklist(
            ResponseTexts.For(language),
            TriageTexts.For(language),
            alert,
            state.Triage,
            state.Ticks,
            state.Cancellation,
            Portals,
            time.GetUtcNow(),
            renderer.TimeZone,
            (step, item) => Data(alert.Id, step, item, null, state.Triage.Version, conversationId),
            notice);
    }

    /// <summary>The notification draft in <paramref name="draftLanguage"/>, read in <paramref name="readerLanguage"/>.</summary>
    public AdaptiveCard Notification(
        string readerLanguage, string draftLanguage, PartnerSecurityAlert alert, AlertCardContext context, TriageVerdict? verdict, string conversationId, int version)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ResponseTexts draftTexts = ResponseTexts.For(draftLanguage);
        string other = draftTexts.Language == "ja" ? "en" : "ja";
        return ResponseCards.Notification(
            ResponseTexts.For(readerLanguage),
            draftTexts,
            alert,
            context,
            verdict,
            renderer.TimeZone,
            Data(alert.Id, ResponseStep.Notify, null, other, version, conversationId),
            Data(alert.Id, ResponseStep.Back, null, null, version, conversationId));
    }

    /// <summary>
    /// The support packet card: the alert's facts and what the partner checked — the ticks of the current
    /// checklist, an accepted cancellation, and the audit trail's other entries (verdicts, cancellations).
    /// </summary>
    /// <param name="language">The reader's language.</param>
    /// <param name="alert">The alert.</param>
    /// <param name="context">Names for its ids.</param>
    /// <param name="conversationId">The conversation of the card's Back button; null: no Back (the command's answer).</param>
    public async Task<AdaptiveCard> SupportPacketAsync(string language, PartnerSecurityAlert alert, AlertCardContext context, string? conversationId)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ResponseTexts texts = ResponseTexts.For(language);
        QueryTexts queryTexts = QueryTexts.For(language);
        ResponseChecklistState state = await checklists.GetAsync(alert.Id);
        List<CheckedLine> checks = [];
        foreach ((ResponseItem item, ResponseTick tick) in state.Ticks.Ticks)
        {
            checks.Add(new CheckedLine(tick.At, texts.Format(texts.CheckedStep, texts.Step(item)), tick.ActorName, null));
        }

        foreach (AuditEntry entry in await triage.ReadAuditAsync(alert.Id))
        {
            // Ticks count as they stand now (above), not as their history of ticks and unticks.
            if (entry.Action.StartsWith(AuditVocabulary.ResponseStepDonePrefix, StringComparison.Ordinal)
                || entry.Action.StartsWith(AuditVocabulary.ResponseStepUndonePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            checks.Add(new CheckedLine(entry.At, queryTexts.HistoryAction(entry.Action) + " — " + queryTexts.HistoryOutcome(entry.Outcome), entry.ActorName, entry.Comment));
        }

        return ResponseCards.SupportPacket(
            texts, alert, context, PartnerTenantId, checks, Portals.Support,
            conversationId is null ? null : Data(alert.Id, ResponseStep.Back, null, null, state.Triage.Version, conversationId));
    }
}
