using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Core.Cards;

/// <summary>One row of a storm overview: a severity, type or subscription, its alerts and how many are open.</summary>
/// <param name="Key">The severity name, alert type or subscription id ("" when the alert has none).</param>
/// <param name="Total">Alerts counted.</param>
/// <param name="Open">Of these, active or investigating.</param>
public sealed record StormOverviewRow(string Key, int Total, int Open);

/// <summary>
/// What a storm card summarises: the customer's alerts counted by severity, type and subscription,
/// open versus decided, and the oldest and newest detection times. Computed from the alerts as Graph
/// lists them (no I/O here), so every instance counts the same way.
/// </summary>
public sealed record StormOverview
{
    public required int Total { get; init; }

    /// <summary>Active or investigating.</summary>
    public required int Open { get; init; }

    /// <summary>Of the open ones, investigating.</summary>
    public required int Investigating { get; init; }

    /// <summary>Resolved (a verdict was given).</summary>
    public required int Decided { get; init; }

    /// <summary>Most severe first.</summary>
    public required IReadOnlyList<StormOverviewRow> BySeverity { get; init; }

    /// <summary>Most alerts first.</summary>
    public required IReadOnlyList<StormOverviewRow> ByType { get; init; }

    /// <summary>Most open alerts first.</summary>
    public required IReadOnlyList<StormOverviewRow> BySubscription { get; init; }

    public DateTimeOffset? OldestDetected { get; init; }

    public DateTimeOffset? NewestDetected { get; init; }

    /// <summary>Decided alerts detected since this instant are counted (open ones whatever their age).</summary>
    public required DateTimeOffset CountedSince { get; init; }

    /// <summary>When it was counted.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>
    /// Counts <paramref name="alerts"/> (each id once): the customer's open alerts and its alerts
    /// detected since <paramref name="countedSince"/>; the caller lists them.
    /// </summary>
    public static StormOverview Of(IEnumerable<PartnerSecurityAlert> alerts, DateTimeOffset countedSince, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        List<PartnerSecurityAlert> all = [.. alerts.DistinctBy(a => a.Id, StringComparer.Ordinal)];
        List<DateTimeOffset> detected = [.. all.Where(a => a.DetectedDateTime is not null).Select(a => a.DetectedDateTime!.Value)];
        return new StormOverview
        {
            Total = all.Count,
            Open = all.Count(a => a.IsOpen),
            Investigating = all.Count(a => a.Status == AlertStatus.Investigating),
            Decided = all.Count(a => a.Status == AlertStatus.Resolved),
            BySeverity = [.. Rows(all, a => a.Severity.ToString()).OrderByDescending(r => Enum.Parse<AlertSeverity>(r.Key))],
            ByType = [.. Rows(all, a => a.AlertType ?? string.Empty).OrderByDescending(r => r.Total).ThenBy(r => r.Key, StringComparer.Ordinal)],
            BySubscription = [.. Rows(all, a => a.SubscriptionId ?? string.Empty)
                .OrderByDescending(r => r.Open).ThenByDescending(r => r.Total).ThenBy(r => r.Key, StringComparer.Ordinal)],
            OldestDetected = detected.Count == 0 ? null : detected.Min(),
            NewestDetected = detected.Count == 0 ? null : detected.Max(),
            CountedSince = countedSince,
            AsOf = asOf,
        };
    }

    private static IEnumerable<StormOverviewRow> Rows(List<PartnerSecurityAlert> alerts, Func<PartnerSecurityAlert, string> key) =>
        alerts.GroupBy(key, StringComparer.Ordinal).Select(g => new StormOverviewRow(g.Key, g.Count(), g.Count(a => a.IsOpen)));
}

/// <summary>The overview section of a storm card and its per-subscription bulk buttons.</summary>
public static class StormOverviewCards
{
    /// <summary>The most type and subscription rows a card lists (the rest are counted in one line).</summary>
    public const int MaxRows = 8;

    /// <summary>The most subscriptions a card offers a bulk action for (those with the most open alerts).</summary>
    public const int MaxSubscriptionActions = 5;

    /// <summary>
    /// The overview: totals, oldest and newest, counts by severity, type and subscription (capped, with
    /// "and N more"), and for the subscriptions with the most open alerts a choice of a bulk verdict for
    /// all of that subscription's open alerts.
    /// </summary>
    /// <param name="texts">The overview's texts.</param>
    /// <param name="alertTexts">Severity names.</param>
    /// <param name="bulkTexts">The bulk buttons' texts.</param>
    /// <param name="verdicts">Verdict names.</param>
    /// <param name="overview">What to show.</param>
    /// <param name="timeZone">The zone times are shown in.</param>
    /// <param name="subscriptionBulk">Signed data of a subscription's bulk button (subscription, verdict); null = no buttons. Keep it short (no customer name): it is on 20 buttons.</param>
    public static IReadOnlyList<CardElement> Section(
        StormOverviewTexts texts, AlertTexts alertTexts, BulkTexts bulkTexts, TriageTexts verdicts, StormOverview overview, TimeZoneInfo timeZone,
        Func<string, TriageVerdict, BulkActionData>? subscriptionBulk)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(alertTexts);
        ArgumentNullException.ThrowIfNull(bulkTexts);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(overview);
        ArgumentNullException.ThrowIfNull(timeZone);
        DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, timeZone).DateTime;
        List<CardElement> items =
        [
            new TextBlock(texts.Heading) { Weight = "bolder" },
            new TextBlock(texts.Format(texts.Totals, overview.Total, overview.Open, overview.Investigating, overview.Decided)) { Id = "tab-storm-totals" },
        ];
        List<Fact> times = [];
        if (overview.OldestDetected is { } oldest)
        {
            times.Add(new Fact(texts.Oldest, AlertCards.Absolute(oldest, timeZone)));
        }

        if (overview.NewestDetected is { } newest)
        {
            times.Add(new Fact(texts.Newest, AlertCards.Absolute(newest, timeZone)));
        }

        if (times.Count > 0)
        {
            items.Add(new FactSet(times));
        }

        AddRows(items, texts, texts.BySeverity, overview.BySeverity, r => alertTexts.Severity(Enum.Parse<AlertSeverity>(r.Key)));
        AddRows(items, texts, texts.ByType, overview.ByType, r => AlertCards.HumanizeAlertType(r.Key) is { } type ? MarkdownText.Escape(type) : texts.UnknownType);
        AddRows(items, texts, texts.BySubscription, overview.BySubscription, r => r.Key.Length == 0 ? texts.NoSubscription : MarkdownText.Escape(r.Key));

        List<StormOverviewRow> offered = [.. overview.BySubscription.Where(r => r.Open > 0 && r.Key.Length > 0)];
        if (subscriptionBulk is not null && offered.Count > 0)
        {
            items.Add(new TextBlock(texts.SubscriptionBulkHeading) { Weight = "bolder", Spacing = "medium" });
            items.Add(new ActionSet([.. offered.Take(MaxSubscriptionActions).Select(r => (CardAction)new ShowCardAction(new AdaptiveCard
            {
                Lang = texts.Language,
                Body = [new TextBlock(MarkdownText.Escape(r.Key)) { Weight = "bolder", IsSubtle = true, Size = "small" }],
                // No Action.Submit fallback here (every Teams client that shows this card runs Action.Execute): 20 buttons' data twice would not fit the card.
                Actions = [.. BulkCards.Verdicts.Select(v => (CardAction)(BulkCards.Button(
                    texts.Format(texts.SubscriptionOpenAs, verdicts.Verdict(v)), subscriptionBulk(r.Key, v), v == TriageVerdict.Fraud ? "destructive" : null) with { Fallback = null }))],
            })
            {
                Title = texts.Format(texts.SubscriptionButton, ShortId(r.Key), r.Open),
            })]));
            if (offered.Count > MaxSubscriptionActions)
            {
                items.Add(new TextBlock(texts.Format(texts.MoreSubscriptions, offered.Count - MaxSubscriptionActions)) { IsSubtle = true, Size = "small" });
            }
        }

        items.Add(new TextBlock(texts.Format(texts.Scope, AlertCards.Absolute(overview.CountedSince, timeZone))) { IsSubtle = true, Size = "small" });
        items.Add(new TextBlock(texts.Format(texts.AsOf, Local(overview.AsOf))) { IsSubtle = true, Size = "small", Id = "tab-storm-asof" });
        return [new Container(items) { Id = "tab-storm-overview" }];
    }

    /// <summary>A subscription id short enough for a button title (its first group, as people say it).</summary>
    private static string ShortId(string subscriptionId) => subscriptionId.Length > 13 ? subscriptionId[..8] + "…" : subscriptionId;

    private static void AddRows(List<CardElement> items, StormOverviewTexts texts, string heading, IReadOnlyList<StormOverviewRow> rows, Func<StormOverviewRow, string> name)
    {
        if (rows.Count == 0)
        {
            return;
        }

        items.Add(new TextBlock(heading) { Weight = "bolder", Spacing = "medium" });
        List<Fact> facts = [.. rows.Take(MaxRows).Select(r => new Fact(name(r), texts.Format(texts.Row, r.Total, r.Open)))];
        if (rows.Count > MaxRows)
        {
            IEnumerable<StormOverviewRow> rest = rows.Skip(MaxRows);
            facts.Add(new Fact("…", texts.Format(texts.More, rows.Count - MaxRows, rest.Sum(r => r.Total))));
        }

        items.Add(new FactSet(facts));
    }
}
