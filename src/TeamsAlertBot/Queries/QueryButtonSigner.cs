using System.Text.Json;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Queries;

/// <summary>
/// Signs the buttons of the query cards (<see cref="QueryCards.RunVerb"/>) for the conversation the
/// answer is posted in, and checks them when clicked: like the alert cards' buttons, a changed command
/// or argument, or a button replayed in another conversation, does nothing. The card builders stay
/// without keys; the answer is signed on its way out.
/// </summary>
public sealed class QueryButtonSigner(ActionSigner signer)
{
    /// <summary><paramref name="answer"/> with every query button of its cards signed for <paramref name="conversationId"/>.</summary>
    public Activity Sign(Activity answer, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Attachments is not { Count: > 0 } attachments)
        {
            return answer;
        }

        string conversation = ConversationReference.BaseConversationId(conversationId);
        return answer with
        {
            Attachments = [.. attachments.Select(a => a?.Content is AdaptiveCard card ? a with { Content = SignCard(card, conversation) } : a)],
        };
    }

    /// <summary>True when <paramref name="data"/> carries a signature of this command and these arguments for <paramref name="conversationId"/>.</summary>
    public bool Verify(QueryActionData data, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(data);
        return signer.TryVerify(data.Signature, Claims(data, ConversationReference.BaseConversationId(conversationId)));
    }

    private static ActionClaims Claims(QueryActionData data, string conversationId) =>
        new(string.Empty, $"{QueryCards.RunVerb}:{data.Command}\n{data.Arguments}", 0, conversationId);

    private AdaptiveCard SignCard(AdaptiveCard card, string conversationId) => card with
    {
        Body = [.. card.Body.Select(e => SignElement(e, conversationId))],
        Actions = card.Actions is null ? null : [.. card.Actions.Select(a => SignAction(a, conversationId))],
    };

    private CardElement SignElement(CardElement element, string conversationId) => element switch
    {
        Container container => container with { Items = [.. container.Items.Select(e => SignElement(e, conversationId))] },
        ColumnSet columns => columns with { Columns = [.. columns.Columns.Select(c => c with { Items = [.. c.Items.Select(e => SignElement(e, conversationId))] })] },
        ActionSet set => set with { Actions = [.. set.Actions.Select(a => SignAction(a, conversationId))] },
        _ => element,
    };

    private CardAction SignAction(CardAction action, string conversationId) => action switch
    {
        ExecuteAction { Verb: QueryCards.RunVerb } execute => execute with
        {
            Data = SignData(execute.Data, conversationId),
            Fallback = execute.Fallback is null ? null : SignAction(execute.Fallback, conversationId),
        },
        SubmitAction submit when Read(submit.Data) is { Verb: QueryCards.RunVerb } => submit with { Data = SignData(submit.Data, conversationId) },
        _ => action,
    };

    private JsonElement? SignData(JsonElement? data, string conversationId) =>
        Read(data) is { } query
            ? JsonSerializer.SerializeToElement(query with { Signature = signer.Sign(Claims(query, conversationId)) }, QueryCardJsonContext.Default.QueryActionData)
            : data;

    private static QueryActionData? Read(JsonElement? data) => Bot.CardActionInput.Read(data, QueryCardJsonContext.Default.QueryActionData);
}
