using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Diagnostics;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Diagnostics;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Bot;

/// <summary>
/// The turn handler: typed commands, card actions, and the bot being added to or removed from
/// teams and chats. Activity types it does not use are acknowledged and ignored.
/// </summary>
public sealed partial class AlertBot(
    CommandHandler commands,
    IEnumerable<ICardActionHandler> actionHandlers,
    IConversationStore store,
    IOptions<AlertBotOptions> options,
    TimeProvider time,
    ILogger<AlertBot> logger) : IBot
{
    private const string AdaptiveCardActionInvoke = "adaptiveCard/action";
    private readonly Dictionary<string, ICardActionHandler> _actions =
        actionHandlers.ToDictionary(h => h.Verb, StringComparer.Ordinal);

    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        Activity activity = turn.Activity;
        BotTexts texts = TextsFor(activity);

        // Every line this turn logs names its conversation.
        using IDisposable? scope = logger.BeginScope(WorkScope.For(null, activity.Conversation?.Id));
        switch (activity.Type)
        {
            case ActivityTypes.Message when activity.Value is { ValueKind: JsonValueKind.Object } value && string.IsNullOrWhiteSpace(activity.Text):
                // An Action.Submit click (the fallback of Action.Execute on older clients).
                AdaptiveCardInvokeResponse submitted = await RunActionAsync(turn, ReadSubmitVerb(value), value, texts, cancellationToken);
                await ReplyToSubmitAsync(turn, submitted, cancellationToken);
                return null;
            case ActivityTypes.Message:
                await commands.HandleAsync(turn, texts, cancellationToken);
                return null;
            case ActivityTypes.Invoke when activity.Name == AdaptiveCardActionInvoke:
                return (await OnAdaptiveCardActionAsync(turn, texts, cancellationToken)).ToInvokeResponse();
            case ActivityTypes.Invoke:
                LogUnhandledInvoke(logger, activity.Name);
                return null;
            case ActivityTypes.InstallationUpdate:
                await OnInstallationUpdateAsync(turn, texts, cancellationToken);
                return null;
            case ActivityTypes.ConversationUpdate:
                await OnConversationUpdateAsync(turn, cancellationToken);
                return null;
            default:
                return null;
        }
    }

    public InvokeResponse CreateInterimInvokeResponse(Activity activity) =>
        AdaptiveCardInvokeResponse.Message(TextsFor(activity).WorkingOnIt).ToInvokeResponse();

    public InvokeResponse CreateFailureInvokeResponse(Activity activity)
    {
        BotTexts texts = TextsFor(activity);
        return AdaptiveCardInvokeResponse.Card(BotCards.Error(texts, texts.ActionFailed)).ToInvokeResponse();
    }

    private async Task<AdaptiveCardInvokeResponse> OnAdaptiveCardActionAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        AdaptiveCardInvokeValue? value = null;
        if (turn.Activity.Value is { ValueKind: JsonValueKind.Object } raw)
        {
            try
            {
                value = raw.Deserialize(BotJsonContext.Default.AdaptiveCardInvokeValue);
            }
            catch (JsonException)
            {
                value = null;
            }
        }

        if (value?.Action is null)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", texts.MalformedAction);
        }

        if (value.Action.Type != "Action.Execute")
        {
            return AdaptiveCardInvokeResponse.Error(400, "NotSupported", texts.MalformedAction);
        }

        return await RunActionAsync(turn, value.Action.Verb, value.Action.Data, texts, cancellationToken);
    }

    private async Task<AdaptiveCardInvokeResponse> RunActionAsync(
        TurnContext turn, string? verb, JsonElement? data, BotTexts texts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(verb) || !_actions.TryGetValue(verb, out ICardActionHandler? handler))
        {
            LogUnknownVerb(logger, verb);
            return AdaptiveCardInvokeResponse.Card(BotCards.Error(texts, texts.Format(texts.UnknownAction, verb ?? "?")));
        }

        using System.Diagnostics.Activity? span = BotTelemetry.Source.StartActivity(BotTelemetry.ClickSpan);
        span?.SetTag("teamsalertbot.click.verb", verb);
        span?.SetTag(BotTelemetry.ConversationIdTag, turn.Activity.Conversation?.Id);
        try
        {
            return await handler.HandleAsync(new CardActionRequest(turn, verb, data, texts), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogActionStoreFailed(logger, e, verb);
            return AdaptiveCardInvokeResponse.Card(BotCards.Error(texts, texts.StorageUnavailable));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Graph, Partner Center or the connector failed under the click: the user gets a card
            // that says so (Teams would show "Something went wrong" for a 500), the details go to the log.
            LogActionFailed(logger, e, verb);
            return AdaptiveCardInvokeResponse.Card(BotCards.Error(texts, texts.ActionFailed));
        }
    }

    private static string? ReadSubmitVerb(JsonElement value) =>
        value.TryGetProperty("verb", out JsonElement verb) && verb.ValueKind == JsonValueKind.String ? verb.GetString() : null;

    private static Task<ResourceResponse> ReplyToSubmitAsync(TurnContext turn, AdaptiveCardInvokeResponse response, CancellationToken cancellationToken)
    {
        // Action.Submit has no synchronous answer: the outcome is posted into the conversation.
        Activity reply = response.Type == AdaptiveCardInvokeResponse.CardType && response.Value is AdaptiveCard card
            ? new Activity { Type = ActivityTypes.Message, Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }] }
            : new Activity { Type = ActivityTypes.Message, Text = response.Value as string ?? string.Empty };
        return turn.ReplyAsync(reply, cancellationToken);
    }

    private async Task OnInstallationUpdateAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        Activity activity = turn.Activity;
        switch (activity.Action)
        {
            case "add":
            case "add-upgrade":
                await RememberAsync(activity, cancellationToken);
                if (activity.Action == "add")
                {
                    await turn.ReplyAsync(new Activity { Type = ActivityTypes.Message, Text = texts.Welcome, TextFormat = "markdown" }, cancellationToken);
                }

                break;
            case "remove":
                await ForgetAsync(activity, cancellationToken);
                break;
            default:
                break;
        }
    }

    private async Task OnConversationUpdateAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        Activity activity = turn.Activity;
        string? botId = activity.Recipient?.Id;
        string? eventType = activity.ChannelData?.EventType;
        if (IsBotAmong(activity.MembersRemoved, botId) || eventType == "teamDeleted")
        {
            await ForgetAsync(activity, cancellationToken);
        }
        else if (eventType == "channelDeleted" && activity.ChannelData?.Channel?.Id is { } deletedChannel)
        {
            await store.RemoveConversationAsync(deletedChannel, cancellationToken);
        }
        else if (IsBotAmong(activity.MembersAdded, botId) || eventType is "teamRenamed" or "channelRenamed")
        {
            await RememberAsync(activity, cancellationToken);
        }
    }

    // A member list may hold nulls; a bot without an id is nobody's member.
    private static bool IsBotAmong(IReadOnlyList<ChannelAccount?>? members, string? botId) =>
        botId is not null && members?.Any(m => m?.Id == botId) == true;

    private async Task RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ConversationReference.FromActivity(activity, time.GetUtcNow()) is { } reference)
        {
            await store.UpsertReferenceAsync(reference, cancellationToken);
            LogRemembered(logger, reference.ConversationId, reference.TeamId);
        }
    }

    private async Task ForgetAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ChannelData?.Team?.Id is { Length: > 0 } teamId)
        {
            await store.RemoveTeamAsync(teamId, cancellationToken);
            LogForgotten(logger, teamId);
        }
        else if (activity.Conversation?.Id is { Length: > 0 } conversationId)
        {
            await store.RemoveConversationAsync(ConversationReference.BaseConversationId(conversationId), cancellationToken);
            LogForgotten(logger, conversationId);
        }
    }

    private BotTexts TextsFor(Activity activity) =>
        BotTexts.For(activity.Locale, BotTexts.ForLanguage(options.Value.DefaultLanguage));

    [LoggerMessage(2100, LogLevel.Information, "Unhandled invoke {InvokeName}")]
    private static partial void LogUnhandledInvoke(ILogger logger, string? invokeName);

    [LoggerMessage(2101, LogLevel.Warning, "Card action with unknown verb {Verb}")]
    private static partial void LogUnknownVerb(ILogger logger, string? verb);

    [LoggerMessage(2102, LogLevel.Information, "Remembered conversation {ConversationId} (team {TeamId})")]
    private static partial void LogRemembered(ILogger logger, string conversationId, string? teamId);

    [LoggerMessage(2103, LogLevel.Information, "Forgot {Scope} after the bot was removed")]
    private static partial void LogForgotten(ILogger logger, string scope);

    [LoggerMessage(2105, LogLevel.Error, "Card action {Verb} failed")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, string verb);

    [LoggerMessage(2104, LogLevel.Error, "The state store failed during card action {Verb}")]
    private static partial void LogActionStoreFailed(ILogger logger, Exception exception, string verb);
}
