namespace TeamsAlertBot.Tests.Support;

/// <summary>The checked-in activity fixtures, copied next to the test assembly.</summary>
internal static class FixtureFiles
{
    public const string ChannelMessageWithMention = "channel-message-mention.json";
    public const string InstallationUpdateAdd = "installation-update-add.json";
    public const string ConversationUpdateMembersAdded = "conversation-update-members-added.json";
    public const string AdaptiveCardActionInvoke = "invoke-adaptive-card-action.json";
    public const string PersonalMessage = "personal-message.json";
    public const string MessageWithSubmitValue = "message-submit-value.json";

    public static IReadOnlyList<string> All { get; } =
    [
        ChannelMessageWithMention,
        InstallationUpdateAdd,
        ConversationUpdateMembersAdded,
        AdaptiveCardActionInvoke,
        PersonalMessage,
        MessageWithSubmitValue,
    ];

    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
