using System.Text.Json.Serialization;

namespace TeamsAlertBot.BotFramework.Schema;

/// <summary>
/// What the bot answers an <c>invoke</c> with: the HTTP status and body written synchronously.
/// </summary>
public sealed record InvokeResponse(int Status, object? Body);

/// <summary>
/// Body of an <c>adaptiveCard/action</c> answer (Universal Actions):
/// <c>{statusCode, type, value}</c>; the HTTP status mirrors <see cref="StatusCode"/>.
/// </summary>
public sealed record AdaptiveCardInvokeResponse
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";
    public const string RetryAfterType = "application/vnd.microsoft.activity.retryAfter";

    public required int StatusCode { get; init; }

    public required string Type { get; init; }

    public object? Value { get; init; }

    /// <summary>Replace the acting user's card with <paramref name="card"/>.</summary>
    public static AdaptiveCardInvokeResponse Card(object card) => new() { StatusCode = 200, Type = CardType, Value = card };

    /// <summary>Show <paramref name="text"/> to the acting user.</summary>
    public static AdaptiveCardInvokeResponse Message(string text) => new() { StatusCode = 200, Type = MessageType, Value = text };

    /// <summary>An error with a machine code and a message for the user.</summary>
    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new() { StatusCode = statusCode, Type = ErrorType, Value = new InvokeError(code, message) };

    /// <summary>Wraps this answer for the HTTP layer.</summary>
    public InvokeResponse ToInvokeResponse() => new(StatusCode, this);
}

/// <summary>The <c>value</c> of an <see cref="AdaptiveCardInvokeResponse.ErrorType"/> answer.</summary>
public sealed record InvokeError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record AdaptiveCardInvokeValue
{
    public AdaptiveCardInvokeAction? Action { get; init; }

    /// <summary><c>manual</c> (a click) or <c>automatic</c> (a refresh).</summary>
    public string? Trigger { get; init; }
}

/// <summary>The action part of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record AdaptiveCardInvokeAction
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Verb { get; init; }

    public System.Text.Json.JsonElement? Data { get; init; }
}
