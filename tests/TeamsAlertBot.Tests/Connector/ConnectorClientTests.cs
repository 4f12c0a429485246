using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Tests.Fakes;

namespace TeamsAlertBot.Tests.Connector;

public sealed class ConnectorClientTests : IDisposable
{
    private const string Channel = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2";
    private const string Thread = Channel + ";messageid=1764321600123";
    private const int Repeats = 20;
    private static readonly Uri ServiceUrl = new("https://127.0.0.1/amer/");

    private readonly FakeConnectorHandler _handler = new();
    private readonly HttpClient _http;
    private readonly ConnectorClient _client;

    public ConnectorClientTests()
    {
        _http = new HttpClient(_handler);
        var policy = new ServiceUrlPolicy(Options.Create(new BotFrameworkOptions { AllowedServiceUrls = ["https://127.0.0.1"] }));
        _client = new ConnectorClient(_http, policy, new BotJsonOptions([CardJsonContext.Default]));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task CreateConversationAsync_CardActivityRepeatedly_EveryRequestCarriesTheCard()
    {
        // System.Text.Json moves a root type with a generated fast path onto it once it has seen
        // enough small payloads (after 10 here); every new alert thread must still carry its card.
        for (int i = 0; i < Repeats; i++)
        {
            await _client.CreateConversationAsync(ServiceUrl, NewThread(), Ct);
        }

        Assert.Equal(Repeats, _handler.Requests.Count);
        foreach (RecordedRequest request in _handler.Requests)
        {
            Assert.Equal("/amer/v3/conversations", request.Uri.AbsolutePath);
            JsonNode body = JsonNode.Parse(request.Body!)!;
            Assert.Equal(Channel, (string?)body["channelData"]!["channel"]!["id"]);
            Assert.Equal("AdaptiveCard", (string?)body["activity"]!["attachments"]![0]!["content"]!["type"]);
        }
    }

    [Fact]
    public async Task SendToConversationAsync_CardActivityRepeatedly_EveryRequestCarriesTheCard()
    {
        for (int i = 0; i < Repeats; i++)
        {
            await _client.SendToConversationAsync(ServiceUrl, Thread, CardMessage(), Ct);
        }

        Assert.Equal(Repeats, _handler.Requests.Count);
        Assert.All(_handler.Requests, request =>
            Assert.Equal("AdaptiveCard", (string?)JsonNode.Parse(request.Body!)!["attachments"]![0]!["content"]!["type"]));
    }

    [Fact]
    public async Task ReplyToActivityAsync_ThreadId_EscapedAsOnePathSegment()
    {
        ResourceResponse response = await _client.ReplyToActivityAsync(ServiceUrl, Thread, "1764321600123", CardMessage(), Ct);

        RecordedRequest request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(
            "/amer/v3/conversations/19%3Ae4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c%40thread.tacv2%3Bmessageid%3D1764321600123/activities/1764321600123",
            request.Uri.AbsolutePath);
        Assert.StartsWith("1764330000", response.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateActivityAsync_Activity_PutsWithTheActivityId()
    {
        await _client.UpdateActivityAsync(ServiceUrl, Thread, "1764321600999", CardMessage(), Ct);

        RecordedRequest request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.EndsWith("/activities/1764321600999", request.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("1764321600999", (string?)JsonNode.Parse(request.Body!)!["id"]);
    }

    [Fact]
    public async Task SendToConversationAsync_ServiceUrlNotAllowed_ThrowsAndSendsNothing()
    {
        await Assert.ThrowsAsync<ServiceUrlNotAllowedException>(
            () => _client.SendToConversationAsync(new Uri("https://127.0.0.2/amer/"), Thread, CardMessage(), Ct));

        Assert.Empty(_handler.Requests);
    }

    private static Activity CardMessage() => new()
    {
        Type = ActivityTypes.Message,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = BotCards.Help(BotTexts.En) }],
    };

    private static ConversationParameters NewThread() => new()
    {
        IsGroup = true,
        TenantId = "b7f3c2a1-4d5e-4f60-9a8b-1c2d3e4f5a6b",
        Activity = CardMessage(),
        ChannelData = new TeamsChannelData { Channel = new ChannelInfo { Id = Channel } },
    };
}
