using System.Globalization;
using System.Text;
using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Triage;

/// <summary>One thing the partner checked, for the support packet (a checklist tick or an audit entry).</summary>
/// <param name="At">When.</param>
/// <param name="What">What, in the reader's language (a step or a verdict).</param>
/// <param name="Who">Who (a display name).</param>
/// <param name="Comment">Their comment, if any.</param>
public sealed record CheckedLine(DateTimeOffset At, string What, string? Who, string? Comment);

/// <summary>
/// The guided response's cards: the checklist (with its tick buttons and links), the buttons and the
/// progress line of the alert card, the customer notification draft and the false-positive support
/// packet. The draft and the packet are plain text shown in a multi-line input — never read as
/// markdown, and easy to select and copy — and every value from outside is put on one line and cut,
/// so a name cannot add lines that look like fields of their own.
/// </summary>
public static class ResponseCards
{
    /// <summary>The id of the draft's input.</summary>
    public const string DraftInputId = "customerDraft";

    /// <summary>The id of the packet's input.</summary>
    public const string PacketInputId = "supportPacket";

    /// <summary>Affected resources listed in the draft; the rest are counted.</summary>
    public const int MaxDraftResources = 20;

    /// <summary>Affected resources listed in the packet; the rest are counted.</summary>
    public const int MaxPacketResources = 50;

    /// <summary>Checked lines listed in the packet (the newest); the rest are counted.</summary>
    public const int MaxPacketChecks = 40;

    /// <summary>The most a packet card may weigh as JSON, leaving room for the activity around it (Teams takes 28 KB).</summary>
    public const int MaxCardBytes = 24 * 1024;

    private const int MaxValueLength = 300;
    private const int MaxNameLength = 120;

    /// <summary>The progress line of the alert card, e.g. "4 of 12 done".</summary>
    public static CardNote ProgressNote(ResponseTexts texts, ResponseProgress progress)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(progress);
        return new CardNote(texts.ProgressLabel, texts.Format(texts.Progress, progress.Done, progress.Total));
    }

    /// <summary>The alert card's button that opens the checklist, with its progress.</summary>
    public static ExecuteAction ShowButton(ResponseTexts texts, ResponseProgress progress, ResponseActionData data)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(progress);
        return Execute(texts.Format(texts.ShowChecklist, progress.Done, progress.Total), data, progress.Done < progress.Total ? "positive" : null);
    }

    /// <summary>The alert card's button that drafts the customer message.</summary>
    public static ExecuteAction NotifyButton(ResponseTexts texts, ResponseActionData data)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Execute(texts.NotifyButton, data, null);
    }

    /// <summary>The alert card's button that shows the support packet.</summary>
    public static ExecuteAction SupportButton(ResponseTexts texts, ResponseActionData data)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Execute(texts.SupportButton, data, null);
    }

    /// <summary>
    /// The checklist the clicking user sees: each step with its state (who ticked it, when), its
    /// Done / Undo button and the portal link that helps with it; then Back and the other response buttons.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="triageTexts">The reader's triage texts (the verdict's name).</param>
    /// <param name="alert">The alert.</param>
    /// <param name="record">The triage record whose verdict the checklist follows.</param>
    /// <param name="ticks">The ticks.</param>
    /// <param name="cancellation">Who had Partner Center cancel the subscription and when, when it was accepted.</param>
    /// <param name="portals">Where the links go.</param>
    /// <param name="now">Now.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    /// <param name="sign">Signed button data for a step and item.</param>
    /// <param name="notice">A line above the steps (e.g. the checklist changed since the click), or null.</param>
    public static AdaptiveCard Checklist(
        ResponseTexts texts,
        TriageTexts triageTexts,
        PartnerSecurityAlert alert,
        TriageRecord record,
        ResponseChecklistTicks ticks,
        ResponseTick? cancellation,
        ResponsePortals portals,
        DateTimeOffset now,
        TimeZoneInfo timeZone,
        Func<ResponseStep, ResponseItem?, ResponseActionData> sign,
        string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(triageTexts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(portals);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(sign);

        string title = AlertCards.OneLine(alert.DisplayName) is { } name ? AlertCards.Clip(name, MaxNameLength) : AlertCards.HumanizeAlertType(alert.AlertType) ?? alert.Id;
        List<CardElement> body = [];
        if (notice is not null)
        {
            body.Add(new TextBlock(notice) { Color = "warning", Wrap = true });
        }

        if (ResponseChecklist.VerdictOf(record) is not { } verdict)
        {
            body.Add(new RichTextBlock([new TextRun(title) { Weight = "bolder" }]));
            body.Add(new TextBlock(texts.NoChecklist) { Wrap = true });
            return Card(texts, texts.NoChecklist, body, [Execute(texts.BackToAlert, sign(ResponseStep.Back, null), null)]);
        }

        string heading = texts.Format(texts.ChecklistTitle, triageTexts.Verdict(verdict));
        IReadOnlyList<ResponseItem> steps = ResponseChecklist.For(verdict, alert.AlertType);
        ResponseProgress progress = ResponseChecklist.Progress(record, alert.AlertType, ticks, cancellation is not null)!;
        body.Add(new TextBlock(heading) { Size = "large", Weight = "bolder", Style = "heading", Wrap = true });
        body.Add(new RichTextBlock([new TextRun(title) { Weight = "bolder" }]));
        body.Add(new TextBlock(texts.Format(texts.Progress, progress.Done, progress.Total)) { Color = progress.Done == progress.Total ? "good" : "accent", Weight = "bolder" });
        body.Add(new TextBlock(texts.ChecklistIntro) { IsSubtle = true, Size = "small", Wrap = true });
        if (portals.Window(alert, now) is { } window)
        {
            body.Add(new TextBlock(texts.Format(texts.ChecklistWindow, AlertCards.Absolute(window.From, timeZone), AlertCards.Absolute(window.To, timeZone))) { IsSubtle = true, Size = "small", Wrap = true });
        }

        for (int i = 0; i < steps.Count; i++)
        {
            ResponseItem item = steps[i];
            ResponseTick? tick = ticks.TriageVersion == record.Version && ticks.Ticks.TryGetValue(item, out ResponseTick? t) ? t : null;
            ResponseTick? shownTick = tick ?? (item == ResponseItem.CancelSubscription ? cancellation : null);
            bool done = shownTick is not null;
            List<CardElement> left =
            [
                AlertCards.Plain(
                    new TextRun((done ? "✔ " : "☐ ") + (i + 1).ToString(CultureInfo.InvariantCulture) + ". ") { Weight = "bolder", Color = done ? "good" : null },
                    new TextRun(texts.Step(item)) { IsSubtle = done ? true : null }),
            ];
            if (shownTick is not null)
            {
                string who = AlertCards.OneLine(shownTick.ActorName) is { } n ? AlertCards.Clip(n, 60) : "?";
                string format = tick is null ? texts.CancelledBy : texts.DoneBy;
                left.Add(AlertCards.Plain(new TextRun(texts.Format(format, who, AlertCards.Absolute(shownTick.At, timeZone))) { Size = "small", IsSubtle = true }) with { Spacing = "none" });
            }

            List<CardAction> buttons = [];
            if (tick is not null)
            {
                buttons.Add(Execute(texts.Untick, sign(ResponseStep.Untick, item), null, fallback: false));
            }
            else if (!done)
            {
                buttons.Add(Execute(texts.Tick, sign(ResponseStep.Tick, item), "positive", fallback: false));
            }

            if (portals.Link(item, alert, null, now) is { } link)
            {
                buttons.Add(new OpenUrlAction(link) { Title = texts.Open });
            }

            List<Column> columns = [new Column(left) { Width = "stretch" }];
            if (buttons.Count > 0)
            {
                columns.Add(new Column([new ActionSet(buttons)]) { Width = "auto", VerticalContentAlignment = "center" });
            }

            body.Add(new ColumnSet(columns) { Separator = true, Spacing = "small" });
        }

        return Card(texts, heading, body,
        [
            Execute(texts.BackToAlert, sign(ResponseStep.Back, null), null),
            Execute(texts.NotifyButton, sign(ResponseStep.Notify, null), null),
            Execute(texts.SupportButton, sign(ResponseStep.Support, null), null),
        ]);
    }

    /// <summary>
    /// The message to the customer as plain text, in <paramref name="texts"/>' language: subject,
    /// greeting, what Microsoft reported and when, the affected resources, where the partner stands
    /// (open, or the verdict) and the recommended actions, and the alert id as a reference.
    /// </summary>
    /// <param name="texts">The draft's language.</param>
    /// <param name="alertTexts">The draft's alert texts (severity words).</param>
    /// <param name="alert">The alert.</param>
    /// <param name="context">Names for its ids.</param>
    /// <param name="verdict">The recorded verdict, or null while the alert is open.</param>
    /// <param name="timeZone">The zone times are written in.</param>
    /// <param name="maxResources">Affected resources listed; the rest are counted.</param>
    public static string NotificationText(
        ResponseTexts texts, AlertTexts alertTexts, PartnerSecurityAlert alert, AlertCardContext context, TriageVerdict? verdict, TimeZoneInfo timeZone, int maxResources = MaxDraftResources)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alertTexts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timeZone);

        string what = AlertCards.HumanizeAlertType(alert.AlertType) ?? Value(alert.DisplayName) ?? texts.NotKnown;
        string subscription = Value(context.SubscriptionName) is { } subscriptionName
            ? subscriptionName + " (" + (Value(alert.SubscriptionId) ?? texts.NotKnown) + ")"
            : Value(alert.SubscriptionId) ?? texts.NotKnown;
        string customer = Value(context.CustomerName) ?? Value(context.CustomerDomain) ?? Value(alert.CustomerTenantId ?? context.CustomerTenantId) ?? texts.NotKnown;
        string When(DateTimeOffset? at) => at is { } t ? AlertCards.Absolute(t, timeZone) : texts.NotKnown;

        var text = new StringBuilder();
        text.AppendLine(texts.Format(texts.NotifySubject, what, subscription));
        text.AppendLine();
        text.AppendLine(texts.Format(texts.NotifyGreeting, customer));
        text.AppendLine();
        text.AppendLine(texts.Format(texts.NotifyWhat, what, subscription, When(alert.DetectedDateTime)));
        text.AppendLine(texts.Format(texts.NotifyWhen, alertTexts.Severity(alert.Severity), When(alert.FirstObservedDateTime), When(alert.LastObservedDateTime)));
        text.AppendLine();
        IReadOnlyList<AffectedResource> resources = alert.AffectedResources ?? [];
        if (resources.Count == 0)
        {
            text.AppendLine(texts.NotifyNoResources);
        }
        else
        {
            text.AppendLine(texts.NotifyResourcesHeading);
            foreach (AffectedResource resource in resources.Take(maxResources))
            {
                text.Append("- ").AppendLine(Value(resource.ResourceId) ?? texts.NotKnown);
            }

            if (resources.Count > maxResources)
            {
                text.AppendLine(texts.Format(texts.AndMore, resources.Count - maxResources));
            }
        }

        text.AppendLine();
        text.AppendLine(verdict switch
        {
            TriageVerdict.Fraud => texts.NotifyStatusFraud,
            TriageVerdict.Legitimate => texts.NotifyStatusLegitimate,
            TriageVerdict.Ignore => texts.NotifyStatusIgnore,
            _ => texts.NotifyStatusOpen,
        });
        text.AppendLine();
        IReadOnlyList<ResponseItem> actions = verdict switch
        {
            TriageVerdict.Fraud => [.. ResponseChecklist.For(TriageVerdict.Fraud, alert.AlertType).Where(CustomerCanDo)],
            TriageVerdict.Legitimate or TriageVerdict.Ignore => [],
            _ => [ResponseItem.SignInLogs, ResponseItem.ActivityLog, ResponseItem.ResetCredentials],
        };
        if (actions.Count == 0 && verdict is TriageVerdict.Legitimate or TriageVerdict.Ignore)
        {
            text.AppendLine(texts.NotifyNoAction);
        }
        else
        {
            text.AppendLine(texts.NotifyActionsHeading);
            int n = 1;
            if (verdict is null or TriageVerdict.Investigating or TriageVerdict.Reopen)
            {
                text.Append(n++.ToString(CultureInfo.InvariantCulture)).Append(". ").AppendLine(texts.NotifyConfirmActivity);
            }

            foreach (ResponseItem item in actions)
            {
                text.Append(n++.ToString(CultureInfo.InvariantCulture)).Append(". ").AppendLine(texts.Step(item));
            }
        }

        text.AppendLine();
        text.AppendLine(texts.NotifyClosing);
        text.Append(texts.Format(texts.NotifyReference, Value(alert.Id) ?? texts.NotKnown));
        return text.ToString();
    }

    /// <summary>
    /// The draft card of an alert (<see cref="NotificationText"/> in <paramref name="draftTexts"/>' language),
    /// with fewer resources listed until the card weighs at most <see cref="MaxCardBytes"/> as JSON.
    /// </summary>
    public static AdaptiveCard Notification(
        ResponseTexts readerTexts, ResponseTexts draftTexts, PartnerSecurityAlert alert, AlertCardContext context, TriageVerdict? verdict, TimeZoneInfo timeZone,
        ResponseActionData otherLanguage, ResponseActionData back)
    {
        ArgumentNullException.ThrowIfNull(draftTexts);
        ArgumentNullException.ThrowIfNull(alert);
        for (int max = MaxDraftResources; ; max--)
        {
            string draft = NotificationText(draftTexts, AlertTexts.For(draftTexts.Language), alert, context, verdict, timeZone, max);
            AdaptiveCard card = Notification(readerTexts, draftTexts, draft, otherLanguage, back);
            if (max == 0 || JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard).Length <= MaxCardBytes)
            {
                return card;
            }
        }
    }

    /// <summary>
    /// The draft card: the message in <paramref name="draftTexts"/>' language in a copyable block, a
    /// button for the other language, and Back.
    /// </summary>
    public static AdaptiveCard Notification(
        ResponseTexts readerTexts, ResponseTexts draftTexts, string draft, ResponseActionData otherLanguage, ResponseActionData back)
    {
        ArgumentNullException.ThrowIfNull(readerTexts);
        ArgumentNullException.ThrowIfNull(draftTexts);
        ArgumentNullException.ThrowIfNull(draft);
        ResponseTexts other = ResponseTexts.For(otherLanguage?.Language);
        List<CardElement> body =
        [
            new TextBlock(readerTexts.NotifyTitle) { Size = "large", Weight = "bolder", Style = "heading", Wrap = true },
            new TextBlock(readerTexts.NotifyIntro) { Wrap = true, IsSubtle = true },
            new InputText { Id = DraftInputId, Label = readerTexts.NotifyDraftLabel, IsMultiline = true, Value = draft },
        ];
        return Card(readerTexts, readerTexts.NotifyTitle, body,
        [
            Execute(other.NotifyInThisLanguage, otherLanguage!, null),
            Execute(readerTexts.BackToAlert, back, null),
        ]) with { Lang = readerTexts.Language };
    }

    /// <summary>
    /// The support packet as plain text: the partner and customer tenants, the subscription, the alert
    /// id and type, its times (UTC, ISO 8601), every affected resource (up to <see cref="MaxPacketResources"/>)
    /// and what the partner checked.
    /// </summary>
    public static string SupportPacketText(
        ResponseTexts texts, PartnerSecurityAlert alert, AlertCardContext context, string? partnerTenantId, IReadOnlyList<CheckedLine> checks,
        int maxResources = MaxPacketResources, int maxChecks = MaxPacketChecks)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(checks);
        string When(DateTimeOffset? at) => at is { } t ? ResponsePortals.Iso(t) : texts.NotKnown;

        var text = new StringBuilder();
        Line(texts.FieldPartnerTenant, Value(partnerTenantId));
        Line(texts.FieldCustomerTenant, Value(alert.CustomerTenantId ?? context.CustomerTenantId));
        Line(texts.FieldSubscription, Value(alert.SubscriptionId));
        Line(texts.FieldAlertId, Value(alert.Id));
        Line(texts.FieldAlertType, Value(alert.AlertType));
        Line(texts.FieldDetected, When(alert.DetectedDateTime));
        Line(texts.FieldFirstObserved, When(alert.FirstObservedDateTime));
        Line(texts.FieldLastObserved, When(alert.LastObservedDateTime));
        IReadOnlyList<AffectedResource> resources = alert.AffectedResources ?? [];
        text.Append(texts.Format(texts.FieldResources, resources.Count)).AppendLine(":");
        foreach (AffectedResource resource in resources.Take(maxResources))
        {
            text.Append("  ").AppendLine(Value(resource.ResourceId) ?? texts.NotKnown);
        }

        if (resources.Count > maxResources)
        {
            text.Append("  ").AppendLine(texts.Format(texts.AndMore, resources.Count - maxResources));
        }

        text.Append(texts.FieldChecked).AppendLine(":");
        if (checks.Count == 0)
        {
            text.Append("  ").AppendLine(texts.NothingChecked);
        }

        int skip = Math.Max(0, checks.Count - maxChecks);
        if (skip > 0)
        {
            text.Append("  ").AppendLine(texts.Format(texts.AndMore, skip));
        }

        foreach (CheckedLine check in checks.OrderBy(c => c.At).Skip(skip))
        {
            text.Append("  - ").Append(ResponsePortals.Iso(check.At)).Append(' ').Append(Value(check.What) ?? texts.NotKnown)
                .Append(" (").Append(Value(check.Who) ?? "?").Append(')');
            if (Value(check.Comment) is { } comment)
            {
                text.Append(": \"").Append(comment).Append('"');
            }

            text.AppendLine();
        }

        return text.ToString().TrimEnd();

        void Line(string label, string? value) => text.Append(label).Append(": ").AppendLine(value ?? texts.NotKnown);
    }

    /// <summary>
    /// The support packet card: the packet (<see cref="SupportPacketText"/>) in a copyable block, the
    /// support link, and Back. The packet is cut (resources beyond 10, the oldest checks beyond 5, then
    /// the rest; each cut counted in the packet) until the card weighs at most <see cref="MaxCardBytes"/>
    /// as JSON: Teams takes a 28 KB card.
    /// </summary>
    public static AdaptiveCard SupportPacket(
        ResponseTexts texts, PartnerSecurityAlert alert, AlertCardContext context, string? partnerTenantId, IReadOnlyList<CheckedLine> checks, Uri supportUrl, ResponseActionData? back)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(supportUrl);
        int maxChecks = Math.Min(MaxPacketChecks, checks.Count);
        int maxResources = Math.Min(MaxPacketResources, (alert.AffectedResources ?? []).Count);
        while (true)
        {
            AdaptiveCard card = SupportPacketCard(texts, SupportPacketText(texts, alert, context, partnerTenantId, checks, maxResources, maxChecks), supportUrl, back);
            if ((maxChecks == 0 && maxResources == 0) || JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard).Length <= MaxCardBytes)
            {
                return card;
            }

            // What the partner checked matters more than the eleventh resource: resources go down to 10
            // first, then the oldest checks down to 5, then the remaining resources, then the checks.
            if (maxResources > 10)
            {
                maxResources--;
            }
            else if (maxChecks > 5)
            {
                maxChecks--;
            }
            else if (maxResources > 0)
            {
                maxResources--;
            }
            else
            {
                maxChecks--;
            }
        }
    }

    private static AdaptiveCard SupportPacketCard(ResponseTexts texts, string packet, Uri supportUrl, ResponseActionData? back)
    {
        List<CardElement> body =
        [
            new TextBlock(texts.SupportTitle) { Size = "large", Weight = "bolder", Style = "heading", Wrap = true },
            new TextBlock(texts.SupportIntro) { Wrap = true, IsSubtle = true },
            new InputText { Id = PacketInputId, Label = texts.SupportPacketLabel, IsMultiline = true, Value = packet },
        ];
        List<CardAction> actions = [new OpenUrlAction(supportUrl) { Title = texts.SupportLink }];
        if (back is not null)
        {
            actions.Add(Execute(texts.BackToAlert, back, null));
        }

        return Card(texts, texts.SupportTitle, body, actions);
    }

    /// <summary>Steps a customer can take in their own tenant (not the partner's support request or cancellation).</summary>
    private static bool CustomerCanDo(ResponseItem item) => item is not (ResponseItem.SupportRequest or ResponseItem.CancelSubscription or ResponseItem.LowerQuotas);

    /// <summary>A value from outside on one line and cut; null when blank.</summary>
    private static string? Value(string? text) => AlertCards.OneLine(text) is { } line ? AlertCards.Clip(line, MaxValueLength) : null;

    private static AdaptiveCard Card(ResponseTexts texts, string speak, List<CardElement> body, IReadOnlyList<CardAction> actions) => new()
    {
        Lang = texts.Language,
        Speak = speak,
        Body = body,
        Actions = actions,
        MsTeams = new TeamsCardOptions("Full"),
    };

    /// <summary>
    /// A button. The checklist's per-step buttons go without the <c>Action.Submit</c> fallback (for
    /// clients without Universal Actions) to keep a Japanese checklist of 13 steps within the card size.
    /// </summary>
    private static ExecuteAction Execute(string title, ResponseActionData data, string? style, bool fallback = true) => new()
    {
        Title = title,
        Style = style,
        Verb = ResponseActionData.RespondVerb,
        Data = JsonSerializer.SerializeToElement(data, ResponseJsonContext.Default.ResponseActionData),
        // The draft and packet inputs must not travel with a click (they are only there to be copied).
        AssociatedInputs = "none",
        Fallback = fallback
            ? new SubmitAction
            {
                Title = title,
                AssociatedInputs = "none",
                Data = JsonSerializer.SerializeToElement(data with { Verb = ResponseActionData.RespondVerb }, ResponseJsonContext.Default.ResponseActionData),
            }
            : null,
    };
}
