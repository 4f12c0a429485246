using System.Text.RegularExpressions;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Queries;

/// <summary>
/// <c>alert &lt;id&gt;</c>: the alert's card as the channel gets it (signed triage buttons when the
/// alert pipeline runs) with its history: Microsoft's status changes and the bot's audit trail.
/// </summary>
public sealed partial class AlertCommand(
    QueryServices services,
    IAlertContextProvider contexts,
    AlertCardRenderer? renderer = null,
    ITriageLedger? ledger = null) : QueryCommand(services)
{
    /// <summary>The longest alert id accepted.</summary>
    public const int MaxIdLength = 200;

    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Alert;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert alert = await RequireAlertAsync(arguments, texts, cancellationToken);
        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        string conversationId = ConversationReference.BaseConversationId(turn.Activity.Conversation?.Id ?? string.Empty);
        AdaptiveCard card = renderer is not null
            ? (await renderer.RenderAsync(alert, context, texts.Language, conversationId, cardVersion: 1)).Card
            : AlertCards.Alert(AlertTexts.For(texts.Language), alert, context, Services.Time.GetUtcNow(), Services.TimeZone, cardVersion: 1);
        return QueryCards.AlertWithHistory(texts, AlertTexts.For(texts.Language), card, alert.ActivityLogs ?? [], await AuditAsync(alert.Id), Services.TimeZone);
    }

    /// <summary>The bot's audit trail; empty without the alert pipeline, null when Redis cannot be read.</summary>
    private async Task<IReadOnlyList<AuditLine>?> AuditAsync(string alertId)
    {
        if (ledger is null)
        {
            return [];
        }

        try
        {
            return [.. (await ledger.ReadAuditAsync(alertId)).Select(e => new AuditLine(e.At, e.Action, e.ActorName, e.Comment, e.Outcome))];
        }
        catch (Exception e) when (e is RedisException or TimeoutException or System.Text.Json.JsonException)
        {
            QueryLog.AuditUnreadable(Services.Logger, e, alertId);
            return null;
        }
    }

    /// <summary>
    /// The alert named by <paramref name="arguments"/> as Graph has it now; or the usage problem (no id,
    /// too long, characters an id never has), "not found", or Graph's problem.
    /// </summary>
    internal static async Task<PartnerSecurityAlert> RequireAlertAsync(QueryCommand command, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        command.RequireInput(arguments, texts, MaxIdLength);
        if (!IdPattern().IsMatch(arguments))
        {
            throw command.Usage(texts.Format(texts.InputInvalidCharacters, QueryInput.Refused(arguments) is { Length: > 0 } refused ? refused : arguments));
        }

        try
        {
            return await command.Services.Graph.GetAsync(arguments, cancellationToken)
                ?? throw new QueryProblemException(new QueryProblem(QueryProblemKind.AlertNotFound) { Subject = arguments });
        }
        catch (Exception e) when (e is not QueryProblemException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw command.GraphProblem(e);
        }
    }

    private Task<PartnerSecurityAlert> RequireAlertAsync(string arguments, QueryTexts texts, CancellationToken cancellationToken) =>
        RequireAlertAsync(this, arguments, texts, cancellationToken);

    // Graph alert ids are opaque, but every one seen is a GUID or GUIDs joined by '-'.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();
}

/// <summary>
/// <c>support &lt;alert id&gt;</c> (<c>サポート</c>): the false-positive support packet of an alert — the
/// facts Microsoft support asks for and what the partner checked — in a copyable block, with the
/// support link. The same card as the alert card's <b>Support packet</b> button, without its Back.
/// </summary>
public sealed class SupportCommand(
    QueryServices services,
    IAlertContextProvider contexts,
    IConfiguration configuration,
    ResponseViews? views = null) : QueryCommand(services)
{
    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Support;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        PartnerSecurityAlert alert = await AlertCommand.RequireAlertAsync(this, arguments, texts, cancellationToken);
        AlertCardContext context = await contexts.GetContextAsync(alert, cancellationToken);
        if (views is not null)
        {
            try
            {
                return await views.SupportPacketAsync(texts.Language, alert, context, conversationId: null);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                // What the partner checked cannot be read now: the packet still holds the alert's facts.
                QueryLog.AuditUnreadable(Services.Logger, e, alert.Id);
            }
        }

        // Without the alert pipeline (or its state) the bot has recorded nothing: the alert's facts alone.
        Core.Localization.ResponseTexts response = Core.Localization.ResponseTexts.For(texts.Language);
        return Core.Triage.ResponseCards.SupportPacket(
            response, alert, context, views?.PartnerTenantId ?? configuration["AzureAd:TenantId"], [], views?.Portals.Support ?? Core.Triage.ResponsePortals.Default.Support, back: null);
    }
}

/// <summary>
/// <c>alerts [open | active | investigating | all] [customer X] [type Y] [older than 24h] [page N]</c>
/// (Japanese forms too): a page of <see cref="PageSize"/> alerts, most severe and oldest first, with
/// a button for the next page. Where bulk triage runs (the alert pipeline with its state in Redis),
/// the list also carries "All N matching: Legitimate / Fraud / Ignore / Investigating", signed with
/// the list's filter, for every open alert it matches on every page.
/// </summary>
public sealed class AlertsCommand(QueryServices services, AlertCardRenderer? renderer = null, Triage.Bulk.BulkTriageService? bulk = null) : QueryCommand(services)
{
    /// <summary>Alerts per page.</summary>
    public const int PageSize = 10;

    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Alerts;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        (AlertListRequest? parsed, AlertListError? error) = AlertListRequest.Parse(arguments);
        if (parsed is null)
        {
            throw Usage(Describe(texts, error!));
        }

        AlertListRequest request = parsed;
        string? customerLabel = null;
        if (request.Customer is { } typed)
        {
            CustomerView customer = await ResolveCustomerAsync(typed, texts, tenant => Rerun("alerts", (request with { Customer = tenant, Page = 1 }).ToArguments()), cancellationToken);
            request = request with { Customer = customer.TenantId };
            customerLabel = customer.DisplayName;
        }

        DateTimeOffset now = Services.Time.GetUtcNow();
        AlertQuery query = ListQuery(request, now);
        List<PartnerSecurityAlert> matching = [.. (await ListAlertsAsync(query, cancellationToken))
            .Where(a => request.Matches(a, now))
            .OrderByDescending(a => a.Severity)
            .ThenBy(a => a.DetectedDateTime ?? DateTimeOffset.MaxValue)
            .ThenBy(a => a.Id, StringComparer.Ordinal)];
        List<PartnerSecurityAlert> page = [.. matching.Skip((request.Page - 1) * PageSize).Take(PageSize)];
        AdaptiveCard card = QueryCards.AlertList(
            texts,
            new AlertListPage
            {
                Request = request,
                CustomerLabel = customerLabel,
                Alerts = page,
                Total = matching.Count,
                PageSize = PageSize,
                CustomerNames = await NamesAsync(page, cancellationToken),
            },
            now);
        int open = matching.Count(a => a.IsOpen);
        BulkSelection selection = BulkSelection.AlertList(request);
        if (renderer is null || bulk is null || open == 0 || page.Count == 0 || selection.Check() != BulkSelectionError.None)
        {
            return card;
        }

        string conversationId = ConversationReference.BaseConversationId(turn.Activity.Conversation?.Id ?? string.Empty);
        IReadOnlyList<CardElement> section = BulkCards.ListSection(texts.Language, open, PageSize, verdict => renderer.SignBulk(
            new BulkActionData { Step = BulkStep.Propose, Verdict = verdict, Filter = selection.Filter, Signature = string.Empty }, conversationId));
        return card with { Body = [.. card.Body, .. section] };
    }

    /// <summary>What to ask Graph for a list (its status part; <see cref="AlertListRequest.Matches"/> does the rest).</summary>
    public static AlertQuery ListQuery(AlertListRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Status switch
        {
            AlertListStatus.Active => new AlertQuery { Statuses = [AlertStatus.Active] },
            AlertListStatus.Investigating => new AlertQuery { Statuses = [AlertStatus.Investigating] },
            // Resolved alerts pile up for ever: "all" reads those detected within AllLookback, not the whole history.
            AlertListStatus.All => new AlertQuery { DetectedSince = now - AlertListRequest.AllLookback },
            _ => AlertQuery.Open,
        };
    }

    /// <summary>Customer names for the page (cached look-ups); a customer Partner Center cannot name now shows its tenant id.</summary>
    private async Task<Dictionary<string, string>> NamesAsync(List<PartnerSecurityAlert> page, CancellationToken cancellationToken)
    {
        Dictionary<string, string> names = new(StringComparer.OrdinalIgnoreCase);
        foreach (string tenant in page.Select(a => a.CustomerTenantId).OfType<string>().Where(QueryInput.IsGuid).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                if (await Services.PartnerCenter.GetCustomerAsync(tenant, cancellationToken) is { CompanyName: { Length: > 0 } name })
                {
                    names[tenant] = name;
                }
            }
            catch (PartnerCenterException)
            {
                // The list is the answer; names are decoration. Stop asking a Partner Center that fails.
                break;
            }
        }

        return names;
    }

    private static string Describe(QueryTexts texts, AlertListError error) => error.Kind switch
    {
        AlertListErrorKind.TooLong => texts.Format(texts.InputTooLong, error.Token, QueryInput.MaxArgumentsLength),
        AlertListErrorKind.Duplicate => texts.Format(texts.AlertsDuplicate, error.Token),
        AlertListErrorKind.MissingValue => texts.Format(texts.AlertsMissingValue, error.Token),
        AlertListErrorKind.BadAge => texts.Format(texts.AlertsBadAge, error.Token),
        AlertListErrorKind.BadPage => texts.Format(texts.AlertsBadPage, error.Token, AlertListRequest.MaxPage),
        AlertListErrorKind.BadType => texts.Format(texts.AlertsBadType, error.Token),
        AlertListErrorKind.BadCustomer => QueryInput.Check(error.Token) == QueryInputError.TooLong
            ? texts.Format(texts.InputTooLong, error.Token.Length, QueryInput.MaxLength)
            : texts.Format(texts.InputInvalidCharacters, QueryInput.Refused(error.Token)),
        _ => texts.Format(texts.AlertsUnknownWord, error.Token),
    };
}
