using System.Text.Json.Nodes;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The element ids the product puts into its Adaptive Cards so that a card can be recognised — by the
/// bot itself when it reads a conversation back through Graph, and by the tests here.
/// </summary>
public static class CardMarkers
{
    /// <summary>Every alert card has an element with id <c>tab-alert-{alertId}</c>.</summary>
    public const string AlertPrefix = "tab-alert-";

    /// <summary>A card posted again after an ambiguous send that could not be checked.</summary>
    public const string PossibleRepeat = "tab-possible-repeat";

    /// <summary>A storm root card has an element with id <c>tab-storm-{customerTenantId}</c>.</summary>
    public const string StormPrefix = "tab-storm-";

    /// <summary>The one card per conversation after Redis lost its state.</summary>
    public const string Recovery = "tab-recovery";

    private const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The Adaptive Cards a message carries (attachment content as an object or a JSON string).</summary>
    public static IEnumerable<JsonObject> Cards(JsonNode? activity)
    {
        if (activity?["attachments"] is not JsonArray attachments)
        {
            yield break;
        }

        foreach (JsonNode? attachment in attachments)
        {
            if ((string?)attachment?["contentType"] != AdaptiveCardType)
            {
                continue;
            }

            JsonNode? content = attachment!["content"];
            if (content is JsonValue text && text.TryGetValue(out string? json))
            {
                content = JsonNode.Parse(json);
            }

            if (content is JsonObject card)
            {
                yield return card;
            }
        }
    }

    /// <summary>Every element id (<c>"id"</c>) anywhere in the message's cards.</summary>
    public static IEnumerable<string> ElementIds(JsonNode? activity) => Cards(activity).SelectMany(IdsIn);

    /// <summary>True when one of the message's cards has an element with this id.</summary>
    public static bool Has(JsonNode? activity, string elementId) => ElementIds(activity).Contains(elementId, StringComparer.Ordinal);

    /// <summary>
    /// The alert whose card the message is: the <c>tab-alert-</c> marker; for a card with no <c>tab-</c>
    /// marker at all (the product before it emitted them), the alert id of the card's refresh action,
    /// which only alert cards have — so a test fails for the defect it targets, not for the missing marker.
    /// </summary>
    public static string? AlertIdOf(JsonNode? activity)
    {
        string[] ids = [.. ElementIds(activity)];
        if (ids.FirstOrDefault(i => i.StartsWith(AlertPrefix, StringComparison.Ordinal)) is { } marker)
        {
            return marker[AlertPrefix.Length..];
        }

        if (ids.Any(i => i.StartsWith("tab-", StringComparison.Ordinal)))
        {
            return null;
        }

        return Cards(activity).Select(c => (string?)c["refresh"]?["action"]?["data"]?["alertId"]).FirstOrDefault(a => a is not null);
    }

    /// <summary>True when the message's card carries the alert's <c>tab-alert-</c> marker itself (not only the fallback).</summary>
    public static bool HasAlertMarker(JsonNode? activity, string alertId) => Has(activity, AlertPrefix + alertId);

    private static IEnumerable<string> IdsIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["id"] is JsonValue value && value.TryGetValue(out string? id))
                {
                    yield return id;
                }

                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    foreach (string inner in IdsIn(property.Value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    foreach (string inner in IdsIn(item))
                    {
                        yield return inner;
                    }
                }

                break;
            default:
                break;
        }
    }
}
