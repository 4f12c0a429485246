using System.Text.Json.Nodes;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Hosting;

/// <summary>Activities for the endpoint tests, made from the real-shaped fixtures.</summary>
internal static class TestActivities
{
    public const string ServiceUrl = "https://127.0.0.1/amer/";
    public const string ForeignServiceUrl = "https://127.0.0.2/amer/";
    public const string TenantId = "b7f3c2a1-4d5e-4f60-9a8b-1c2d3e4f5a6b";
    public const string ChannelThreadId = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2;messageid=1764321600123";
    public const string ChannelMessageId = "1764321600123";

    /// <summary>A channel message that mentions the bot, followed by <paramref name="command"/>.</summary>
    public static JsonObject ChannelCommand(string command)
    {
        JsonObject activity = Fixture(FixtureFiles.ChannelMessageWithMention);
        activity["text"] = $"<at>TeamsAlertBot</at>&nbsp;{command}\n";
        return activity;
    }

    /// <summary>A personal-chat message (no mention), in Japanese.</summary>
    public static JsonObject PersonalCommand(string command)
    {
        JsonObject activity = Fixture(FixtureFiles.PersonalMessage);
        activity["text"] = command;
        return activity;
    }

    public static JsonObject Invoke(Action<JsonObject>? change = null)
    {
        JsonObject activity = Fixture(FixtureFiles.AdaptiveCardActionInvoke);
        change?.Invoke(activity);
        return activity;
    }

    /// <summary>A fixture with its service URL pointed at the allow-listed loopback origin.</summary>
    public static JsonObject Fixture(string name)
    {
        JsonObject activity = JsonNode.Parse(FixtureFiles.Read(name))!.AsObject();
        activity["serviceUrl"] = ServiceUrl;
        return activity;
    }
}
