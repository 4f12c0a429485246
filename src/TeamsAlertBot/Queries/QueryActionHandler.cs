using System.Text.Json;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Queries;

/// <summary>
/// The buttons of the query cards (<see cref="QueryCards.RunVerb"/>): pick one of several customers,
/// the next page of alerts. The typed data names a command and its arguments; it is checked like
/// typed text (only the query commands, arguments through the same parser) and the command's
/// answer replaces the card (<c>Action.Execute</c>) or is posted (<c>Action.Submit</c>). An answer
/// that is not ready within two thirds of <c>Bot:InvokeAnswerBudget</c> (Partner Center waiting out a
/// Retry-After) is posted into the conversation when it is, instead of being lost behind the
/// interim "working on it" answer. A button whose signature does not hold for its command, arguments
/// and this conversation (<see cref="QueryButtonSigner"/>) runs nothing.
/// </summary>
public sealed partial class QueryActionHandler(
    CommandHandler commands,
    QueryButtonSigner signer,
    IOptions<BotFrameworkOptions> botOptions,
    TimeProvider time,
    ILogger<QueryActionHandler> logger) : ICardActionHandler
{
    private static readonly HashSet<CommandKind> Rerunnable = [CommandKind.Customer, CommandKind.Subscription, CommandKind.Reseller, CommandKind.Alerts];

    /// <inheritdoc />
    public string Verb => QueryCards.RunVerb;

    /// <inheritdoc />
    public async Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        QueryActionData? data = Read(request.Data);
        if (data is { Signature.Length: > 0 } && !signer.Verify(data, request.Turn.Activity.Conversation?.Id ?? string.Empty))
        {
            LogTampered(logger, data.Command, request.Turn.Activity.From?.AadObjectId);
            return AdaptiveCardInvokeResponse.Message(Core.Triage.TriageTexts.For(request.Texts.Language).Tampered);
        }

        if (data is not { Signature.Length: > 0 }
            || data.Arguments.Length > QueryInput.MaxArgumentsLength
            || data.Command.Any(char.IsWhiteSpace)
            || CommandParser.Parse(data.Command + " " + data.Arguments) is not { } command
            || !Rerunnable.Contains(command.Kind)
            || commands.TryAnswerRouted(request.Turn, command, request.Texts, cancellationToken) is not { } answering)
        {
            LogRefused(logger, data?.Command);
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", request.Texts.MalformedAction);
        }

        Task budget = Task.Delay(botOptions.Value.InvokeAnswerBudget * 2 / 3, time, cancellationToken);
        if (await Task.WhenAny(answering, budget) != answering)
        {
            LogPostedLater(logger, command.Kind);
            _ = PostWhenReadyAsync(request, answering, cancellationToken);
            return AdaptiveCardInvokeResponse.Message(request.Texts.WorkingOnIt);
        }

        Activity answer = await answering;
        return answer.Attachments is [{ Content: AdaptiveCard card }, ..]
            ? AdaptiveCardInvokeResponse.Card(card)
            : AdaptiveCardInvokeResponse.Message(answer.Text ?? string.Empty);
    }

    private async Task PostWhenReadyAsync(CardActionRequest request, Task<Activity> answering, CancellationToken cancellationToken)
    {
        try
        {
            await request.Turn.ReplyAsync(await answering, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPostFailed(logger, e);
        }
    }

    private static QueryActionData? Read(JsonElement? data) =>
        CardActionInput.Read(data, QueryCardJsonContext.Default.QueryActionData) is { Command.Length: > 0, Arguments: not null } parsed ? parsed : null;

    [LoggerMessage(4610, LogLevel.Warning, "Refused a query button with command {Command}")]
    private static partial void LogRefused(ILogger logger, string? command);

    [LoggerMessage(4611, LogLevel.Information, "Query button {Command} is slow; its answer will be posted when ready")]
    private static partial void LogPostedLater(ILogger logger, CommandKind command);

    [LoggerMessage(4612, LogLevel.Warning, "Posting the late answer of a query button failed")]
    private static partial void LogPostFailed(ILogger logger, Exception exception);

    [LoggerMessage(4613, LogLevel.Warning, "Refused a query button ({Command}) by {ObjectId}: its signature does not verify")]
    private static partial void LogTampered(ILogger logger, string command, string? objectId);
}
