using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Schema;

/// <summary>
/// Teams adds fields without notice; the bot must hand back (and store) what it was given. Every
/// fixture is read and written with both the protocol layer's own context and the host's combined
/// options, and must come back semantically equal, invented unknown fields included.
/// </summary>
public sealed class ActivitySerializationTests
{
    private static readonly BotJsonOptions HostOptions = new([CardJsonContext.Default]);

    public static TheoryData<string> Fixtures => [.. FixtureFiles.All];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void RoundTrip_BotJsonContext_JsonIsSemanticallyEqual(string fixture)
    {
        AssertRoundTrip(fixture, BotJsonContext.Default.Activity);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void RoundTrip_BotJsonOptionsWithCardResolver_JsonIsSemanticallyEqual(string fixture)
    {
        AssertRoundTrip(fixture, HostOptions.Get<Activity>());
    }

    [Fact]
    public void RoundTrip_InventedFieldAtEveryLevel_KeptAsExtensionData()
    {
        Activity activity = Read(FixtureFiles.ChannelMessageWithMention);

        Assert.Contains("x-invented-trace", activity.AdditionalProperties!.Keys);
        Assert.Contains("x-invented-presence", activity.From!.AdditionalProperties!.Keys);
        Assert.Contains("x-invented-flags", activity.Conversation!.AdditionalProperties!.Keys);
        Assert.Contains("x-invented-feature", activity.ChannelData!.AdditionalProperties!.Keys);
        Assert.Equal(JsonValueKind.Null, activity.ChannelData.Team!.AdditionalProperties!["x-invented-sensitivity"].ValueKind);
        Assert.Contains("x-invented-score", activity.Entities![0]!.AdditionalProperties!.Keys);
        Assert.Contains("x-invented-kind", activity.Entities[0]!.Mentioned!.AdditionalProperties!.Keys);

        // Legacy Teams ids are not modelled and must survive as extension data too.
        Assert.Equal(
            "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2",
            activity.ChannelData.AdditionalProperties!["teamsChannelId"].GetString());
    }

    [Fact]
    public void Deserialize_ChannelMessage_TypedFieldsParse()
    {
        Activity activity = Read(FixtureFiles.ChannelMessageWithMention);

        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Equal("1764321600123", activity.Id);
        Assert.Equal("msteams", activity.ChannelId);
        Assert.Equal("https://smba.trafficmanager.net/amer/", activity.ServiceUrl);
        Assert.Equal("2026-11-28T09:20:00.1234567Z", activity.Timestamp);
        Assert.Equal("Asia/Tokyo", activity.LocalTimezone);
        Assert.Equal("en-US", activity.Locale);
        Assert.Equal("29:1Xk9vQ2mZs7TnR4bWp8cLd3Fh6Jy0Gq5Ua1Ye2Io3Pa4Sd5Fg6Hj7Kl8Zx9Cv0Bn1Mq2Wr3Et4Yu5Ip6As7Df8", activity.From!.Id);
        Assert.Equal("3c8e1f2a-9d4b-4e6c-8a7f-0b1d2c3e4f50", activity.From.AadObjectId);
        Assert.Equal("19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2;messageid=1764321600123", activity.Conversation!.Id);
        Assert.True(activity.Conversation.IsGroup);
        Assert.Equal("channel", activity.Conversation.ConversationType);
        Assert.Equal("b7f3c2a1-4d5e-4f60-9a8b-1c2d3e4f5a6b", activity.Conversation.TenantId);
        Assert.Equal("28:5f1c9e2a-8b3d-4c7e-a6f0-2d9b8e1c4a73", activity.Recipient!.Id);

        Entity mention = Assert.Single(activity.Entities!, e => e?.Type == "mention")!;
        Assert.Equal("28:5f1c9e2a-8b3d-4c7e-a6f0-2d9b8e1c4a73", mention.Mentioned!.Id);
        Assert.Equal("<at>TeamsAlertBot</at>", mention.Text);
        Assert.Contains(mention.Text!, activity.Text, StringComparison.Ordinal);
        Entity clientInfo = Assert.Single(activity.Entities!, e => e?.Type == "clientInfo")!;
        Assert.Equal("Asia/Tokyo", clientInfo.AdditionalProperties!["timezone"].GetString());

        Assert.Equal("b7f3c2a1-4d5e-4f60-9a8b-1c2d3e4f5a6b", activity.ChannelData!.Tenant!.Id);
        Assert.Equal("19:Vq3TzKp8mL2xN7cR5wH1jF9bD4gS6yA0_aB3cD5eF7gH9@thread.tacv2", activity.ChannelData.Team!.Id);
        Assert.Equal("19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2", activity.ChannelData.Channel!.Id);

        Attachment html = Assert.Single(activity.Attachments!)!;
        Assert.Equal("text/html", html.ContentType);
        Assert.Equal(JsonValueKind.String, Assert.IsType<JsonElement>(html.Content).ValueKind);
    }

    [Fact]
    public void Deserialize_InstallationUpdateAdd_TeamAndSelectedChannelParse()
    {
        Activity activity = Read(FixtureFiles.InstallationUpdateAdd);

        Assert.Equal(ActivityTypes.InstallationUpdate, activity.Type);
        Assert.Equal("add", activity.Action);
        Assert.Equal("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activity.ChannelData!.Team!.AadGroupId);
        Assert.Equal("Security Operations", activity.ChannelData.Team.Name);
        Assert.Equal("19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2", activity.ChannelData.Settings!.SelectedChannel!.Id);
        Assert.Equal(activity.ChannelData.Settings.SelectedChannel.Id, activity.Conversation!.Id);
        Assert.Equal("ja-JP", activity.Locale);
    }

    [Fact]
    public void Deserialize_ConversationUpdateMembersAdded_BotIsAmongMembersAdded()
    {
        Activity activity = Read(FixtureFiles.ConversationUpdateMembersAdded);

        Assert.Equal(ActivityTypes.ConversationUpdate, activity.Type);
        Assert.Equal("teamMemberAdded", activity.ChannelData!.EventType);
        ChannelAccount added = Assert.Single(activity.MembersAdded!)!;
        Assert.Equal(activity.Recipient!.Id, added.Id);
        Assert.StartsWith("28:", added.Id, StringComparison.Ordinal);
        Assert.Equal("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activity.ChannelData.Team!.AadGroupId);
    }

    [Fact]
    public void Deserialize_AdaptiveCardActionInvoke_ValueReadsAsInvokeValue()
    {
        Activity activity = Read(FixtureFiles.AdaptiveCardActionInvoke);

        Assert.Equal(ActivityTypes.Invoke, activity.Type);
        Assert.Equal("adaptiveCard/action", activity.Name);
        Assert.Equal("1764322800456", activity.ReplyToId);
        AdaptiveCardInvokeValue value = activity.Value!.Value.Deserialize(BotJsonContext.Default.AdaptiveCardInvokeValue)!;
        Assert.Equal("manual", value.Trigger);
        Assert.Equal("Action.Execute", value.Action!.Type);
        Assert.Equal("alert.ack", value.Action.Verb);
        Assert.Equal("pc-2026-000123", value.Action.Data!.Value.GetProperty("alertId").GetString());
        Assert.Equal(3, value.Action.Data.Value.GetProperty("version").GetInt32());
    }

    [Fact]
    public void Deserialize_PersonalMessage_PersonalConversationWithoutTeam()
    {
        Activity activity = Read(FixtureFiles.PersonalMessage);

        Assert.Equal("personal", activity.Conversation!.ConversationType);
        Assert.Null(activity.Conversation.IsGroup);
        Assert.StartsWith("a:", activity.Conversation.Id, StringComparison.Ordinal);
        Assert.Null(activity.ChannelData!.Team);
        Assert.Equal("b7f3c2a1-4d5e-4f60-9a8b-1c2d3e4f5a6b", activity.ChannelData.Tenant!.Id);
        Assert.Equal("ヘルプ", activity.Text);
    }

    [Fact]
    public void Deserialize_MessageWithSubmitValue_ValueIsObjectAndTextAbsent()
    {
        Activity activity = Read(FixtureFiles.MessageWithSubmitValue);

        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Null(activity.Text);
        Assert.Equal(JsonValueKind.Object, activity.Value!.Value.ValueKind);
        Assert.Equal("alert.ack", activity.Value.Value.GetProperty("verb").GetString());
        Assert.Equal("確認中です", activity.Value.Value.GetProperty("comment").GetString());
    }

    [Fact]
    public void Serialize_ReplyWithCardAttachment_WritesCardObjectCamelCaseWithoutNulls()
    {
        var reply = new Activity
        {
            Type = ActivityTypes.Message,
            Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = BotCards.Help(Core.Localization.BotTexts.En) }],
        };

        JsonNode json = JsonNode.Parse(JsonSerializer.Serialize(reply, HostOptions.Get<Activity>()))!;

        Assert.Equal("message", (string?)json["type"]);
        Assert.Null(json["text"]);
        Assert.False(json.AsObject().ContainsKey("text"));
        JsonNode content = json["attachments"]![0]!["content"]!;
        Assert.Equal(AdaptiveCard.ContentType, (string?)json["attachments"]![0]!["contentType"]);
        Assert.Equal("AdaptiveCard", (string?)content["type"]);
        Assert.Equal("1.5", (string?)content["version"]);
        Assert.Equal("TextBlock", (string?)content["body"]![0]!["type"]);
    }

    private static Activity Read(string fixture) =>
        JsonSerializer.Deserialize(FixtureFiles.Read(fixture), BotJsonContext.Default.Activity)!;

    private static void AssertRoundTrip(string fixture, JsonTypeInfo<Activity> typeInfo)
    {
        string original = FixtureFiles.Read(fixture);

        Activity activity = JsonSerializer.Deserialize(original, typeInfo)!;
        string written = JsonSerializer.Serialize(activity, typeInfo);

        JsonNode? expected = JsonNode.Parse(original);
        JsonNode? actual = JsonNode.Parse(written);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"{fixture} changed in a round trip.{Environment.NewLine}Expected: {expected?.ToJsonString()}{Environment.NewLine}Actual:   {actual?.ToJsonString()}");
    }
}
