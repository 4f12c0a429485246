using System.Text.RegularExpressions;
using TeamsAlertBot.Bot;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.Tests.Bot;

public sealed class MentionTextTests
{
    private const string AppId = "5f1c9e2a-8b3d-4c7e-a6f0-2d9b8e1c4a73";
    private const string BotMention = "<at>TeamsAlertBot</at>";

    [Theory]
    [InlineData("28:" + AppId, "28:" + AppId)]
    [InlineData("28:" + AppId, AppId)]
    [InlineData(AppId, "28:" + AppId)]
    [InlineData(AppId, AppId)]
    [InlineData("28:" + AppId, "28:5F1C9E2A-8B3D-4C7E-A6F0-2D9B8E1C4A73")]
    public void StripBotMention_BotMentioned_RemovesMention(string recipientId, string mentionedId)
    {
        Activity activity = Message($"{BotMention} subscribe", recipientId, Mention(mentionedId, BotMention));

        Assert.Equal("subscribe", MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_BotMentionedTwice_RemovesBoth()
    {
        Activity activity = Message($"{BotMention} status {BotMention}", "28:" + AppId, Mention("28:" + AppId, BotMention));

        Assert.Equal("status", MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_MentionInMiddle_KeepsTextAroundIt()
    {
        Activity activity = Message($"please {BotMention} help", "28:" + AppId, Mention("28:" + AppId, BotMention));

        Assert.Equal("please help", Regex.Replace(MentionText.StripBotMention(activity), @"\s+", " "));
    }

    [Fact]
    public void StripBotMention_OtherUserMentioned_KeepsTheirMention()
    {
        const string alice = "<at>Alice Smith</at>";
        Activity activity = Message(
            $"{BotMention} subscribe {alice}",
            "28:" + AppId,
            Mention("28:" + AppId, BotMention),
            Mention("29:1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0Lz1Xc2Vb3Nm4", alice));

        Assert.Equal($"subscribe {alice}", MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_OnlyAnotherBotMentioned_TextUnchanged()
    {
        const string other = "<at>OtherBot</at>";
        Activity activity = Message($"{other} help", "28:" + AppId, Mention("28:0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b", other));

        Assert.Equal($"{other} help", MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_NonBreakingSpaceEntity_DecodedToSpaceAndTrimmed()
    {
        Activity activity = Message($"{BotMention}&nbsp;help&nbsp;", "28:" + AppId, Mention("28:" + AppId, BotMention));

        Assert.Equal("help", MentionText.StripBotMention(activity));
    }

    [Theory]
    [InlineData("status &amp; more", "status & more")]
    [InlineData("subscribe &lt;general&gt;", "subscribe <general>")]
    [InlineData("help &quot;now&quot;", "help \"now\"")]
    [InlineData("help&#160;me", "help me")]
    [InlineData("ヘルプ&#x3000;", "ヘルプ")]
    public void StripBotMention_HtmlEntities_Decoded(string afterMention, string expected)
    {
        Activity activity = Message($"{BotMention} {afterMention}", "28:" + AppId, Mention("28:" + AppId, BotMention));

        Assert.Equal(expected, MentionText.StripBotMention(activity));
    }

    [Theory]
    [InlineData("  help  ", "help")]
    [InlineData("subscribe &amp; stay", "subscribe & stay")]
    [InlineData("", "")]
    public void StripBotMention_NoEntities_OnlyDecodesAndTrims(string text, string expected)
    {
        var activity = new Activity { Type = ActivityTypes.Message, Text = text, Recipient = new ChannelAccount { Id = "28:" + AppId } };

        Assert.Equal(expected, MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_NoText_ReturnsEmpty()
    {
        var activity = new Activity { Type = ActivityTypes.Message, Recipient = new ChannelAccount { Id = "28:" + AppId } };

        Assert.Equal(string.Empty, MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_NoRecipient_RemovesNothing()
    {
        var activity = new Activity { Type = ActivityTypes.Message, Text = $"{BotMention} help", Entities = [Mention("28:" + AppId, BotMention)] };

        Assert.Equal($"{BotMention} help", MentionText.StripBotMention(activity));
    }

    [Fact]
    public void StripBotMention_NonMentionEntityWithSameText_Ignored()
    {
        var clientInfo = new Entity { Type = "clientInfo", Text = BotMention, Mentioned = new ChannelAccount { Id = "28:" + AppId } };
        Activity activity = Message($"{BotMention} help", "28:" + AppId, clientInfo);

        Assert.Equal($"{BotMention} help", MentionText.StripBotMention(activity));
    }

    private static Entity Mention(string id, string text) =>
        new() { Type = "mention", Text = text, Mentioned = new ChannelAccount { Id = id, Name = "x" } };

    private static Activity Message(string text, string recipientId, params Entity[] entities) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Recipient = new ChannelAccount { Id = recipientId, Name = "TeamsAlertBot" },
        Entities = entities,
    };
}
