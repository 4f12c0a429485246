using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>The application's turn handler: what the bot does with one inbound activity.</summary>
public interface IBot
{
    /// <summary>
    /// Handles one activity. For an <c>invoke</c> the result is written as the HTTP answer
    /// (null means "not handled": 501); for other types it is ignored.
    /// </summary>
    Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken);

    /// <summary>
    /// The answer to an invoke whose handling outlasts <see cref="BotFrameworkOptions.InvokeAnswerBudget"/>;
    /// the turn goes on in the background.
    /// </summary>
    InvokeResponse CreateInterimInvokeResponse(Activity activity);

    /// <summary>
    /// The answer to an invoke whose turn failed with an exception nothing else handled: a 200 that
    /// says so, because Teams shows a 5xx as a bare error and would send the invoke again.
    /// </summary>
    InvokeResponse CreateFailureInvokeResponse(Activity activity);
}
