using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>
/// The subset of the Adaptive Card schema (1.5, the newest Teams renders) the bot uses, as typed
/// records. Null members are omitted when serialized; <see cref="CardJsonContext"/> writes them.
/// </summary>
public sealed record AdaptiveCard
{
    /// <summary>The attachment content type of an Adaptive Card.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    [JsonPropertyName("type")]
    public string Type { get; init; } = "AdaptiveCard";

    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "http://adaptivecards.io/schemas/adaptive-card.json";

    public string Version { get; init; } = "1.5";

    /// <summary>Text Teams shows in notifications and the chat list.</summary>
    public string? Speak { get; init; }

    public string? Lang { get; init; }

    public IReadOnlyList<CardElement> Body { get; init; } = [];

    public IReadOnlyList<CardAction>? Actions { get; init; }

    /// <summary>Universal Actions refresh (who gets an automatic per-user view).</summary>
    public CardRefresh? Refresh { get; init; }

    /// <summary>Teams options; <c>{"width":"Full"}</c> widens the card.</summary>
    [JsonPropertyName("msteams")]
    public TeamsCardOptions? MsTeams { get; init; }
}

/// <summary>Teams-specific card options.</summary>
public sealed record TeamsCardOptions(string Width);

/// <summary>The card's refresh: an <c>Action.Execute</c> run for the listed users.</summary>
public sealed record CardRefresh(CardAction Action, IReadOnlyList<string>? UserIds);

/// <summary>A card body element.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(InputText), "Input.Text")]
[JsonDerivedType(typeof(InputChoiceSet), "Input.ChoiceSet")]
public abstract record CardElement
{
    public string? Id { get; init; }

    /// <summary>Space above the element: none, small, default, medium, large, extraLarge, padding.</summary>
    public string? Spacing { get; init; }

    public bool? Separator { get; init; }

    public bool? IsVisible { get; init; }
}

/// <summary>A block of text (markdown subset).</summary>
public sealed record TextBlock(string Text) : CardElement
{
    public bool? Wrap { get; init; } = true;

    /// <summary>small, default, medium, large, extraLarge.</summary>
    public string? Size { get; init; }

    /// <summary>lighter, default, bolder.</summary>
    public string? Weight { get; init; }

    /// <summary>default, dark, light, accent, good, warning, attention.</summary>
    public string? Color { get; init; }

    public bool? IsSubtle { get; init; }

    public int? MaxLines { get; init; }

    /// <summary>heading marks the block as a heading for screen readers.</summary>
    public string? Style { get; init; }
}

/// <summary>
/// Runs of text side by side. Unlike <see cref="TextBlock"/>, a <see cref="TextRun"/> is never
/// read as markdown, so it is the element for text the bot does not control (names, ids, details).
/// </summary>
public sealed record RichTextBlock(IReadOnlyList<TextRun> Inlines) : CardElement
{
    /// <summary>left, center or right.</summary>
    public string? HorizontalAlignment { get; init; }
}

/// <summary>One run of plain text in a <see cref="RichTextBlock"/>.</summary>
public sealed record TextRun(string Text)
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "TextRun";

    /// <summary>small, default, medium, large, extraLarge.</summary>
    public string? Size { get; init; }

    /// <summary>lighter, default, bolder.</summary>
    public string? Weight { get; init; }

    /// <summary>default, dark, light, accent, good, warning, attention.</summary>
    public string? Color { get; init; }

    public bool? IsSubtle { get; init; }

    public bool? Italic { get; init; }

    /// <summary>default or monospace.</summary>
    public string? FontType { get; init; }
}

/// <summary>Label/value pairs.</summary>
public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

/// <summary>One row of a <see cref="FactSet"/>.</summary>
public sealed record Fact(string Title, string Value);

/// <summary>A group of elements with an optional style.</summary>
public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    /// <summary>default, emphasis, good, attention, warning, accent.</summary>
    public string? Style { get; init; }

    public bool? Bleed { get; init; }
}

/// <summary>Columns side by side.</summary>
public sealed record ColumnSet(IReadOnlyList<Column> Columns) : CardElement;

/// <summary>A column of a <see cref="ColumnSet"/>.</summary>
public sealed record Column(IReadOnlyList<CardElement> Items)
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "Column";

    /// <summary>auto, stretch or a weight.</summary>
    public string? Width { get; init; }

    public string? VerticalContentAlignment { get; init; }
}

/// <summary>Actions placed inside the body.</summary>
public sealed record ActionSet(IReadOnlyList<CardAction> Actions) : CardElement;

/// <summary>A single-line or multi-line text input.</summary>
public sealed record InputText : CardElement
{
    public string? Label { get; init; }

    public string? Placeholder { get; init; }

    public bool? IsMultiline { get; init; }

    public int? MaxLength { get; init; }

    public bool? IsRequired { get; init; }

    public string? ErrorMessage { get; init; }

    public string? Value { get; init; }
}

/// <summary>A choice among fixed values (a drop-down, or radio buttons when expanded).</summary>
public sealed record InputChoiceSet(IReadOnlyList<Choice> Choices) : CardElement
{
    public string? Label { get; init; }

    /// <summary>compact (drop-down) or expanded (radio buttons).</summary>
    public string? Style { get; init; }

    public bool? IsRequired { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>The value chosen at first.</summary>
    public string? Value { get; init; }
}

/// <summary>One choice of an <see cref="InputChoiceSet"/>.</summary>
public sealed record Choice(string Title, string Value);

/// <summary>A card action.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
public abstract record CardAction
{
    public string? Id { get; init; }

    public string? Title { get; init; }

    /// <summary>default, positive or destructive.</summary>
    public string? Style { get; init; }

    /// <summary>Another action to use where this one is not supported; <c>drop</c> to drop it.</summary>
    public CardAction? Fallback { get; init; }
}

/// <summary>Universal Action: Teams sends an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record ExecuteAction : CardAction
{
    public required string Verb { get; init; }

    public JsonElement? Data { get; init; }

    /// <summary>none, or auto to also send the card's inputs.</summary>
    public string? AssociatedInputs { get; init; }
}

/// <summary>Classic submit: Teams sends a <c>message</c> whose value is the data plus inputs.</summary>
public sealed record SubmitAction : CardAction
{
    public JsonElement? Data { get; init; }

    public string? AssociatedInputs { get; init; }
}

/// <summary>Opens a URL.</summary>
public sealed record OpenUrlAction(Uri Url) : CardAction;

/// <summary>Shows a card inside the card (no round trip to the bot).</summary>
public sealed record ShowCardAction(AdaptiveCard Card) : CardAction;

/// <summary>Serializer metadata for cards (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdaptiveCard))]
public sealed partial class CardJsonContext : JsonSerializerContext;
