using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Commands;

/// <summary>
/// Answers the typed commands: help, subscribe, unsubscribe, status and webhook here; the others
/// (Partner Center look-ups, alerts, the summary) through their <see cref="IBotCommand"/>.
/// </summary>
public sealed partial class CommandHandler(
    IConversationStore store,
    IEnumerable<ISubscriptionListener> listeners,
    IEnumerable<IBotCommand> commands,
    CommandAccess access,
    Queries.QueryButtonSigner buttons,
    WebhookCommand webhook,
    IOptions<AlertPipelineOptions> display,
    IOptions<AlertBotOptions> botOptions,
    TimeProvider time,
    ILogger<CommandHandler> logger,
    AlertPipelineState pipeline,
    Operations.OperatorStatusReader operations,
    IAlertWorkStreams? work = null)
{
    // A word or name echoed back longer than this is cut: nobody needs 200 KB of their own text back.
    private const int MaxEcho = 100;

    private readonly Dictionary<CommandKind, IBotCommand> _commands = commands.ToDictionary(c => c.Kind);

    /// <summary>The kinds answered by a registered <see cref="IBotCommand"/>.</summary>
    public IReadOnlyCollection<CommandKind> RoutedKinds => _commands.Keys;

    /// <summary>Parses and answers one message; the answer is posted as a reply in the conversation.</summary>
    public async Task HandleAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(texts);
        BotCommand command = CommandParser.Parse(MentionText.StripBotMention(turn.Activity));
        LogCommand(logger, command.Kind, turn.Activity.Conversation?.ConversationType);

        Activity reply;
        ConversationReference? created = null;
        try
        {
            reply = command.Kind switch
            {
                CommandKind.Help => CardReply(BotCards.Help(texts)),
                CommandKind.Subscribe => TextReply(await SubscribeAsync(turn, texts, r => created = r, cancellationToken)),
                CommandKind.Unsubscribe => TextReply(await UnsubscribeAsync(turn, texts, cancellationToken)),
                CommandKind.Status => CardReply(await StatusAsync(turn, texts, cancellationToken)),
                CommandKind.Webhook => TextReply(await webhook.RunAsync(turn, command.Arguments, texts, cancellationToken)),
                CommandKind.Empty => TextReply(texts.EmptyCommand),
                _ when TryAnswerRouted(turn, command, texts, cancellationToken) is { } answering => await answering,
                _ => TextReply(texts.Format(texts.UnknownCommand, Echo(command.Word)) + " "
                    + (command.Suggestion is null ? texts.EmptyCommand : texts.Format(texts.DidYouMean, command.Suggestion))),
            };
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStoreFailed(logger, e, command.Kind);
            reply = TextReply(texts.StorageUnavailable);
        }

        await turn.ReplyAsync(reply, cancellationToken);
        if (created is not null)
        {
            await NotifySubscribedAsync(turn, created, texts, cancellationToken);
        }
    }

    /// <summary>
    /// Tells the listeners (the backfill summary) after the confirmation went out. The subscription
    /// stands whatever they do: Graph failing under the summary is logged, not answered with a 500
    /// that would make Teams send the subscribe again.
    /// </summary>
    private async Task NotifySubscribedAsync(TurnContext turn, ConversationReference created, BotTexts texts, CancellationToken cancellationToken)
    {
        foreach (ISubscriptionListener listener in listeners)
        {
            try
            {
                await listener.OnSubscribedAsync(turn, created, texts, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogListenerFailed(logger, e, listener.GetType().Name, created.ConversationId);
            }
        }
    }

    /// <summary>
    /// The answer of the <see cref="IBotCommand"/> routed for <paramref name="command"/>'s kind — or, for
    /// someone who may not ask (<see cref="CommandAccess"/>), why not; null when no answerer has the kind.
    /// Typed commands and the query cards' buttons both come through here.
    /// </summary>
    public Task<Activity>? TryAnswerRouted(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return _commands.TryGetValue(command.Kind, out IBotCommand? routed) ? AnswerRoutedAsync(routed, turn, command, texts, cancellationToken) : null;
    }

    private async Task<Activity> AnswerRoutedAsync(IBotCommand routed, TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken) =>
        await access.RefusalAsync(turn, texts, cancellationToken) is { } refusal
            ? TextReply(refusal)
            // The answer's buttons re-run commands: signed for this conversation, like every button.
            : buttons.Sign(await routed.AnswerAsync(turn, command, texts, cancellationToken), turn.Activity.Conversation?.Id ?? string.Empty);

    private async Task<string> SubscribeAsync(TurnContext turn, BotTexts texts, Action<ConversationReference> onCreated, CancellationToken cancellationToken)
    {
        if (await access.RoutingRefusalAsync(turn, texts, cancellationToken) is { } refusal)
        {
            LogRoutingRefused(logger, CommandKind.Subscribe, turn.Activity.From?.AadObjectId);
            return refusal;
        }

        ConversationReference? reference = ConversationReference.FromActivity(turn.Activity, time.GetUtcNow());
        if (reference is null)
        {
            return texts.SubscribeOnlyInTeamsConversations;
        }

        if (reference.ConversationType != "channel" && !botOptions.Value.AllowAlertsInChats)
        {
            return texts.AlertsOnlyInChannels;
        }

        await store.UpsertReferenceAsync(reference, cancellationToken);
        bool created = await store.SubscribeAsync(
            new ChannelSubscription
            {
                ConversationId = reference.ConversationId,
                SubscribedBy = turn.Activity.From?.Name,
                SubscribedByAadObjectId = turn.Activity.From?.AadObjectId,
                SubscribedAt = time.GetUtcNow(),
            },
            cancellationToken);
        // Alert cards for this conversation are written in the subscriber's language.
        await store.SetValueAsync(reference.ConversationId, ConversationValues.Language, texts.Language, cancellationToken);
        if (!created)
        {
            return texts.AlreadySubscribed;
        }

        LogSubscribed(logger, reference.ConversationId, reference.TenantId);
        onCreated(reference);
        string name = Echo(reference.ConversationName ?? reference.TeamName ?? reference.ConversationId);
        // A subscription is kept either way (the pipeline may be set up later), but it must not promise cards.
        return pipeline.Runs
            ? texts.Format(texts.Subscribed, name)
            : texts.Format(texts.SubscribedPipelineOff, name, BotCards.OffReasons(texts, pipeline.OffReasons));
    }

    private async Task<string> UnsubscribeAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        if (await access.RoutingRefusalAsync(turn, texts, cancellationToken) is { } refusal)
        {
            LogRoutingRefused(logger, CommandKind.Unsubscribe, turn.Activity.From?.AadObjectId);
            return refusal;
        }

        string? conversationId = turn.Activity.Conversation?.Id;
        if (conversationId is null)
        {
            return texts.NotSubscribed;
        }

        bool removed = await store.UnsubscribeAsync(ConversationReference.BaseConversationId(conversationId), cancellationToken);
        return removed ? texts.Unsubscribed : texts.NotSubscribed;
    }

    private async Task<AdaptiveCard> StatusAsync(TurnContext turn, BotTexts texts, CancellationToken cancellationToken)
    {
        string conversationId = ConversationReference.BaseConversationId(turn.Activity.Conversation?.Id ?? string.Empty);
        bool healthy = true;
        TimeSpan roundTrip = TimeSpan.Zero;
        ChannelSubscription? subscription = null;
        int subscribed = 0;
        (long, long)? delivery = null;
        try
        {
            roundTrip = await store.PingAsync(cancellationToken);
            subscription = await store.GetSubscriptionAsync(conversationId, cancellationToken);
            subscribed = (await store.ListSubscriptionsAsync(cancellationToken)).Count;
            if (work is not null)
            {
                delivery = (await work.BacklogAsync(), await work.DeadLetterCountAsync());
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStoreFailed(logger, e, CommandKind.Status);
            healthy = false;
        }

        string name = turn.Activity.Conversation?.Name
            ?? turn.Activity.ChannelData?.Channel?.Name
            ?? turn.Activity.ChannelData?.Team?.Name
            ?? conversationId;
        // Instances, group ids and the grant's holder are for the people who run the triage, not for
        // everyone who can add the app to a chat.
        OperatorStatus? operatorStatus = await access.RefusalAsync(turn, texts, cancellationToken) is null
            ? await operations.ReadAsync(cancellationToken)
            : null;
        return BotCards.Status(texts, new StatusReport(
            name, subscription is not null, subscription?.SubscribedBy, subscription?.SubscribedAt,
            store.Kind, healthy, roundTrip, subscribed)
        {
            TimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(display.Value.DisplayTimeZone, out TimeZoneInfo? zone) ? zone : TimeZoneInfo.Utc,
            Delivery = delivery,
            Operator = operatorStatus,
        });
    }

    private static Activity TextReply(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };

    /// <summary>What someone typed or named, put into a markdown reply: short, and as text.</summary>
    private static string Echo(string text) => MarkdownText.Escape(TypedText.Cut(text, MaxEcho));

    private static Activity CardReply(AdaptiveCard card) => new()
    {
        Type = ActivityTypes.Message,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };

    [LoggerMessage(2000, LogLevel.Information, "Command {Command} in a {ConversationType} conversation")]
    private static partial void LogCommand(ILogger logger, CommandKind command, string? conversationType);

    [LoggerMessage(2001, LogLevel.Information, "Conversation {ConversationId} of tenant {TenantId} subscribed to alerts")]
    private static partial void LogSubscribed(ILogger logger, string conversationId, string? tenantId);

    [LoggerMessage(2002, LogLevel.Error, "The state store failed during {Command}")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, CommandKind command);

    [LoggerMessage(2003, LogLevel.Information, "{Command} refused for {ObjectId}: routing alerts needs the triage role")]
    private static partial void LogRoutingRefused(ILogger logger, CommandKind command, string? objectId);

    [LoggerMessage(2004, LogLevel.Error, "{Listener} failed after {ConversationId} subscribed; the subscription stands")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string listener, string conversationId);
}

/// <summary>A command answered by a feature of its own (Partner Center look-ups, alert lists, the summary).</summary>
public interface IBotCommand
{
    /// <summary>The command this answers.</summary>
    CommandKind Kind { get; }

    /// <summary>The reply (a card or text) to post in the conversation. Never throws for bad input: explains it.</summary>
    Task<Activity> AnswerAsync(TurnContext turn, BotCommand command, BotTexts texts, CancellationToken cancellationToken);
}

/// <summary>Told when a conversation subscribes for the first time (after the confirmation is sent).</summary>
public interface ISubscriptionListener
{
    Task OnSubscribedAsync(TurnContext turn, ConversationReference reference, BotTexts texts, CancellationToken cancellationToken);
}
