using System.Globalization;
using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>
/// Builders of the "ask the bot" answers: customer, choice of customers, subscription, resellers,
/// organization profile, an alert card with its history, a page of alerts, and a problem. As on
/// the alert cards, everything the bot does not write itself goes into <see cref="TextRun"/>s.
/// </summary>
public static class QueryCards
{
    /// <summary>The verb of every query button (<see cref="QueryActionData"/>).</summary>
    public const string RunVerb = "query.run";

    /// <summary>Open alerts listed on a customer or subscription card; the rest are counted.</summary>
    public const int MaxListedAlerts = 5;

    /// <summary>Customers offered on a choice card.</summary>
    public const int MaxChoices = 8;

    /// <summary>Azure subscriptions listed on a subscription card.</summary>
    public const int MaxListedAzureSubscriptions = 10;

    /// <summary>History lines shown on an alert card (the newest).</summary>
    public const int MaxHistoryLines = 15;

    /// <summary>The most a card with history may weigh as JSON, leaving room for the activity around it (Teams takes 28 KB).</summary>
    public const int MaxCardBytes = 24 * 1024;

    private const int MaxName = 120;

    /// <summary>A customer: company, domain, tenant, relationship, indirect reseller, open alerts.</summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="resellers">Its indirect resellers; null when Partner Center could not say.</param>
    /// <param name="openAlerts">Its open alerts; null when Graph could not be read.</param>
    /// <param name="now">Ages are measured from it.</param>
    public static AdaptiveCard Customer(
        QueryTexts texts, CustomerView customer, IReadOnlyList<ResellerView>? resellers, IReadOnlyList<PartnerSecurityAlert>? openAlerts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(customer);
        List<CardElement> body =
        [
            Title(texts.CustomerTitle),
            AlertCards.Plain(new TextRun(AlertCards.Clip(customer.DisplayName, MaxName)) { Size = "large", Weight = "bolder" }),
            AlertCards.Row(texts.DomainLabel, [Value(texts, customer.Domain)]),
            AlertCards.Row(texts.TenantLabel, [Id(customer.TenantId)]),
            AlertCards.Row(texts.RelationshipLabel, [Value(texts, texts.Relationship(customer.RelationshipToPartner))]),
        ];
        if (customer.AllowDelegatedAccess is { } delegated)
        {
            body.Add(AlertCards.Row(texts.DelegatedAccessLabel, [Value(texts, delegated ? texts.Yes : texts.No)]));
        }

        body.Add(AlertCards.Row(texts.IndirectResellerLabel, ResellerLines(texts, resellers, customer.AssociatedPartnerId)));
        body.AddRange(AlertLines(texts, openAlerts, now, customerNames: null));

        List<CardAction> actions =
        [
            Run(texts.ActionListAlerts, "alerts", new AlertListRequest { Customer = customer.TenantId }.ToArguments()),
            Run(texts.ActionResellers, "reseller", customer.TenantId),
        ];
        if (AlertCards.PartnerCenterCustomerUrl(customer.TenantId) is { } link)
        {
            actions.Add(new OpenUrlAction(link) { Title = texts.LinkPartnerCenter });
        }

        return Card(texts, customer.DisplayName, body, actions);
    }

    /// <summary>
    /// Several customers matched what was typed: one button per customer (at most
    /// <see cref="MaxChoices"/>) that re-runs the command for that customer's tenant id.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="typed">What the user typed.</param>
    /// <param name="matches">The matching customers.</param>
    /// <param name="rerun">The button data for a tenant id.</param>
    public static AdaptiveCard CustomerChoice(QueryTexts texts, string typed, IReadOnlyList<CustomerView> matches, Func<string, QueryActionData> rerun)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(rerun);
        // What was typed goes into a heading (a TextBlock): escaped, though the argument check already refuses markup.
        string title = texts.Format(texts.ChoiceTitle, MarkdownText.Escape(AlertCards.Clip(AlertCards.OneLine(typed) ?? string.Empty, MaxName)));
        List<CardElement> body =
        [
            new TextBlock(title) { Size = "medium", Weight = "bolder", Style = "heading" },
            new TextBlock(texts.ChoiceIntro),
        ];
        foreach (CustomerView customer in matches.Take(MaxChoices))
        {
            body.Add(new ColumnSet(
            [
                new Column(
                [
                    AlertCards.Plain(new TextRun(AlertCards.Clip(customer.DisplayName, MaxName)) { Weight = "bolder" }),
                    AlertCards.Plain(new TextRun(AlertCards.Clip(AlertCards.OneLine(customer.Domain) ?? texts.Unknown, MaxName)) { IsSubtle = true },
                        new TextRun(" " + customer.TenantId) { IsSubtle = true, Size = "small", FontType = "monospace" }) with { Spacing = "none" },
                ]) { Width = "stretch" },
                new Column([new ActionSet([Button(texts.ChoiceButton, rerun(customer.TenantId))])]) { Width = "auto", VerticalContentAlignment = "center" },
            ]) { Separator = true, Spacing = "small" });
        }

        if (matches.Count > MaxChoices)
        {
            body.Add(new TextBlock(texts.Format(texts.ChoiceTruncated, MaxChoices)) { IsSubtle = true, Size = "small" });
        }

        return Card(texts, title, body, actions: []);
    }

    /// <summary>A subscription: name, offer, status, dates; an Azure plan's Azure subscriptions; its open alerts.</summary>
    public static AdaptiveCard Subscription(
        QueryTexts texts, SubscriptionView subscription, IReadOnlyList<PartnerSecurityAlert>? openAlerts, DateTimeOffset now, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(timeZone);
        string name = AlertCards.OneLine(subscription.FriendlyName) ?? AlertCards.OneLine(subscription.OfferName) ?? subscription.Id;
        List<CardElement> body =
        [
            Title(texts.SubscriptionTitle),
            AlertCards.Plain(new TextRun(AlertCards.Clip(name, MaxName)) { Size = "large", Weight = "bolder" }),
            AlertCards.Row(texts.CustomerLabel, [Value(texts, subscription.Customer.DisplayName), Id(subscription.Customer.TenantId, subtle: true) with { Spacing = "none" }]),
            AlertCards.Row(texts.SubscriptionIdLabel, [Id(subscription.Id)]),
            AlertCards.Row(texts.OfferLabel, [Value(texts, subscription.OfferName), .. OptionalId(subscription.OfferId)]),
            AlertCards.Row(texts.StatusLabel, [Value(texts, texts.SubscriptionStatus(subscription.Status))]),
        ];
        if (subscription.Quantity is { } quantity && !subscription.IsAzurePlan)
        {
            body.Add(AlertCards.Row(texts.QuantityLabel, [Value(texts, quantity.ToString(CultureInfo.InvariantCulture))]));
        }

        if (JoinKnown(subscription.BillingCycle, subscription.TermDuration) is { } billing)
        {
            body.Add(AlertCards.Row(texts.BillingLabel, [Value(texts, billing)]));
        }

        AddDate(body, texts.CreatedLabel, subscription.CreationDate, timeZone);
        AddDate(body, texts.StartLabel, subscription.EffectiveStartDate, timeZone);
        AddDate(body, texts.CommitmentEndLabel, subscription.CommitmentEndDate, timeZone);
        if (subscription.AutoRenewEnabled is { } autoRenew)
        {
            body.Add(AlertCards.Row(texts.AutoRenewLabel, [Value(texts, autoRenew ? texts.Yes : texts.No)]));
        }

        List<CardAction> actions = [];
        if (subscription.IsAzurePlan)
        {
            if (subscription.AskedAzureSubscriptionId is { } asked)
            {
                body.Add(AlertCards.Plain(new TextRun(texts.Format(texts.AskedAzureSubscription, asked)) { Color = "accent" }) with { Spacing = "medium" });
            }

            body.Add(AlertCards.Section(texts.Format(texts.AzureSubscriptionsTitle, subscription.AzureSubscriptions.Count)));
            if (subscription.AzureSubscriptions.Count == 0)
            {
                body.Add(new TextBlock(texts.NoAzureSubscriptions) { IsSubtle = true });
            }

            foreach (AzureSubscriptionView azure in subscription.AzureSubscriptions.Take(MaxListedAzureSubscriptions))
            {
                bool isAsked = string.Equals(azure.Id, subscription.AskedAzureSubscriptionId, StringComparison.OrdinalIgnoreCase);
                body.Add(AlertCards.Plain(
                    new TextRun(AlertCards.Clip(AlertCards.OneLine(azure.FriendlyName) ?? texts.Unknown, MaxName)) { Weight = "bolder", Color = isAsked ? "accent" : null },
                    new TextRun(" · " + texts.SubscriptionStatus(azure.Status)) { IsSubtle = true },
                    new TextRun(" " + AlertCards.Clip(azure.Id, MaxName)) { Size = "small", IsSubtle = true, FontType = "monospace" }) with { Spacing = "small" });
            }

            if (subscription.AzureSubscriptions.Count > MaxListedAzureSubscriptions)
            {
                body.Add(new TextBlock(texts.Format(texts.AndMore, subscription.AzureSubscriptions.Count - MaxListedAzureSubscriptions)) { IsSubtle = true, Size = "small" });
            }
        }

        body.AddRange(AlertLines(texts, openAlerts, now, customerNames: null));
        if (AlertCards.AzureSubscriptionUrl(subscription.Customer.TenantId, subscription.AskedAzureSubscriptionId ?? subscription.Id) is { } portal)
        {
            actions.Add(new OpenUrlAction(new Uri(portal.AbsoluteUri + "/overview")) { Title = texts.LinkAzurePortal });
        }

        if (AlertCards.PartnerCenterCustomerUrl(subscription.Customer.TenantId) is { } partnerCenter)
        {
            actions.Add(new OpenUrlAction(partnerCenter) { Title = texts.LinkPartnerCenter });
        }

        return Card(texts, name, body, actions);
    }

    /// <summary>A customer's indirect resellers (and the associated partner id of its record).</summary>
    public static AdaptiveCard Resellers(QueryTexts texts, CustomerView customer, IReadOnlyList<ResellerView> resellers)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(resellers);
        string title = texts.Format(texts.ResellersTitle, AlertCards.Clip(customer.DisplayName, MaxName));
        // The customer's name comes from Partner Center: a plain run, never markdown.
        List<CardElement> body = [AlertCards.Plain(new TextRun(title) { Size = "medium", Weight = "bolder" })];
        if (resellers.Count == 0 && AlertCards.OneLine(customer.AssociatedPartnerId) is null)
        {
            body.Add(AlertCards.Plain(new TextRun(texts.Format(texts.NoResellers, AlertCards.Clip(customer.DisplayName, MaxName)))));
        }

        foreach (ResellerView reseller in resellers)
        {
            bool associated = SameId(reseller.TenantId, customer.AssociatedPartnerId);
            List<TextRun> name = [new TextRun(AlertCards.Clip(AlertCards.OneLine(reseller.Name) ?? texts.Unknown, MaxName)) { Weight = "bolder" }];
            if (associated)
            {
                name.Add(new TextRun(" (" + texts.AssociatedMarker + ")") { IsSubtle = true });
            }

            body.Add(new Container(
            [
                AlertCards.Plain([.. name]),
                AlertCards.Row(texts.TenantLabel, [Id(reseller.TenantId ?? texts.Unknown)]),
                AlertCards.Row(texts.MpnIdLabel, [Value(texts, reseller.MpnId)]),
                AlertCards.Row(texts.RelationshipTypeLabel, [Value(texts, texts.RelationshipType(reseller.RelationshipType))]),
                AlertCards.Row(texts.StateLabel, [Value(texts, reseller.State)]),
            ]) { Separator = true, Spacing = "medium" });
        }

        if (AlertCards.OneLine(customer.AssociatedPartnerId) is { } partnerId && !resellers.Any(r => SameId(r.TenantId, partnerId)))
        {
            body.Add(AlertCards.Row(texts.AssociatedPartnerLabel, [Id(partnerId)]) with { Separator = true, Spacing = "medium" });
        }

        List<CardAction> actions = [];
        if (AlertCards.PartnerCenterCustomerUrl(customer.TenantId) is { } link)
        {
            actions.Add(new OpenUrlAction(link) { Title = texts.LinkPartnerCenter });
        }

        return Card(texts, title, body, actions);
    }

    /// <summary>The partner's organization profile.</summary>
    public static AdaptiveCard Profile(QueryTexts texts, OrganizationProfileView profile)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(profile);
        List<CardElement> body =
        [
            Title(texts.ProfileTitle),
            AlertCards.Plain(new TextRun(AlertCards.Clip(AlertCards.OneLine(profile.CompanyName) ?? texts.Unknown, MaxName)) { Size = "large", Weight = "bolder" }),
            AlertCards.Row(texts.DomainLabel, [Value(texts, profile.Domain)]),
            AlertCards.Row(texts.TenantLabel, [Id(profile.TenantId ?? texts.Unknown)]),
            AlertCards.Row(texts.EmailLabel, [Value(texts, profile.Email)]),
            AlertCards.Row(texts.LanguageLabel, [Value(texts, JoinKnown(profile.Language, profile.Culture))]),
            AlertCards.Row(texts.AddressLabel, [Value(texts, profile.Address)]),
        ];
        return Card(texts, texts.ProfileTitle, body, actions: []);
    }

    /// <summary>
    /// An alert's card (as the channel gets it, buttons included) with a history section: Microsoft's
    /// status changes (<c>activityLogs</c>) and the bot's audit trail, merged by time, newest last.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="alertTexts">The alert card's texts (for status words).</param>
    /// <param name="alertCard">The alert's card.</param>
    /// <param name="activityLogs">The alert's <c>activityLogs</c>.</param>
    /// <param name="audit">The bot's audit trail; null when it could not be read.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    public static AdaptiveCard AlertWithHistory(
        QueryTexts texts,
        AlertTexts alertTexts,
        AdaptiveCard alertCard,
        IReadOnlyList<AlertActivityLog> activityLogs,
        IReadOnlyList<AuditLine>? audit,
        TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alertTexts);
        ArgumentNullException.ThrowIfNull(alertCard);
        ArgumentNullException.ThrowIfNull(activityLogs);
        ArgumentNullException.ThrowIfNull(timeZone);

        List<(DateTimeOffset? At, string Source, string Text, string? Comment)> lines = [];
        foreach (AlertActivityLog log in activityLogs)
        {
            lines.Add((log.UpdatedDateTime, texts.HistorySourceGraph, texts.Format(
                texts.HistoryStatusChange,
                log.StatusFrom is { } from ? alertTexts.Status(from) : alertTexts.Unknown,
                log.StatusTo is { } to ? alertTexts.Status(to) : alertTexts.Unknown,
                AlertCards.OneLine(log.UpdatedBy) ?? alertTexts.Unknown), null));
        }

        foreach (AuditLine entry in audit ?? [])
        {
            lines.Add((entry.At, texts.HistorySourceBot, texts.Format(
                texts.HistoryBotAction,
                AlertCards.OneLine(entry.Action) is { } action ? texts.HistoryAction(action) : alertTexts.Unknown,
                AlertCards.OneLine(entry.Actor) ?? alertTexts.Unknown,
                AlertCards.OneLine(entry.Outcome) is { } outcome ? texts.HistoryOutcome(outcome) : alertTexts.Unknown),
                AlertCards.OneLine(entry.Comment)));
        }

        var ordered = lines.OrderBy(l => l.At ?? DateTimeOffset.MinValue).ToList();
        List<CardElement> rendered = [];
        foreach ((DateTimeOffset? at, string source, string text, string? comment) in ordered)
        {
            List<TextRun> runs =
            [
                new TextRun((at is { } when ? AlertCards.Absolute(when, timeZone) : alertTexts.Unknown) + " ") { Size = "small", IsSubtle = true },
                new TextRun("[" + source + "] ") { Size = "small", Weight = "bolder" },
                new TextRun(AlertCards.Clip(text, 300)) { Size = "small" },
            ];
            if (comment is not null)
            {
                runs.Add(new TextRun(" — " + texts.Format(texts.HistoryComment, AlertCards.Clip(comment, 300))) { Size = "small", Italic = true });
            }

            rendered.Add(AlertCards.Plain([.. runs]) with { Spacing = "small" });
        }

        // The newest lines, as many as fit: at most MaxHistoryLines, and the whole card within
        // MaxCardBytes (a long Japanese comment is six bytes a character once escaped in JSON).
        int skip = Math.Max(0, rendered.Count - MaxHistoryLines);
        while (true)
        {
            List<CardElement> history = [AlertCards.Section(texts.HistoryTitle)];
            if (rendered.Count == 0)
            {
                history.Add(new TextBlock(texts.HistoryEmpty) { IsSubtle = true });
            }

            if (skip > 0)
            {
                history.Add(new TextBlock(texts.Format(texts.AndMore, skip)) { IsSubtle = true, Size = "small" });
            }

            history.AddRange(rendered.Skip(skip));
            if (audit is null)
            {
                history.Add(new TextBlock(texts.HistoryAuditUnavailable) { IsSubtle = true, Size = "small", Color = "warning" });
            }

            AdaptiveCard card = alertCard with { Body = [.. alertCard.Body, .. history] };
            if (skip >= rendered.Count || System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(card, CardJsonContext.Default.AdaptiveCard).Length <= MaxCardBytes)
            {
                return card;
            }

            skip++;
        }
    }

    /// <summary>One page of alerts, with a "next page" button while there are more.</summary>
    public static AdaptiveCard AlertList(QueryTexts texts, AlertListPage page, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(page);
        AlertListRequest request = page.Request;
        List<string> filters =
        [
            request.Status switch
            {
                AlertListStatus.Active => texts.ListStatusActive,
                AlertListStatus.Investigating => texts.ListStatusInvestigating,
                AlertListStatus.All => texts.ListStatusAll,
                _ => texts.ListStatusOpen,
            },
        ];
        if (request.Customer is not null)
        {
            filters.Add(texts.Format(texts.ListFilterCustomer, AlertCards.Clip(AlertCards.OneLine(page.CustomerLabel) ?? request.Customer, MaxName)));
        }

        if (request.AlertType is { } type)
        {
            filters.Add(texts.Format(texts.ListFilterType, type));
        }

        if (request.OlderThan is { } older)
        {
            filters.Add(texts.Format(texts.ListFilterOlder, texts.Duration(older)));
        }

        string filterLine = texts.Format(texts.ListFilters, string.Join(" · ", filters));
        List<CardElement> body =
        [
            Title(texts.ListTitle),
            AlertCards.Plain(new TextRun(filterLine) { IsSubtle = true }),
        ];
        if (page.Total == 0)
        {
            body.Add(new TextBlock(texts.ListEmpty) { Spacing = "medium" });
            return Card(texts, texts.ListTitle, body, actions: []);
        }

        if (request.Page > page.Pages)
        {
            body.Add(new TextBlock(texts.Format(texts.ListPastEnd, request.Page, page.Pages)) { Spacing = "medium", Color = "warning" });
            return Card(texts, texts.ListTitle, body, [Run(texts.Format(texts.ListNextPage, 1, page.Pages), "alerts", (request with { Page = 1 }).ToArguments())]);
        }

        body.Add(new TextBlock(texts.Format(texts.ListCount, page.Total, request.Page, page.Pages)) { Weight = "bolder" });
        AlertTexts alertTexts = AlertTexts.For(texts.Language);
        foreach (PartnerSecurityAlert alert in page.Alerts)
        {
            body.Add(AlertLine(alertTexts, alert, now, page.CustomerNames) with { Separator = true, Spacing = "small" });
        }

        body.Add(new TextBlock(texts.ListDetailsHint) { IsSubtle = true, Size = "small", Spacing = "medium" });
        List<CardAction> actions = request.Page < page.Pages
            ? [Run(texts.Format(texts.ListNextPage, request.Page + 1, page.Pages), "alerts", (request with { Page = request.Page + 1 }).ToArguments())]
            : [];
        return Card(texts, texts.Format(texts.ListCount, page.Total, request.Page, page.Pages), body, actions);
    }

    /// <summary>Why there is no answer: bad input (with the usage), not found, or a busy or failing service.</summary>
    public static AdaptiveCard Problem(QueryTexts texts, QueryProblem problem)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(problem);
        string subject = AlertCards.Clip(AlertCards.OneLine(problem.Subject) ?? string.Empty, MaxName);
        string context = AlertCards.Clip(AlertCards.OneLine(problem.Context) ?? texts.Unknown, MaxName);
        string status = problem.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "?";
        (string title, string message, string style) = problem.Kind switch
        {
            QueryProblemKind.Usage => (texts.UsageTitle, problem.Detail ?? texts.InputMissing, "warning"),
            QueryProblemKind.CustomerNotFound => (texts.NotFoundTitle, texts.Format(texts.CustomerNotFound, subject), "warning"),
            QueryProblemKind.SubscriptionNotFound => (texts.NotFoundTitle, texts.Format(texts.SubscriptionNotFound, subject, context), "warning"),
            QueryProblemKind.AlertNotFound => (texts.NotFoundTitle, texts.Format(texts.AlertNotFound, subject), "warning"),
            QueryProblemKind.SubscriptionNeedsCustomer => (texts.NeedCustomerTitle, texts.Format(texts.SubscriptionNeedsCustomer, subject), "warning"),
            QueryProblemKind.PartnerCenterBusy => (texts.BusyTitle, texts.Format(texts.PartnerCenterBusy, Wait(texts, problem, TimeSpan.FromSeconds(30))), "attention"),
            QueryProblemKind.PartnerCenterUnavailable => (texts.UnavailableTitle, texts.Format(texts.PartnerCenterUnavailable, Wait(texts, problem, TimeSpan.FromMinutes(1))), "attention"),
            QueryProblemKind.PartnerCenterRefused => (texts.UnavailableTitle, texts.Format(texts.PartnerCenterRefused, status), "attention"),
            QueryProblemKind.ProfileNotAllowed => (texts.ProfileNotAllowedTitle, texts.Format(texts.ProfileNotAllowed, status), "warning"),
            QueryProblemKind.ProfileNeedsAdminGrant => (texts.ProfileNeedsGrantTitle, texts.Format(texts.ProfileNeedsGrant, GrantIssue(texts, problem.Grant), ConsentPath), "warning"),
            QueryProblemKind.NotConfigured => (
                texts.Format(texts.NotConfiguredTitle, problem.Service ?? texts.Unknown),
                texts.Format(texts.NotConfigured, problem.Service ?? texts.Unknown, string.Join(", ", problem.Settings)),
                "warning"),
            QueryProblemKind.GraphBusy => (texts.GraphBusyTitle, texts.Format(texts.GraphBusy, Wait(texts, problem, TimeSpan.FromSeconds(30))), "attention"),
            _ => (texts.GraphBusyTitle, texts.Format(texts.GraphUnavailable, Wait(texts, problem, TimeSpan.FromMinutes(1))), "attention"),
        };

        // Text the user typed is echoed inside the message, so it goes into a TextRun, never markdown.
        List<CardElement> items =
        [
            new TextBlock(title) { Weight = "bolder", Style = "heading" },
            AlertCards.Plain(new TextRun(message)),
        ];
        if (problem.Kind == QueryProblemKind.Usage)
        {
            items.Add(AlertCards.Plain(new TextRun(texts.Usage(problem.Command)) { FontType = "monospace", Size = "small" }));
        }

        if (AlertCards.OneLine(problem.RequestIds) is { } ids)
        {
            items.Add(AlertCards.Plain(new TextRun(texts.Format(texts.RequestIds, ids)) { Size = "small", IsSubtle = true }));
        }

        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = title,
            Body = [new Container(items) { Style = style }],
        };
    }

    /// <summary>Where a partner admin grants the bot App+User access (the host's consent endpoint).</summary>
    private const string ConsentPath = "/admin/graph-consent";

    private static string GrantIssue(QueryTexts texts, AdminGrantIssue issue) => issue switch
    {
        AdminGrantIssue.GrantMissing => texts.GrantMissing,
        AdminGrantIssue.GrantExpired => texts.GrantExpired,
        AdminGrantIssue.CacheUnreadable => texts.GrantUnreadable,
        _ => texts.GrantNotConsented,
    };

    private static string Wait(QueryTexts texts, QueryProblem problem, TimeSpan fallback) =>
        texts.Duration(problem.RetryAfter is { } after && after > TimeSpan.Zero ? after : fallback);

    private static IEnumerable<CardElement> AlertLines(
        QueryTexts texts, IReadOnlyList<PartnerSecurityAlert>? alerts, DateTimeOffset now, IReadOnlyDictionary<string, string>? customerNames)
    {
        if (alerts is null)
        {
            yield return AlertCards.Section(texts.Format(texts.OpenAlertsTitle, "?"));
            yield return new TextBlock(texts.OpenAlertsUnavailable) { Color = "warning" };
            yield break;
        }

        yield return AlertCards.Section(texts.Format(texts.OpenAlertsTitle, alerts.Count));
        if (alerts.Count == 0)
        {
            yield return new TextBlock(texts.NoOpenAlerts) { IsSubtle = true };
            yield break;
        }

        AlertTexts alertTexts = AlertTexts.For(texts.Language);
        foreach (PartnerSecurityAlert alert in alerts.OrderByDescending(a => a.Severity).ThenBy(a => a.DetectedDateTime).Take(MaxListedAlerts))
        {
            yield return AlertLine(alertTexts, alert, now, customerNames) with { Spacing = "small" };
        }

        if (alerts.Count > MaxListedAlerts)
        {
            yield return new TextBlock(texts.Format(texts.AndMore, alerts.Count - MaxListedAlerts)) { IsSubtle = true, Size = "small" };
        }
    }

    /// <summary>Severity, status, what, (customer), age, then the id in small monospace.</summary>
    private static RichTextBlock AlertLine(AlertTexts texts, PartnerSecurityAlert alert, DateTimeOffset now, IReadOnlyDictionary<string, string>? customerNames)
    {
        string what = AlertCards.HumanizeAlertType(alert.AlertType) ?? AlertCards.OneLine(alert.DisplayName) ?? texts.FallbackTitle;
        List<TextRun> runs =
        [
            new TextRun(texts.Severity(alert.Severity)) { Weight = "bolder", Color = AlertCards.SeverityColor(alert.Severity) },
            new TextRun(" · " + texts.Status(alert.Status)) { Color = AlertCards.StatusColor(alert.Status) },
            new TextRun(" · " + AlertCards.Clip(what, MaxName)),
        ];
        if (customerNames is not null && AlertCards.OneLine(alert.CustomerTenantId) is { } tenant)
        {
            string customer = customerNames.TryGetValue(tenant, out string? name) && AlertCards.OneLine(name) is { } known ? known : tenant;
            runs.Add(new TextRun(" · " + AlertCards.Clip(customer, MaxName)));
        }

        runs.Add(new TextRun(" · " + (alert.DetectedDateTime is { } at ? texts.Age(at, now) : texts.Unknown)) { IsSubtle = true });
        runs.Add(new TextRun("  " + AlertCards.Clip(alert.Id, MaxName)) { Size = "small", IsSubtle = true, FontType = "monospace" });
        return AlertCards.Plain([.. runs]);
    }

    private static List<CardElement> ResellerLines(QueryTexts texts, IReadOnlyList<ResellerView>? resellers, string? associatedPartnerId)
    {
        if (resellers is null)
        {
            return [OptionalIdOrUnknown(texts, associatedPartnerId)];
        }

        List<CardElement> lines = [];
        foreach (ResellerView reseller in resellers)
        {
            lines.Add(AlertCards.Plain(
                new TextRun(AlertCards.Clip(AlertCards.OneLine(reseller.Name) ?? texts.Unknown, MaxName)) { Weight = "bolder" },
                new TextRun(" " + (AlertCards.OneLine(reseller.MpnId) ?? AlertCards.OneLine(reseller.TenantId) ?? string.Empty)) { Size = "small", IsSubtle = true, FontType = "monospace" })
                with { Spacing = lines.Count == 0 ? null : "none" });
        }

        if (lines.Count == 0)
        {
            lines.Add(AlertCards.OneLine(associatedPartnerId) is { } id ? Id(id) : Value(texts, texts.NoIndirectReseller));
        }

        return lines;
    }

    private static RichTextBlock OptionalIdOrUnknown(QueryTexts texts, string? id) =>
        AlertCards.OneLine(id) is { } shown ? Id(shown) : Value(texts, null);

    private static IEnumerable<CardElement> OptionalId(string? id) =>
        AlertCards.OneLine(id) is { } shown ? [Id(shown, subtle: true) with { Spacing = "none" }] : [];

    private static void AddDate(List<CardElement> body, string label, DateTimeOffset? at, TimeZoneInfo zone)
    {
        if (at is { } date)
        {
            body.Add(AlertCards.Row(label, [AlertCards.Plain(new TextRun(AlertCards.Absolute(date, zone)))]));
        }
    }

    private static string? JoinKnown(params string?[] parts)
    {
        string[] known = [.. parts.Select(AlertCards.OneLine).OfType<string>()];
        return known.Length == 0 ? null : string.Join(" · ", known);
    }

    private static bool SameId(string? left, string? right) =>
        AlertCards.OneLine(left) is { } l && AlertCards.OneLine(right) is { } r && string.Equals(l, r, StringComparison.OrdinalIgnoreCase);

    private static TextBlock Title(string text) => new(text) { Size = "small", Weight = "bolder", IsSubtle = true, Style = "heading" };

    private static RichTextBlock Value(QueryTexts texts, string? value) =>
        AlertCards.Plain(new TextRun(AlertCards.Clip(AlertCards.OneLine(value) ?? texts.Unknown, MaxName)));

    private static RichTextBlock Id(string id, bool subtle = false) =>
        AlertCards.Plain(new TextRun(AlertCards.Clip(id, MaxName)) { FontType = "monospace", Size = subtle ? "small" : null, IsSubtle = subtle ? true : null });

    private static AdaptiveCard Card(QueryTexts texts, string speak, List<CardElement> body, List<CardAction> actions) => new()
    {
        Lang = texts.Language,
        Speak = AlertCards.Clip(speak, 200),
        Body = body,
        Actions = actions.Count > 0 ? actions : null,
        MsTeams = new TeamsCardOptions("Full"),
    };

    private static ExecuteAction Run(string title, string command, string arguments) => Button(title, new QueryActionData(command, arguments));

    /// <summary>
    /// A button that runs a command (e.g. <c>alerts open older than 60d</c>) on another card; unsigned
    /// here, signed for its conversation on the way out like every query button.
    /// </summary>
    public static ExecuteAction RunButton(string title, string command, string arguments) => Run(title, command, arguments);

    /// <summary>An <c>Action.Execute</c> re-running a command, with an <c>Action.Submit</c> fallback that also carries the verb.</summary>
    private static ExecuteAction Button(string title, QueryActionData data) => new()
    {
        Title = title,
        Verb = RunVerb,
        Data = JsonSerializer.SerializeToElement(data, QueryCardJsonContext.Default.QueryActionData),
        Fallback = new SubmitAction
        {
            Title = title,
            Data = JsonSerializer.SerializeToElement(data with { Verb = RunVerb }, QueryCardJsonContext.Default.QueryActionData),
        },
    };
}
