using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Demo;

/// <summary>
/// While the demo tenant serves the data, every Adaptive Card the bot writes — sent through the
/// connector or answered to a click — starts with a visible "DEMO DATA" marker in the card's language.
/// It works where cards become JSON, so no card builder can forget it.
/// </summary>
internal sealed class DemoCardMarker : IJsonTypeInfoResolver
{
    /// <summary>The marker's element id (tests look for it).</summary>
    public const string MarkerId = "tab-demo-data";

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        type == typeof(AdaptiveCard) ? JsonMetadataServices.CreateValueInfo<AdaptiveCard>(options, new MarkedCardConverter()) : null;

    /// <summary>The card with the marker on top (once).</summary>
    public static AdaptiveCard Mark(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Body.Count > 0 && card.Body[0].Id == MarkerId)
        {
            return card;
        }

        var marker = new TextBlock(DemoTexts.For(card.Lang).Marker) { Id = MarkerId, Color = "attention", Weight = "bolder", Size = "small" };
        return card with { Body = [marker, .. card.Body] };
    }

    private sealed class MarkedCardConverter : JsonConverter<AdaptiveCard>
    {
        public override AdaptiveCard? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize(ref reader, CardJsonContext.Default.AdaptiveCard);

        public override void Write(Utf8JsonWriter writer, AdaptiveCard value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, Mark(value), CardJsonContext.Default.AdaptiveCard);
    }
}
