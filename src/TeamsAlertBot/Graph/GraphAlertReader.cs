using System.Text.Json;
using System.Text.Json.Nodes;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Graph;

/// <summary>
/// Reads alerts one by one, so one bad alert costs at most its bad fields, never the page. An
/// alert that does not deserialize is salvaged: each field is tried on its own, collection items
/// one by one; what still fails is dropped and logged. Only an alert without an id is skipped,
/// since nothing can be done with it. A missed fraud alert costs more than a card with one field
/// short.
/// </summary>
internal static class GraphAlertReader
{
    private const string IdProperty = "id";

    /// <summary>The alert in <paramref name="element"/>, or null (logged) when it has no usable id.</summary>
    public static PartnerSecurityAlert? Read(JsonElement element, int index, ILogger logger)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            GraphLog.AlertSkipped(logger, index, $"a JSON {element.ValueKind}, not an object");
            return null;
        }

        if (!element.TryGetProperty(IdProperty, out JsonElement idElement)
            || idElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(idElement.GetString()))
        {
            GraphLog.AlertSkipped(logger, index, "no string id");
            return null;
        }

        string id = idElement.GetString()!;
        if (TryDeserialize(element, out PartnerSecurityAlert? alert))
        {
            return alert;
        }

        return Salvage(element, id, logger);
    }

    private static PartnerSecurityAlert? Salvage(JsonElement element, string id, ILogger logger)
    {
        var kept = new JsonObject { [IdProperty] = id };
        List<string> dropped = [];
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.NameEquals(IdProperty))
            {
                continue;
            }

            JsonNode? value = JsonNode.Parse(property.Value.GetRawText());
            if (Accepts(id, property.Name, value))
            {
                kept[property.Name] = value;
            }
            else if (value is JsonArray array)
            {
                var items = new JsonArray();
                int bad = 0;
                foreach (JsonNode? item in array)
                {
                    if (Accepts(id, property.Name, new JsonArray(item?.DeepClone())))
                    {
                        items.Add(item?.DeepClone());
                    }
                    else
                    {
                        bad++;
                    }
                }

                kept[property.Name] = items;
                dropped.Add($"{property.Name} ({bad} of {array.Count} items)");
            }
            else
            {
                dropped.Add(property.Name);
            }
        }

        try
        {
            PartnerSecurityAlert? alert = kept.Deserialize(AlertJsonContext.Default.PartnerSecurityAlert);
            GraphLog.AlertSalvaged(logger, id, dropped.Count == 0 ? "(none named)" : string.Join(", ", dropped));
            return alert;
        }
        catch (JsonException e)
        {
            // Each field passed alone but not together; keep the bare alert rather than lose it.
            GraphLog.AlertSalvaged(logger, id, $"all but the id ({e.Message})");
            return new PartnerSecurityAlert { Id = id };
        }
    }

    // Whether the field, next to the id alone, deserializes: the model's own converters decide.
    private static bool Accepts(string id, string name, JsonNode? value)
    {
        var probe = new JsonObject { [IdProperty] = id, [name] = value?.DeepClone() };
        try
        {
            _ = probe.Deserialize(AlertJsonContext.Default.PartnerSecurityAlert);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryDeserialize(JsonElement element, out PartnerSecurityAlert? alert)
    {
        try
        {
            alert = element.Deserialize(AlertJsonContext.Default.PartnerSecurityAlert);
            return alert is not null;
        }
        catch (JsonException)
        {
            alert = null;
            return false;
        }
    }
}
