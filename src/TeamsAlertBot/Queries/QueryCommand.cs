using System.Net;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Queries;

/// <summary>A query could not be answered; the problem card says why (thrown inside a command, caught by <see cref="QueryCommand"/>).</summary>
public sealed class QueryProblemException : Exception
{
    public QueryProblemException()
        : this(new QueryProblem(QueryProblemKind.Usage))
    {
    }

    public QueryProblemException(string message)
        : this(new QueryProblem(QueryProblemKind.Usage) { Detail = message })
    {
    }

    public QueryProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new QueryProblem(QueryProblemKind.Usage) { Detail = message };
    }

    public QueryProblemException(QueryProblem problem, Exception? innerException = null)
        : base(problem?.Kind.ToString(), innerException)
    {
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
    }

    /// <summary>What to tell the user.</summary>
    public QueryProblem Problem { get; }
}

/// <summary>
/// What every "ask the bot" command shares: its texts, the display time zone, open alerts from
/// Graph, and one place that turns Partner Center and Graph failures into a clear card in the
/// user's language — never an exception or silence.
/// </summary>
public abstract partial class QueryCommand(QueryServices services) : IBotCommand
{
    /// <summary>The shared services.</summary>
    protected internal QueryServices Services { get; } = services;

    /// <inheritdoc />
    public abstract CommandKind Kind { get; }

    /// <inheritdoc />
    public async Task<Activity> AnswerAsync(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(texts);
        QueryTexts queryTexts = QueryTexts.For(texts.Language);
        try
        {
            return CardReply(await AnswerAsync(turn, command.Arguments.Trim(), queryTexts, cancellationToken));
        }
        catch (CustomerChoiceException e)
        {
            return CardReply(e.Card);
        }
        catch (QueryProblemException e)
        {
            QueryLog.Problem(Services.Logger, Kind, e.Problem.Kind);
            return CardReply(QueryCards.Problem(queryTexts, e.Problem));
        }
        catch (PartnerCenterException e)
        {
            QueryProblem problem = PartnerCenterProblem(e);
            QueryLog.PartnerCenterFailed(Services.Logger, Kind, problem.Kind, (int?)e.StatusCode);
            return CardReply(QueryCards.Problem(queryTexts, problem));
        }
    }

    /// <summary>The answer card; throw <see cref="QueryProblemException"/> for anything the user should be told instead.</summary>
    protected abstract Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken);

    /// <summary>The problem card for a Partner Center failure: busy (429), refused (401/403), or unavailable.</summary>
    protected virtual QueryProblem PartnerCenterProblem(PartnerCenterException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (NotConfigured(exception) is { } notConfigured)
        {
            return notConfigured;
        }

        string ids = $"MS-RequestId {exception.RequestId ?? "?"}, MS-CorrelationId {exception.CorrelationId ?? "?"}";
        return exception.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new QueryProblem(QueryProblemKind.PartnerCenterBusy) { RetryAfter = exception.RetryAfter, RequestIds = ids },
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new QueryProblem(QueryProblemKind.PartnerCenterRefused) { StatusCode = (int)exception.StatusCode, RequestIds = ids },
            _ => new QueryProblem(QueryProblemKind.PartnerCenterUnavailable) { RetryAfter = exception.RetryAfter, RequestIds = ids },
        };
    }

    /// <summary>Throws the usage problem of this command when <paramref name="value"/> is missing, too long or holds refused characters.</summary>
    protected internal void RequireInput(string value, QueryTexts texts, int maxLength = QueryInput.MaxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        string? detail = QueryInput.Check(value, maxLength) switch
        {
            QueryInputError.Missing => texts.InputMissing,
            QueryInputError.TooLong => texts.Format(texts.InputTooLong, value.Length, maxLength),
            QueryInputError.InvalidCharacters => texts.Format(texts.InputInvalidCharacters, QueryInput.Refused(value)),
            _ => null,
        };
        if (detail is not null)
        {
            throw Usage(detail);
        }
    }

    /// <summary>The usage problem of this command with <paramref name="detail"/>.</summary>
    protected internal QueryProblemException Usage(string detail) =>
        new(new QueryProblem(QueryProblemKind.Usage) { Command = Kind, Detail = detail });

    /// <summary>
    /// Resolves a typed customer to exactly one, or throws: not found, or a choice card whose buttons
    /// re-run <paramref name="rerun"/> for a tenant id.
    /// </summary>
    protected async Task<CustomerView> ResolveCustomerAsync(string typed, QueryTexts texts, Func<string, QueryActionData> rerun, CancellationToken cancellationToken)
    {
        CustomerResolution resolution = await Services.PartnerCenter.ResolveCustomerAsync(typed, cancellationToken);
        return resolution.Matches.Count switch
        {
            0 => throw new QueryProblemException(new QueryProblem(QueryProblemKind.CustomerNotFound) { Subject = typed }),
            1 => resolution.Matches[0],
            _ => throw new CustomerChoiceException(QueryCards.CustomerChoice(texts, typed, resolution.Matches, rerun)),
        };
    }

    /// <summary>Every alert matching <paramref name="query"/> (all pages), or a Graph problem.</summary>
    protected async Task<List<PartnerSecurityAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        List<PartnerSecurityAlert> alerts = [];
        try
        {
            await foreach (PartnerSecurityAlert alert in Services.Graph.ListAsync(query, cancellationToken))
            {
                alerts.Add(alert);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only the Graph client runs in here: whatever stopped it (an error answer, a timeout,
            // an open circuit), the user is told Graph is busy or unavailable.
            throw GraphProblem(e);
        }

        return alerts;
    }

    /// <summary>The open alerts matching <paramref name="predicate"/>; null when Graph cannot be read (the card then says so).</summary>
    protected async Task<List<PartnerSecurityAlert>?> TryOpenAlertsAsync(Func<PartnerSecurityAlert, bool> predicate, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await ListAlertsAsync(AlertQuery.Open, cancellationToken)).Where(predicate)];
        }
        catch (QueryProblemException)
        {
            return null;
        }
    }

    /// <summary>The problem for a failed Graph call.</summary>
    protected internal QueryProblemException GraphProblem(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (NotConfigured(exception) is { } notConfigured)
        {
            return new QueryProblemException(notConfigured, exception);
        }

        QueryLog.GraphFailed(Services.Logger, exception, Kind);
        GraphException? graph = exception as GraphException;
        return new QueryProblemException(
            new QueryProblem(graph?.StatusCode == HttpStatusCode.TooManyRequests ? QueryProblemKind.GraphBusy : QueryProblemKind.GraphUnavailable)
            {
                RetryAfter = graph?.RetryAfter,
            },
            exception);
    }

    /// <summary>
    /// The problem when <paramref name="exception"/> says the service has no credentials here: the call
    /// was never made, so "busy" or "try again" would be untrue. Null for any other failure.
    /// </summary>
    protected static QueryProblem? NotConfigured(Exception exception) =>
        Operations.NotConfiguredException.Find(exception) is { } missing
            ? new QueryProblem(QueryProblemKind.NotConfigured) { Service = missing.Service, Settings = missing.Settings }
            : null;

    /// <summary>The data of a button that re-runs a command.</summary>
    protected static QueryActionData Rerun(string command, string arguments) => new(command, arguments);

    private static Activity CardReply(AdaptiveCard card) => new()
    {
        Type = ActivityTypes.Message,
        Summary = card.Speak,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };
}

/// <summary>Several customers matched: the answer is the choice card.</summary>
public sealed class CustomerChoiceException : Exception
{
    public CustomerChoiceException()
        : this(new AdaptiveCard())
    {
    }

    public CustomerChoiceException(string message)
        : base(message)
    {
        Card = new AdaptiveCard();
    }

    public CustomerChoiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Card = new AdaptiveCard();
    }

    public CustomerChoiceException(AdaptiveCard card)
        : base("Several customers match.")
    {
        Card = card ?? throw new ArgumentNullException(nameof(card));
    }

    /// <summary>The choice card.</summary>
    public AdaptiveCard Card { get; }
}

/// <summary>The services every query command uses.</summary>
public sealed class QueryServices(
    PartnerCenterQueries partnerCenter,
    IPartnerSecurityAlertClient graph,
    IOptions<AlertPipelineOptions> alertOptions,
    TimeProvider time,
    ILogger<QueryCommand> logger)
{
    private readonly Lazy<TimeZoneInfo> _timeZone = new(() => TimeZoneInfo.FindSystemTimeZoneById(alertOptions.Value.DisplayTimeZone));

    public PartnerCenterQueries PartnerCenter => partnerCenter;

    public IPartnerSecurityAlertClient Graph => graph;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <summary>The configured display time zone (<c>Alerts:DisplayTimeZone</c>), as the alert cards use it.</summary>
    public TimeZoneInfo TimeZone => _timeZone.Value;
}
