using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Bot;

/// <summary>One card button (an <c>Action.Execute</c> verb, or an <c>Action.Submit</c> with that verb).</summary>
public interface ICardActionHandler
{
    /// <summary>The verb this handler answers.</summary>
    string Verb { get; }

    /// <summary>Handles a click; the answer replaces the clicking user's card or shows a message.</summary>
    Task<AdaptiveCardInvokeResponse> HandleAsync(CardActionRequest request, CancellationToken cancellationToken);
}

/// <summary>A card click, whether it came as an invoke or as a message with a value.</summary>
public sealed record CardActionRequest(TurnContext Turn, string Verb, System.Text.Json.JsonElement? Data, BotTexts Texts);
