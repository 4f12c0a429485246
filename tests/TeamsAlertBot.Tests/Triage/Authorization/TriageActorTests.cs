using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Tests.Triage.Authorization.Fakes;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Tests.Triage.Authorization;

public sealed class TriageActorTests : IDisposable
{
    private const string Channel = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2";
    private const string TeamId = "19:0f1e2d3c4b5a69788796a5b4c3d2e1f0@thread.tacv2";
    private readonly HttpClient _http = new(new TriageFakeConnector());

    public void Dispose() => _http.Dispose();

    [Fact]
    public void FromTurn_ClickInAChannelThread_TakesFromTenantAndTheTeamAsRoster()
    {
        TriageActor actor = TriageActor.FromTurn(Turn(new Activity
        {
            Type = ActivityTypes.Invoke,
            ServiceUrl = "https://smba.test/amer/",
            From = new ChannelAccount { Id = "29:1abc", Name = "Megan Bowen", AadObjectId = "4f1c9e1a-7b2d-4c8e-9f3a-5d6e7f8a9b01" },
            Conversation = new ConversationAccount { Id = Channel + ";messageid=1764321600123", TenantId = "9a1b2c3d-0000-4000-8000-00000000cafe" },
            ChannelData = new TeamsChannelData { Team = new TeamInfo { Id = TeamId } },
        }));

        Assert.Equal(
            new TriageActor("29:1abc", "4f1c9e1a-7b2d-4c8e-9f3a-5d6e7f8a9b01", "Megan Bowen", "9a1b2c3d-0000-4000-8000-00000000cafe", new Uri("https://smba.test/amer/"), TeamId),
            actor);
    }

    [Fact]
    public void FromTurn_GroupChatWithTenantOnlyInChannelData_UsesTheConversationAsRoster()
    {
        TriageActor actor = TriageActor.FromTurn(Turn(new Activity
        {
            Type = ActivityTypes.Invoke,
            ServiceUrl = "https://smba.test/amer/",
            From = new ChannelAccount { Id = "29:1abc" },
            Conversation = new ConversationAccount { Id = "19:meeting_abc@thread.v2" },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = "9a1b2c3d-0000-4000-8000-00000000cafe" } },
        }));

        Assert.Null(actor.AadObjectId);
        Assert.Equal("9a1b2c3d-0000-4000-8000-00000000cafe", actor.TenantId);
        Assert.Equal("19:meeting_abc@thread.v2", actor.RosterConversationId);
    }

    private TurnContext Turn(Activity activity)
    {
        var policy = new ServiceUrlPolicy(Options.Create(new BotFrameworkOptions { AllowedServiceUrls = ["https://smba.test"] }));
        return new TurnContext(activity, new ConnectorClient(_http, policy, new BotJsonOptions([])), authenticated: true);
    }
}
