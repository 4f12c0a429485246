using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>A labelled line on a card.</summary>
public sealed record CardNote(string Label, string Text);

/// <summary>
/// What the bot found out about an alert's customer, resellers and subscription (from Partner
/// Center), beyond the bare ids the alert carries, and its triage line. Every member is optional:
/// the card shows the alert's ids where a name is unknown.
/// </summary>
public sealed record AlertCardContext
{
    public string? CustomerName { get; init; }

    /// <summary>The customer's primary domain, e.g. <c>contoso.onmicrosoft.com</c>.</summary>
    public string? CustomerDomain { get; init; }

    /// <summary>Used only when the alert itself has no <c>customerTenantId</c>.</summary>
    public string? CustomerTenantId { get; init; }

    /// <summary>Indirect reseller and value-added reseller names, in the order to show them.</summary>
    public IReadOnlyList<string>? ResellerNames { get; init; }

    /// <summary>The subscription's friendly name.</summary>
    public string? SubscriptionName { get; init; }

    /// <summary>The subscription's offer name; the alert's <c>catalogOfferId</c> is shown when unknown.</summary>
    public string? SubscriptionOffer { get; init; }

    /// <summary>
    /// The Partner Center subscription of the Azure plan that holds the alert's Azure subscription,
    /// when Partner Center found it there; what a cancellation needs.
    /// </summary>
    public string? AzurePlanSubscriptionId { get; init; }

    /// <summary>The triage line (label, text): who decided what and when, through the bot.</summary>
    public CardNote? Triage { get; init; }

    /// <summary>The mitigation line (label, text): the cancellation of the Azure subscription.</summary>
    public CardNote? Mitigation { get; init; }

    /// <summary>The guided response's progress line (label, text), e.g. "4 of 12 done".</summary>
    public CardNote? Response { get; init; }

    /// <summary>Nothing known beyond the alert.</summary>
    public static AlertCardContext None { get; } = new();
}

/// <summary>
/// The data of the backfill card's page button. <c>Action.Execute</c> sends <c>{"page":n,"signature":…}</c>;
/// its <c>Action.Submit</c> fallback (older clients) also carries the verb, which Submit has no field for.
/// </summary>
/// <param name="Page">The page the button posts.</param>
/// <param name="Signature">
/// The server's signature over the verb, the page and the conversation the card was posted in: a click
/// elsewhere, on another page, or with made-up data posts nothing.
/// </param>
public sealed record BackfillPageData(int Page, string Signature)
{
    /// <summary>Set only in the <c>Action.Submit</c> fallback.</summary>
    public string? Verb { get; init; }
}

/// <summary>Serializer metadata for the alert cards' action data (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackfillPageData))]
public sealed partial class AlertCardJsonContext : JsonSerializerContext;

/// <summary>
/// Builders of the partner security alert cards: one alert, its one-line summary, and the
/// backfill overview of open alerts.
/// </summary>
/// <remarks>
/// Everything the bot does not write itself (names, ids, details, descriptions) goes into
/// <see cref="TextRun"/>s, which Teams never reads as markdown: a customer named
/// <c>[Click](https://…)</c> must not become a link, and an id with underscores must not turn italic.
/// Only GUID-shaped tenant and subscription ids are put into links.
/// </remarks>
public static class AlertCards
{
    /// <summary>The verb of the backfill card's page button.</summary>
    public const string BackfillPageVerb = "alerts.backfill.page";

    /// <summary>Affected resources listed on the card; the rest are counted.</summary>
    public const int MaxShownResources = 5;

    /// <summary>Additional details listed on the card; the rest are counted.</summary>
    public const int MaxShownDetails = 10;

    /// <summary>Characters of a detail value or resource id shown before it is cut.</summary>
    public const int MaxValueLength = 200;

    /// <summary>Characters of the description shown before it is cut.</summary>
    public const int MaxDescriptionLength = 600;

    /// <summary>Teams' host config shows at most this many actions in a row; more are hidden.</summary>
    public const int MaxActions = 6;

    /// <summary>Rows per breakdown (types, customers) on the backfill card.</summary>
    public const int BackfillTopCount = 10;

    private const int MaxNameLength = 120;
    private const string Ellipsis = "…";
    private const string Separator = " · ";

    /// <summary>
    /// The card of one alert.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="alert">The alert as Graph returned it.</param>
    /// <param name="context">Names for the alert's ids; <see cref="AlertCardContext.None"/> when unknown.</param>
    /// <param name="now">When the card is built: ages are measured from it and it is stamped in the footer.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    /// <param name="cardVersion">The card's version (stamped in the footer; later checked by the triage buttons).</param>
    /// <param name="actions">Buttons shown under the facts (at most <see cref="MaxActions"/>); none when null or empty.</param>
    /// <param name="inputs">Inputs shown just above the buttons (their values travel with a click).</param>
    /// <param name="possibleRepeat">Says that the card may be a repeat (an earlier post could not be confirmed).</param>
    public static AdaptiveCard Alert(
        AlertTexts texts,
        PartnerSecurityAlert alert,
        AlertCardContext context,
        DateTimeOffset now,
        TimeZoneInfo timeZone,
        int cardVersion,
        IReadOnlyList<CardAction>? actions = null,
        IReadOnlyList<CardElement>? inputs = null,
        bool possibleRepeat = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentOutOfRangeException.ThrowIfNegative(cardVersion);
        if (actions is { Count: > MaxActions })
        {
            throw new ArgumentException($"Teams shows at most {MaxActions} actions in a row; {actions.Count} were given.", nameof(actions));
        }

        List<CardElement> body = [];
        if (possibleRepeat)
        {
            body.Add(new TextBlock(texts.PossibleRepeat) { Id = PossibleRepeatId, Size = "small", Color = "warning" });
        }

        if (alert.IsTest)
        {
            body.Add(TestMarker(texts));
        }

        // The marker lets the bot recognise its own card in a conversation (read back through Graph).
        body.Add(Header(texts, alert) with { Id = MarkerId(alert.Id) });
        body.Add(new Container(Facts(texts, alert, context, now, timeZone)) { Spacing = "medium" });
        if (actions is { Count: > 0 })
        {
            body.AddRange(inputs ?? []);
            body.Add(new ActionSet(actions) { Spacing = "medium" });
        }

        body.AddRange(Resources(texts, alert.AffectedResources ?? []));
        body.AddRange(Details(texts, alert.AdditionalDetails));
        body.AddRange(Description(texts, alert.Description));
        body.AddRange(Checklist(texts));
        body.Add(Plain(
            new TextRun(texts.Format(texts.Footer, OneLine(alert.Id) is { } id ? Clip(id, MaxNameLength) : texts.Unknown, cardVersion, Absolute(now, timeZone))) { Size = "small", IsSubtle = true })
            with { Separator = true, Spacing = "medium" });

        IReadOnlyList<OpenUrlAction> links = DeepLinks(texts, alert, context);
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = SummaryLine(texts, alert, context, now),
            Body = body,
            Actions = links.Count > 0 ? links : null,
            MsTeams = new TeamsCardOptions("Full"),
        };
    }

    /// <summary>The element id that marks the card of <paramref name="alertId"/> (unique to it in a conversation).</summary>
    public static string MarkerId(string alertId) => "tab-alert-" + alertId;

    /// <summary>The element id of the "may be a repeat" note.</summary>
    public const string PossibleRepeatId = "tab-possible-repeat";

    /// <summary>
    /// One plain-text line about an alert, for a notification (the activity's <c>summary</c>) or
    /// a threaded reply: severity, status, type, customer, subscription and age. The line is not
    /// markdown-escaped: send it with <c>textFormat: "plain"</c>.
    /// </summary>
    public static string SummaryLine(AlertTexts texts, PartnerSecurityAlert alert, AlertCardContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);

        string status = alert.Status == AlertStatus.Resolved
            ? texts.Format(texts.StatusWithVerdict, texts.Status(alert.Status), texts.Verdict(alert.ResolvedReason))
            : texts.Status(alert.Status);
        string what = HumanizeAlertType(alert.AlertType) ?? OneLine(alert.DisplayName) ?? texts.FallbackTitle;
        string customer = OneLine(context.CustomerName) ?? OneLine(context.CustomerDomain) ?? OneLine(CustomerTenantId(alert, context)) ?? texts.Unknown;
        string subscription = OneLine(context.SubscriptionName) ?? OneLine(alert.SubscriptionId) ?? texts.Unknown;
        string detected = alert.DetectedDateTime is { } at ? texts.Age(at, now) : texts.Unknown;
        string line = texts.Format(
            texts.SummaryLine, texts.Severity(alert.Severity), status, Clip(what, MaxNameLength), Clip(customer, MaxNameLength), Clip(subscription, MaxNameLength), detected);
        return alert.IsTest ? texts.TestPrefix + " " + line : line;
    }

    /// <summary>
    /// The card that sums up the open alerts found when a channel subscribes: counts by type, by
    /// customer (top <see cref="BackfillTopCount"/>) and by age, the oldest alert, and a button
    /// (<see cref="BackfillPageVerb"/>, <see cref="BackfillPageData"/>) that posts the first page.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="openAlerts">The open alerts, all of which are counted.</param>
    /// <param name="customerNames">Customer names by tenant id; the tenant id is shown when a name is missing.</param>
    /// <param name="now">When the card is built.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    /// <param name="pageSize">Alerts posted per click of the button.</param>
    /// <param name="signPage">The signature of the button that posts a page (for this card's conversation).</param>
    /// <param name="nextPage">The page the button posts; past the last page the card says all were posted.</param>
    public static AdaptiveCard BackfillSummary(
        AlertTexts texts,
        IReadOnlyList<PartnerSecurityAlert> openAlerts,
        IReadOnlyDictionary<string, string>? customerNames,
        DateTimeOffset now,
        TimeZoneInfo timeZone,
        int pageSize,
        Func<int, string> signPage,
        int nextPage = 1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(openAlerts);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(signPage);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);

        List<CardElement> body = [new TextBlock(texts.BackfillTitle) { Size = "large", Weight = "bolder", Style = "heading" }];
        if (openAlerts.Count == 0)
        {
            body.Add(new TextBlock(texts.BackfillNone));
            return new AdaptiveCard { Lang = texts.Language, Speak = texts.BackfillNone, Body = body, MsTeams = new TeamsCardOptions("Full") };
        }

        string intro = texts.Format(texts.BackfillIntro, openAlerts.Count);
        body.Add(new TextBlock(intro));

        IEnumerable<(CardElement Label, int Count)> types = Top(
            openAlerts.GroupBy(a => HumanizeAlertType(a.AlertType) ?? texts.Unknown, StringComparer.Ordinal)
                .Select(g => (Key: g.Key, Label: (CardElement)new TextBlock(g.Key), Count: g.Count())),
            new TextBlock(texts.BackfillOtherTypes) { IsSubtle = true });
        body.Add(Section(texts.BackfillByType));
        body.AddRange(types.Select(t => CountRow(t.Label, t.Count)));

        IEnumerable<(CardElement Label, int Count)> customers = Top(
            openAlerts.GroupBy(a => a.CustomerTenantId ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Name: CustomerLabel(texts, g.Key, customerNames), Count: g.Count()))
                .Select(c => (Key: c.Name, Label: (CardElement)Plain(c.Name), c.Count)),
            new TextBlock(texts.BackfillOtherCustomers) { IsSubtle = true });
        body.Add(Section(texts.Format(texts.BackfillByCustomer, BackfillTopCount)));
        body.AddRange(customers.Select(c => CountRow(c.Label, c.Count)));

        body.Add(Section(texts.BackfillByAge));
        body.AddRange(AgeBuckets(texts, openAlerts, now));

        if (openAlerts.Where(a => a.DetectedDateTime is not null).MinBy(a => a.DetectedDateTime) is { DetectedDateTime: { } oldestAt } oldest)
        {
            string title = HumanizeAlertType(oldest.AlertType) ?? OneLine(oldest.DisplayName) ?? texts.FallbackTitle;
            body.Add(Section(texts.BackfillOldest));
            body.Add(Plain(new TextRun(When(texts, oldestAt, now, timeZone))));
            body.Add(Plain(new TextRun(title + Separator + CustomerLabel(texts, oldest.CustomerTenantId ?? string.Empty, customerNames)) { IsSubtle = true }));
        }

        int pages = (openAlerts.Count + pageSize - 1) / pageSize;
        if (nextPage > pages)
        {
            body.Add(new TextBlock(texts.BackfillAllPosted) { Color = "good", Spacing = "medium" });
            return new AdaptiveCard { Lang = texts.Language, Speak = intro, Body = body, MsTeams = new TeamsCardOptions("Full") };
        }

        string buttonTitle = texts.Format(texts.BackfillPostPage, nextPage, pages);
        var first = new BackfillPageData(nextPage, signPage(nextPage));
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = intro,
            Body = body,
            Actions =
            [
                new ExecuteAction
                {
                    Title = buttonTitle,
                    Verb = BackfillPageVerb,
                    Data = JsonSerializer.SerializeToElement(first, AlertCardJsonContext.Default.BackfillPageData),
                    Fallback = new SubmitAction
                    {
                        Title = buttonTitle,
                        Data = JsonSerializer.SerializeToElement(first with { Verb = BackfillPageVerb }, AlertCardJsonContext.Default.BackfillPageData),
                    },
                },
            ],
            MsTeams = new TeamsCardOptions("Full"),
        };
    }

    /// <summary>
    /// The portal links of an alert, in the order shown: the subscription's overview, activity
    /// log and cost analysis in the Azure portal (in the customer's directory), the customer
    /// tenant's sign-in logs in the Entra admin center, and the customer in Partner Center. A link
    /// is left out unless every id it needs is a GUID.
    /// </summary>
    public static IReadOnlyList<OpenUrlAction> DeepLinks(AlertTexts texts, PartnerSecurityAlert alert, AlertCardContext context)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(context);

        List<OpenUrlAction> links = [];
        string? tenant = GuidOrNull(CustomerTenantId(alert, context));
        if (AzureSubscriptionUrl(tenant, alert.SubscriptionId) is { } subscriptionUrl)
        {
            string resource = subscriptionUrl.AbsoluteUri;
            links.Add(Link(texts.LinkSubscription, resource + "/overview"));
            links.Add(Link(texts.LinkActivityLog, resource + "/activitylog"));
            links.Add(Link(texts.LinkCostAnalysis, resource + "/costanalysis"));
        }

        if (tenant is not null)
        {
            links.Add(Link(texts.LinkSignInLogs, $"https://entra.microsoft.com/{Uri.EscapeDataString(tenant)}/#view/Microsoft_AAD_IAM/SignInEventsV3Blade"));
            links.Add(Link(texts.LinkPartnerCenter, $"https://partner.microsoft.com/dashboard/v2/customers/{Uri.EscapeDataString(tenant)}/servicemanagementpage"));
        }

        return links;
    }

    /// <summary>
    /// The Azure portal page of a subscription, opened in the customer's directory; null unless
    /// both ids are GUIDs. Append <c>/overview</c>, <c>/activitylog</c>, … for a blade.
    /// </summary>
    public static Uri? AzureSubscriptionUrl(string? tenantId, string? subscriptionId) =>
        GuidOrNull(tenantId) is { } tenant && GuidOrNull(subscriptionId) is { } subscription
            ? new Uri($"https://portal.azure.com/#@{Uri.EscapeDataString(tenant)}/resource/subscriptions/{Uri.EscapeDataString(subscription)}")
            : null;

    /// <summary>The customer's page in Partner Center (its subscriptions); null unless the tenant id is a GUID.</summary>
    public static Uri? PartnerCenterCustomerUrl(string? tenantId) =>
        GuidOrNull(tenantId) is { } tenant
            ? new Uri($"https://partner.microsoft.com/dashboard/commerce2/customers/{Uri.EscapeDataString(tenant)}/subscriptions")
            : null;

    /// <summary>
    /// An alert type for people: <c>networkConnectionsToCryptoMiningPools</c> → "Network
    /// connections to crypto mining pools", <c>VM_AnomalousDeployment</c> → "VM anomalous
    /// deployment". Acronyms stay upper case; anything but letters and digits separates words.
    /// Null when the type has no letters or digits.
    /// </summary>
    public static string? HumanizeAlertType(string? alertType)
    {
        if (string.IsNullOrEmpty(alertType))
        {
            return null;
        }

        List<string> words = [];
        var word = new StringBuilder();
        for (int i = 0; i < alertType.Length; i++)
        {
            char c = alertType[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, word);
                continue;
            }

            if (word.Length > 0 && char.IsUpper(c))
            {
                char previous = alertType[i - 1];
                bool nextIsLower = i + 1 < alertType.Length && char.IsLower(alertType[i + 1]);
                // "miningPools" splits before P; "VMDeployment" splits before D, keeping "VM" whole.
                if (!char.IsUpper(previous) || nextIsLower)
                {
                    Flush(words, word);
                }
            }

            word.Append(c);
        }

        Flush(words, word);
        if (words.Count == 0)
        {
            return null;
        }

        for (int i = 0; i < words.Count; i++)
        {
            bool acronym = words[i].Length > 1 && words[i].All(ch => !char.IsLetter(ch) || char.IsUpper(ch));
            if (!acronym)
            {
                words[i] = words[i].ToLowerInvariant();
            }
        }

        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return Clip(string.Join(' ', words), MaxNameLength);

        static void Flush(List<string> words, StringBuilder word)
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }

    private static Container TestMarker(AlertTexts texts) => new(
    [
        new TextBlock(texts.TestMarker) { Weight = "bolder", Color = "accent", Size = "small" },
        new TextBlock(texts.TestMarkerNote) { Size = "small", IsSubtle = true, Spacing = "none" },
    ])
    { Style = "accent" };

    private static Container Header(AlertTexts texts, PartnerSecurityAlert alert)
    {
        string title = OneLine(alert.DisplayName) is { } name
            // The title must stay a TextBlock to be a heading, so it is escaped instead of a text run.
            ? MarkdownText.Escape(Clip(name, MaxNameLength))
            : HumanizeAlertType(alert.AlertType) ?? texts.FallbackTitle;
        return new Container(
        [
            new TextBlock(title) { Size = "large", Weight = "bolder", Style = "heading" },
            new ColumnSet(
            [
                Badge(texts.SeverityLabel, texts.Severity(alert.Severity), SeverityColor(alert.Severity)),
                Badge(texts.ConfidenceLabel, texts.Confidence(alert.ConfidenceLevel), ConfidenceColor(alert.ConfidenceLevel)),
                Badge(texts.StatusLabel, texts.Status(alert.Status), StatusColor(alert.Status)),
            ]),
        ])
        {
            Style = alert.Severity switch
            {
                AlertSeverity.High => "attention",
                AlertSeverity.Medium => "warning",
                _ => "emphasis",
            },
        };

        static Column Badge(string label, string value, string color) => new(
        [
            new TextBlock(label) { Size = "small", IsSubtle = true },
            new TextBlock(value) { Weight = "bolder", Color = color, Spacing = "none" },
        ])
        { Width = "stretch" };
    }

    private static List<CardElement> Facts(AlertTexts texts, PartnerSecurityAlert alert, AlertCardContext context, DateTimeOffset now, TimeZoneInfo zone)
    {
        List<CardElement> rows = [];

        List<CardElement> type = [Plain(new TextRun(HumanizeAlertType(alert.AlertType) ?? texts.Unknown))];
        if (OneLine(alert.AlertType) is { } raw)
        {
            type.Add(Plain(Id(raw, subtle: true)) with { Spacing = "none" });
        }

        rows.Add(Row(texts.AlertTypeLabel, type));
        if (context.Triage is { } triage)
        {
            rows.Add(Row(Clip(triage.Label, MaxNameLength), [Plain(new TextRun(Clip(triage.Text, MaxValueLength * 3)) { Weight = "bolder" })]));
        }

        if (context.Mitigation is { } mitigation)
        {
            rows.Add(Row(Clip(mitigation.Label, MaxNameLength), [Plain(new TextRun(Clip(mitigation.Text, MaxValueLength * 3)) { Weight = "bolder", Color = "attention" })]));
        }

        if (context.Response is { } response)
        {
            rows.Add(Row(Clip(response.Label, MaxNameLength), [Plain(new TextRun(Clip(response.Text, MaxValueLength)) { Weight = "bolder", Color = "accent" })]));
        }

        if (alert.Status == AlertStatus.Resolved)
        {
            rows.Add(Row(texts.VerdictLabel, [Plain(new TextRun(texts.Verdict(alert.ResolvedReason)) { Weight = "bolder", Color = VerdictColor(alert.ResolvedReason) })]));
            rows.Add(Row(texts.ResolvedByLabel, [Plain(new TextRun(OneLine(alert.ResolvedBy) is { } by ? Clip(by, MaxNameLength) : texts.Unknown))]));
            rows.Add(Row(texts.ResolvedOnLabel, [Plain(new TextRun(alert.ResolvedOnDateTime is { } on ? When(texts, on, now, zone) : texts.Unknown))]));
        }

        rows.Add(Row(texts.CustomerLabel, NamesAndId(texts, [context.CustomerName, context.CustomerDomain], CustomerTenantId(alert, context))));

        List<string?> resellers = [.. context.ResellerNames ?? []];
        rows.Add(Row(
            texts.ResellerLabel,
            resellers.Any(n => OneLine(n) is not null) || OneLine(alert.ValueAddedResellerTenantId) is not null
                ? NamesAndId(texts, [string.Join(", ", resellers.Select(OneLine).OfType<string>())], alert.ValueAddedResellerTenantId)
                : [Plain(new TextRun(texts.NoReseller))]));

        string? offer = OneLine(context.SubscriptionOffer) ?? OneLine(alert.CatalogOfferId);
        rows.Add(Row(texts.SubscriptionLabel, NamesAndId(texts, [context.SubscriptionName, offer], alert.SubscriptionId)));

        rows.Add(Row(texts.DetectedLabel, [Plain(new TextRun(alert.DetectedDateTime is { } detected ? When(texts, detected, now, zone) : texts.Unknown))]));
        if (alert.FirstObservedDateTime is { } first)
        {
            rows.Add(Row(texts.FirstObservedLabel, [Plain(new TextRun(When(texts, first, now, zone)))]));
        }

        if (alert.LastObservedDateTime is { } last)
        {
            rows.Add(Row(texts.LastObservedLabel, [Plain(new TextRun(When(texts, last, now, zone)))]));
        }

        return rows;
    }

    /// <summary>Known names (bold, one line each) above the id; the id alone when no name is known.</summary>
    private static List<CardElement> NamesAndId(AlertTexts texts, IEnumerable<string?> names, string? id)
    {
        List<CardElement> lines = [];
        foreach (string name in names.Select(OneLine).OfType<string>())
        {
            lines.Add(Plain(new TextRun(Clip(name, MaxNameLength)) { Weight = lines.Count == 0 ? "bolder" : null }) with { Spacing = lines.Count == 0 ? null : "none" });
        }

        bool named = lines.Count > 0;
        if (OneLine(id) is { } shown)
        {
            lines.Add(Plain(Id(shown, subtle: named)) with { Spacing = named ? "none" : null });
        }
        else if (!named)
        {
            lines.Add(Plain(new TextRun(texts.Unknown)));
        }

        return lines;
    }

    private static IEnumerable<CardElement> Resources(AlertTexts texts, IReadOnlyList<AffectedResource> resources)
    {
        yield return Section(texts.Format(texts.AffectedResourcesTitle, resources.Count));
        if (resources.Count == 0)
        {
            yield return new TextBlock(texts.NoAffectedResources) { IsSubtle = true };
            yield break;
        }

        foreach (AffectedResource resource in resources.Take(MaxShownResources))
        {
            // The ARM path's last segment (the resource's name) first, for scanning; then the whole path.
            string? id = OneLine(resource.ResourceId);
            string? name = id?.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed[(trimmed.LastIndexOf('/') + 1)..] : null;
            yield return (id is null
                ? Plain(new TextRun(texts.Unknown))
                : name is null || name == id
                    ? Plain(new TextRun(Clip(id, MaxValueLength)) { FontType = "monospace" })
                    : Plain(
                        new TextRun(Clip(name, MaxNameLength)) { Weight = "bolder" },
                        new TextRun(" " + Clip(id, MaxValueLength)) { Size = "small", IsSubtle = true, FontType = "monospace" }))
                with { Spacing = "small" };
        }

        if (resources.Count > MaxShownResources)
        {
            yield return new TextBlock(texts.Format(texts.AndMore, resources.Count - MaxShownResources)) { IsSubtle = true, Size = "small" };
        }
    }

    private static IEnumerable<CardElement> Details(AlertTexts texts, JsonElement? additionalDetails)
    {
        List<(string Key, string Value)> details = ReadDetails(additionalDetails);
        if (details.Count == 0)
        {
            yield break;
        }

        yield return Section(texts.DetailsTitle);
        foreach ((string key, string value) in details.Take(MaxShownDetails))
        {
            yield return Row(
                Plain(new TextRun(Clip(OneLine(key) ?? "—", MaxNameLength)) { Weight = "bolder" }),
                [Plain(new TextRun(Clip(OneLine(value) ?? "—", MaxValueLength)))]);
        }

        if (details.Count > MaxShownDetails)
        {
            yield return new TextBlock(texts.Format(texts.AndMore, details.Count - MaxShownDetails)) { IsSubtle = true, Size = "small" };
        }
    }

    private static IEnumerable<CardElement> Description(AlertTexts texts, string? description)
    {
        if (OneLine(description) is { } text)
        {
            yield return Section(texts.DescriptionTitle);
            yield return Plain(new TextRun(Clip(text, MaxDescriptionLength)));
        }
    }

    private static IEnumerable<CardElement> Checklist(AlertTexts texts)
    {
        yield return Section(texts.ChecklistTitle);
        string[] steps = [texts.ChecklistVerifyActivity, texts.ChecklistReportFinding, texts.ChecklistEnforceMfa, texts.ChecklistReviewRoles, texts.ChecklistCheckSpend];
        for (int i = 0; i < steps.Length; i++)
        {
            // TextRuns, not a markdown list: each TextBlock would restart the numbering on some clients.
            yield return Plain(
                new TextRun((i + 1).ToString(CultureInfo.InvariantCulture) + ". ") { Weight = "bolder" },
                new TextRun(steps[i]))
                with { Spacing = "small" };
        }
    }

    private static IEnumerable<CardElement> AgeBuckets(AlertTexts texts, IReadOnlyList<PartnerSecurityAlert> alerts, DateTimeOffset now)
    {
        int[] counts = new int[5];
        foreach (PartnerSecurityAlert alert in alerts)
        {
            TimeSpan? age = now - alert.DetectedDateTime;
            int bucket = age switch
            {
                null => 4,
                { } a when a < TimeSpan.FromDays(1) => 0,
                { } a when a < TimeSpan.FromDays(7) => 1,
                { } a when a < TimeSpan.FromDays(30) => 2,
                _ => 3,
            };
            counts[bucket]++;
        }

        string[] labels = [texts.AgeBucketUnderOneDay, texts.AgeBucketOneToSevenDays, texts.AgeBucketSevenToThirtyDays, texts.AgeBucketOverThirtyDays, texts.AgeBucketUnknown];
        for (int i = 0; i < labels.Length; i++)
        {
            if (i < 4 || counts[i] > 0)
            {
                yield return CountRow(new TextBlock(labels[i]), counts[i]);
            }
        }
    }

    /// <summary>The <see cref="BackfillTopCount"/> biggest groups (ties by name), then one row for the rest.</summary>
    private static List<(CardElement Label, int Count)> Top(IEnumerable<(string Key, CardElement Label, int Count)> groups, CardElement otherLabel)
    {
        List<(string Key, CardElement Label, int Count)> sorted = [.. groups.OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal)];
        List<(CardElement Label, int Count)> rows = [.. sorted.Take(BackfillTopCount).Select(g => (g.Label, g.Count))];
        int rest = sorted.Skip(BackfillTopCount).Sum(g => g.Count);
        if (rest > 0)
        {
            rows.Add((otherLabel, rest));
        }

        return rows;
    }

    private static string CustomerLabel(AlertTexts texts, string tenantId, IReadOnlyDictionary<string, string>? names) =>
        (tenantId.Length > 0 && names is not null && names.TryGetValue(tenantId, out string? name) ? OneLine(name) : null) is { } known
            ? Clip(known, MaxNameLength)
            : OneLine(tenantId) is { } id ? Clip(id, MaxNameLength) : texts.Unknown;

    private static ColumnSet CountRow(CardElement label, int count) => new(
    [
        new Column([label]) { Width = "stretch" },
        new Column([new TextBlock(count.ToString(CultureInfo.InvariantCulture)) { Weight = "bolder" }]) { Width = "auto" },
    ])
    { Spacing = "small" };

    internal static ColumnSet Row(string label, IReadOnlyList<CardElement> values) =>
        Row(new TextBlock(label) { Weight = "bolder" }, values);

    /// <summary>A label/value row: a FactSet look, but the value may be any element (FactSet values are markdown).</summary>
    internal static ColumnSet Row(CardElement label, IReadOnlyList<CardElement> values) => new(
    [
        new Column([label]) { Width = "2" },
        new Column(values) { Width = "5" },
    ])
    { Spacing = "small" };

    internal static TextBlock Section(string title) =>
        new(title) { Weight = "bolder", Separator = true, Spacing = "medium" };

    internal static RichTextBlock Plain(params TextRun[] runs) => new(runs);

    private static RichTextBlock Plain(string text) => new([new TextRun(text)]);

    private static TextRun Id(string id, bool subtle) =>
        new(Clip(id, MaxNameLength)) { FontType = "monospace", Size = subtle ? "small" : null, IsSubtle = subtle ? true : null };

    private static OpenUrlAction Link(string title, string url) => new(new Uri(url)) { Title = title };

    private static string? CustomerTenantId(PartnerSecurityAlert alert, AlertCardContext context) =>
        OneLine(alert.CustomerTenantId) ?? OneLine(context.CustomerTenantId);

    /// <summary>The id in canonical form when it is a non-empty GUID; null otherwise.</summary>
    internal static string? GuidOrNull(string? id) =>
        Guid.TryParseExact(id, "D", out Guid guid) && guid != Guid.Empty ? guid.ToString("D") : null;

    private static string When(AlertTexts texts, DateTimeOffset at, DateTimeOffset now, TimeZoneInfo zone) =>
        Absolute(at, zone) + Separator + texts.Age(at, now);

    /// <summary><c>2026-06-02 18:15 (UTC+09:00)</c>: the same in every language, and unambiguous.</summary>
    internal static string Absolute(DateTimeOffset at, TimeZoneInfo zone)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(at, zone);
        TimeSpan offset = local.Offset;
        string utc = offset == TimeSpan.Zero
            ? "UTC"
            : "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + utc + ")";
    }

    internal static string SeverityColor(AlertSeverity severity) => severity switch
    {
        AlertSeverity.High => "attention",
        AlertSeverity.Medium => "warning",
        AlertSeverity.Informational => "good",
        _ => "default",
    };

    private static string ConfidenceColor(AlertConfidence confidence) => confidence switch
    {
        AlertConfidence.High => "attention",
        AlertConfidence.Medium => "warning",
        _ => "default",
    };

    internal static string StatusColor(AlertStatus status) => status switch
    {
        AlertStatus.Active => "attention",
        AlertStatus.Investigating => "warning",
        AlertStatus.Resolved => "good",
        _ => "default",
    };

    private static string VerdictColor(AlertResolvedReason? verdict) => verdict switch
    {
        AlertResolvedReason.Fraud => "attention",
        AlertResolvedReason.Legitimate => "good",
        _ => "default",
    };

    /// <summary>
    /// Name/value pairs of <c>additionalDetails</c>, in Graph's order, with values made readable:
    /// JSON-encoded arrays (<c>"[\"a\",\"b\"]"</c>) become <c>a, b</c>. OData annotations are skipped.
    /// </summary>
    private static List<(string Key, string Value)> ReadDetails(JsonElement? details)
    {
        if (details is not { ValueKind: JsonValueKind.Object } bag)
        {
            return [];
        }

        List<(string Key, string Value)> pairs = [];
        foreach (JsonProperty property in bag.EnumerateObject())
        {
            if (!property.Name.StartsWith("@odata.", StringComparison.Ordinal))
            {
                pairs.Add((property.Name, Readable(property.Value)));
            }
        }

        return pairs;
    }

    private static string Readable(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ReadableString(value.GetString() ?? string.Empty),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Readable)),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    private static string ReadableString(string text)
    {
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '[' || trimmed[^1] != ']')
        {
            return text;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return Readable(document.RootElement);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>The text on one line (any run of white space or control characters becomes one space); null when blank.</summary>
    internal static string? OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
        }

        return line.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, ending in "…" when cut; never splits a surrogate pair.</summary>
    internal static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int cut = max - Ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }

}
