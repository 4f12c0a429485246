using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TeamsAlertBot.BotFramework.Schema;

/// <summary>
/// The JSON options of the protocol layer: the wire records' source-generated metadata, combined
/// with the host's resolvers for attachment contents (cards) that the protocol layer does not know.
/// </summary>
public sealed class BotJsonOptions
{
    public BotJsonOptions(IEnumerable<IJsonTypeInfoResolver> contentResolvers)
    {
        var options = new JsonSerializerOptions(BotJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([BotJsonContext.Default, .. contentResolvers]),
        };
        options.MakeReadOnly();
        Options = options;
    }

    /// <summary>The options; read-only.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The metadata of <typeparamref name="T"/>.</summary>
    public JsonTypeInfo<T> Get<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
