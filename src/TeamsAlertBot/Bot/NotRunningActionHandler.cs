using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Bot;

/// <summary>
/// Answers a button of a feature that is not running on this deployment (the alert pipeline's triage,
/// refresh, mitigation and backfill buttons while it is off): the user is told so, instead of being
/// told the button is unknown — it is known, a card from this bot carries it, it just does nothing here
/// (<paramref name="explain"/> words why, when the default does not fit).
/// </summary>
internal sealed partial class NotRunningActionHandler(string verb, ILogger<NotRunningActionHandler> logger, Func<BotTexts, string>? explain = null) : ICardActionHandler
{
    public string Verb { get; } = verb;

    public Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LogNotRunning(logger, Verb);
        return Task.FromResult(AdaptiveCardInvokeResponse.Card(BotCards.Error(request.Texts, explain?.Invoke(request.Texts) ?? request.Texts.ActionNotRunningHere)));
    }

    [LoggerMessage(2106, LogLevel.Information, "A {Verb} button was clicked, but its feature does not run on this deployment")]
    private static partial void LogNotRunning(ILogger logger, string verb);
}
