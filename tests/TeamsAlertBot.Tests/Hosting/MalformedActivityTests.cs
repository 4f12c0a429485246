using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TeamsAlertBot.Tests.Support;

namespace TeamsAlertBot.Tests.Hosting;

/// <summary>
/// The activities that once made the endpoint answer 500 (found by throwing mutated activities at it
/// with a valid token): each is now answered with a 2xx or a 4xx, and a reply the bot still can send
/// is sent.
/// </summary>
public sealed class MalformedActivityTests
{
    private const string Endpoint = "/api/messages";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("membersAdded")]
    [InlineData("membersRemoved")]
    public async Task Post_ConversationUpdateWithNullMember_Returns200(string field)
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Fixture(FixtureFiles.ConversationUpdateMembersAdded);
        activity.Remove("membersAdded");
        activity[field] = new JsonArray(null, new JsonObject { ["id"] = "29:someone" });

        using HttpResponseMessage response = await PostAsync(host, activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_MessageWithNullEntity_RepliesToTheCommand()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.ChannelCommand("help");
        activity["entities"]!.AsArray().Add(null);

        using HttpResponseMessage response = await PostAsync(host, activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Connector.Requests);
    }

    [Theory]
    [InlineData(FixtureFiles.ChannelMessageWithMention)]
    [InlineData(FixtureFiles.MessageWithSubmitValue)]
    public async Task Post_MessageWithoutConversationId_Returns400AndSendsNothing(string fixture)
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Fixture(fixture);
        activity["conversation"]!.AsObject().Remove("id");

        using HttpResponseMessage response = await PostAsync(host, activity.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [InlineData("\uFFFE")]
    [InlineData("\uFFFF")]
    [InlineData("help\uFFFF")]
    public async Task Post_TextWithNoncharacter_IsAnswered(string command)
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand(command).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Connector.Requests);
    }

    [Theory]
    [InlineData("customer \U0001F600")]
    [InlineData("subscription 1\U0001F512")]
    [InlineData("\U0001F600\U0001F600")]
    public async Task Post_CommandWithEmoji_RepliesWithoutSplittingIt(string command)
    {
        await using var host = new BotTestHost();

        using HttpResponseMessage response = await PostAsync(host, TestActivities.ChannelCommand(command).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A split emoji (a lone surrogate) could not be written as JSON: the reply would fail.
        Assert.Single(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_TextWithLoneSurrogate_Returns400AndSendsNothing()
    {
        await using var host = new BotTestHost();
        string body = TestActivities.ChannelCommand("LONE").ToJsonString().Replace("LONE", "x\\ud800y", StringComparison.Ordinal);

        using HttpResponseMessage response = await PostAsync(host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task Post_SubmitValueWithLoneSurrogateAndNoText_Returns400AndSendsNothing()
    {
        await using var host = new BotTestHost();
        JsonObject activity = TestActivities.Fixture(FixtureFiles.MessageWithSubmitValue);
        activity["value"]!["verb"] = "LONE";
        string body = activity.ToJsonString().Replace("LONE", "\\udc00", StringComparison.Ordinal);

        using HttpResponseMessage response = await PostAsync(host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Connector.Requests);
    }

    private static async Task<HttpResponseMessage> PostAsync(BotTestHost host, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await host.CreateClient().PostAsync(Endpoint, content, Ct);
    }
}
