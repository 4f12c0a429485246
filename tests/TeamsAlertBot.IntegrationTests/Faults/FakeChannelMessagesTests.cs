using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Faults;

/// <summary>
/// The fake Graph v1.0 channel messages the bot will read to check an ambiguous send: what the fake
/// connector delivered comes back as Graph chatMessages, and a conversation without consent is refused.
/// </summary>
[Trait("Redis", "None")]
public sealed class FakeChannelMessagesTests : IAsyncLifetime
{
    private const string Channel = TeamsActivities.ChannelId;
    private LoopbackFakes _fakes = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _http = new HttpClient { BaseAddress = _fakes.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "app-only-graph-token");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task ListChannelMessages_AfterCardsWereDelivered_ReturnsThemAsChatMessagesWithTheCardAsAString()
    {
        string rootId = await SendAsync("connector/v3/conversations", new JsonObject
        {
            ["isGroup"] = true,
            ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Channel } },
            ["activity"] = Card("alert-0901"),
        });
        string replyId = await SendAsync($"connector/v3/conversations/{Uri.EscapeDataString($"{Channel};messageid={rootId}")}/activities", Card("alert-0902"));
        string newerRootId = await SendAsync("connector/v3/conversations", new JsonObject
        {
            ["isGroup"] = true,
            ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Channel } },
            ["activity"] = Card("alert-0903"),
        });

        JsonObject firstPage = await GetAsync($"graph/v1.0/teams/{TeamsActivities.TeamAadGroupId}/channels/{Uri.EscapeDataString(Channel)}/messages?$top=1");
        JsonObject secondPage = await GetAsync((string)firstPage["@odata.nextLink"]!);
        JsonObject replies = await GetAsync($"graph/v1.0/teams/{TeamsActivities.TeamAadGroupId}/channels/{Uri.EscapeDataString(Channel)}/messages/{rootId}/replies?$top=50");

        // Top-level posts, newest first, one a page; the reply only under its root.
        JsonObject newest = firstPage["value"]![0]!.AsObject();
        Assert.Equal(newerRootId, (string?)newest["id"]);
        Assert.Equal(rootId, (string?)secondPage["value"]![0]!["id"]);
        Assert.Null(secondPage["@odata.nextLink"]);
        Assert.Equal(replyId, (string?)replies["value"]![0]!["id"]);
        Assert.Equal(rootId, (string?)replies["value"]![0]!["replyToId"]);
        Assert.Equal(BotApp.AppId, (string?)newest["from"]!["application"]!["id"]);
        JsonObject attachment = newest["attachments"]![0]!.AsObject();
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.Contains($"<attachment id=\"{attachment["id"]}\"></attachment>", (string?)newest["body"]!["content"], StringComparison.Ordinal);
        Assert.Equal("alert-0903", CardMarkers.AlertIdOf(new JsonObject { ["attachments"] = new JsonArray(attachment.DeepClone()) }));
    }

    [Fact]
    public async Task ListChannelMessages_ConsentNotGrantedOrNoToken_Refused()
    {
        await SendAsync("connector/v3/conversations", new JsonObject
        {
            ["isGroup"] = true,
            ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Channel } },
            ["activity"] = Card("alert-0911"),
        });
        _fakes.UnreadableConversations[Channel] = true;
        string path = $"graph/v1.0/teams/{TeamsActivities.TeamAadGroupId}/channels/{Uri.EscapeDataString(Channel)}/messages";

        using HttpResponseMessage refused = await _http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        _http.DefaultRequestHeaders.Authorization = null;
        using HttpResponseMessage withoutToken = await _http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    /// <summary>A message with one Adaptive Card marked as an alert's card.</summary>
    private static JsonObject Card(string alertId) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["version"] = "1.5",
                ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["id"] = CardMarkers.AlertPrefix + alertId, ["text"] = alertId }),
            },
        }),
    };

    /// <summary>POSTs to the fake connector and returns the new message's activity id.</summary>
    private async Task<string> SendAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        return (string?)answer["activityId"] ?? (string)answer["id"]!;
    }

    private async Task<JsonObject> GetAsync(string url)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }
}
