using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Bot;

/// <summary>Reads what a card click sends: the button's typed data and the values of the card's inputs.</summary>
internal static class CardActionInput
{
    /// <summary>The button's data as <typeparamref name="T"/>; null when it is not an object or not readable as one.</summary>
    public static T? Read<T>(JsonElement? data, JsonTypeInfo<T> type)
        where T : class
    {
        if (data is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text typed into the input <paramref name="inputId"/>, cut to <paramref name="maxLength"/> (never inside an emoji); null when empty or absent.</summary>
    public static string? Text(JsonElement? data, string inputId, int maxLength) =>
        data is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty(inputId, out JsonElement input)
        && input.ValueKind == JsonValueKind.String
        && input.GetString() is { Length: > 0 } text
            ? TypedText.Cut(text, maxLength)
            : null;
}
