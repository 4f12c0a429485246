using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TeamsAlertBot.Tests.Graph;
using TeamsAlertBot.Tests.Triage.Authorization.Fakes;
using TeamsAlertBot.Triage.Authorization;
using static TeamsAlertBot.Tests.Triage.Authorization.TriageAuthorizationTestHost;

namespace TeamsAlertBot.Tests.Triage.Authorization;

public sealed class TriageAuthorizerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthorizeAsync_ObjectIdOnAllowList_AllowedWithoutAskingGraph()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:TriageUserObjectIds:0"] = Stranger;
        config["Triage:Authorization:TriageUserObjectIds:1"] = Analyst.ToUpperInvariant();
        await using TriageAuthorizationTestHost host = await StartAsync(config);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.AllowListed, Analyst), decision);
        Assert.Empty(host.Graph.Requests);
        Assert.Empty(host.Tokens.AppRequests);
    }

    [Fact]
    public async Task AuthorizeAsync_TransitiveGroupMember_AllowedAfterOneGroupSideRequestWithAppToken()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.GroupMember, Analyst), decision);
        TriageRecordedRequest request = Assert.Single(host.Graph.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal($"{GraphRoot}/groups/{TriageGroup}/transitiveMembers/{Analyst}?%24select=id", request.Uri.AbsoluteUri);
        Assert.Null(request.ConsistencyLevel);
        Assert.Equal($"Bearer {GraphFakeAuthorizationHeaderProvider.Token}", request.Authorization);
        Assert.Equal(("https://graph.microsoft.com/.default", "AzureAd"), Assert.Single(host.Tokens.AppRequests));
    }

    [Fact]
    public async Task AuthorizeAsync_NotInGroup_RefusedAsNotMember()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Stranger);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotMember, Analyst), decision);
        Assert.Single(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_TriageMemberAsksToMitigate_CheckedAgainstTheMitigationGroupAndRefused()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Mitigate, Ct);

        Assert.Equal(TriageDecisionReason.NotMember, decision.Reason);
        Assert.False(decision.IsAllowed);
        Assert.Contains($"/groups/{MitigationGroup}/", Assert.Single(host.Graph.Requests).Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_NothingConfiguredInProduction_RefusedAsNotConfiguredWithoutAnyRequest()
    {
        await using TriageAuthorizationTestHost host = await StartAsync(new Dictionary<string, string?>
        {
            ["Triage:ActionSigningKey"] = SigningKey,
        });

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotConfigured, Analyst), decision);
        Assert.Empty(host.Graph.Requests);
        Assert.Empty(host.Connector.Requests);
        FakeLogRecord warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 5002);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Triage:Authorization:TriageGroupId", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_OnlyTriageConfigured_MitigateRefusedAsNotConfigured()
    {
        Dictionary<string, string?> config = Configured();
        config.Remove("Triage:Authorization:MitigationGroupId");
        await using TriageAuthorizationTestHost host = await StartAsync(config);
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Mitigate, Ct);

        Assert.Equal(TriageDecisionReason.NotConfigured, decision.Reason);
        Assert.False(decision.IsAllowed);
        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_NothingConfiguredInDevelopmentWithTheFlag_AllowedAsDevelopmentOverride()
    {
        await using TriageAuthorizationTestHost host = await StartAsync(
            new Dictionary<string, string?> { ["Triage:Authorization:AllowEveryoneInDevelopment"] = "true" },
            environment: "Development");

        TriageDecision triage = await host.Authorizer.AuthorizeAsync(Actor(objectId: null), TriageRole.Triage, Ct);
        TriageDecision mitigate = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Mitigate, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.AllowedInDevelopment, null), triage);
        Assert.Equal(new TriageDecision(true, TriageDecisionReason.AllowedInDevelopment, Analyst), mitigate);
        Assert.Empty(host.Graph.Requests);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 5003 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task AuthorizeAsync_NothingConfiguredInDevelopmentWithoutTheFlag_RefusedAsNotConfigured()
    {
        await using TriageAuthorizationTestHost host = await StartAsync(new Dictionary<string, string?>(), environment: "Development");

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotConfigured, Analyst), decision);
    }

    [Fact]
    public async Task AuthorizeAsync_ConfiguredRoleInDevelopmentWithTheFlag_StillChecked()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:AllowEveryoneInDevelopment"] = "true";
        await using TriageAuthorizationTestHost host = await StartAsync(config, environment: "Development");

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotMember, Analyst), decision);
    }

    [Fact]
    public async Task AuthorizeAsync_UserOfAnotherTenant_RefusedAsWrongTenantWithoutAskingGraph()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(tenantId: OtherTenant), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.WrongTenant, Analyst), decision);
        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_NoTenantOnTheActivity_RefusedAsWrongTenant()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(tenantId: null), TriageRole.Triage, Ct);

        Assert.Equal(TriageDecisionReason.WrongTenant, decision.Reason);
        Assert.False(decision.IsAllowed);
    }

    [Fact]
    public async Task AuthorizeAsync_GuestOfAnotherTenantOnTheAllowList_Allowed()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:MitigationUserObjectIds:0"] = Stranger;
        await using TriageAuthorizationTestHost host = await StartAsync(config);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(Stranger, OtherTenant), TriageRole.Mitigate, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.AllowListed, Stranger), decision);
    }

    [Fact]
    public async Task AuthorizeAsync_NoObjectIdOnTheActivity_ResolvedThroughTheConnectorThenCheckedInTheGroup()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Connector.AddMember(TeamId, TeamsUserId, Analyst, PartnerTenant);
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(objectId: null), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.GroupMember, Analyst), decision);
        TriageRecordedRequest lookup = Assert.Single(host.Connector.Requests);
        Assert.Equal(HttpMethod.Get, lookup.Method);
        Assert.Equal(
            $"https://smba.test/amer/v3/conversations/{Uri.EscapeDataString(TeamId)}/members/{Uri.EscapeDataString(TeamsUserId)}",
            lookup.Uri.AbsoluteUri);
        Assert.EndsWith($"/transitiveMembers/{Analyst}", Assert.Single(host.Graph.Requests).Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_NoObjectIdAndTheConnectorDoesNotKnowTheUser_RefusedAsNotMember()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(objectId: null), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotMember, null), decision);
        Assert.Single(host.Connector.Requests);
        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_NoObjectIdAndTheConnectorFails_RefusedAsVerificationFailed()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Connector.FailWith = HttpStatusCode.InternalServerError;

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(objectId: null), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.VerificationFailed, null), decision);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 5005);
    }

    [Fact]
    public async Task AuthorizeAsync_NoObjectIdAndTheConnectorNamesAnotherTenant_RefusedAsWrongTenant()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Connector.AddMember(TeamId, TeamsUserId, Analyst, OtherTenant);
        host.Graph.AddMember(TriageGroup, Analyst);

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(objectId: null), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.WrongTenant, Analyst), decision);
        Assert.Empty(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_ObjectIdThatIsNoGuid_RefusedAsNotMemberWithoutAnyRequest()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(objectId: "../../users"), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.NotMember, null), decision);
        Assert.Empty(host.Graph.Requests);
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task AuthorizeAsync_GraphAnswersAnError_RefusedAsVerificationFailedAndNotCached(HttpStatusCode status)
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);
        host.Graph.FailWith = status;

        TriageDecision failed = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        host.Graph.FailWith = null;
        TriageDecision retried = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.VerificationFailed, Analyst), failed);
        Assert.Equal(new TriageDecision(true, TriageDecisionReason.GroupMember, Analyst), retried);
        Assert.Equal(2, host.Graph.Requests.Count);
        FakeLogRecord log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 5004);
        Assert.Contains($"status {(int)status}", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_GraphUnreachable_RefusedAsVerificationFailed()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.Unreachable = true;

        TriageDecision decision = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.VerificationFailed, Analyst), decision);
    }

    [Fact]
    public async Task AuthorizeAsync_GraphDoesNotAnswerWithinTheTimeout_RefusedAsVerificationFailed()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);
        host.Graph.Hang = true;

        Task<TriageDecision> pending = host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        await host.Graph.FirstRequest.WaitAsync(Ct);
        host.Time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.False(pending.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        TriageDecision decision = await pending;

        Assert.Equal(new TriageDecision(false, TriageDecisionReason.VerificationFailed, Analyst), decision);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 5006);
    }

    [Fact]
    public async Task AuthorizeAsync_CallerCancels_ThrowsInsteadOfDeciding()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.Hang = true;
        using var caller = new CancellationTokenSource();

        Task<TriageDecision> pending = host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, caller.Token);
        await host.Graph.FirstRequest.WaitAsync(Ct);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task AuthorizeAsync_MemberAskedAgainWithinTheCacheDuration_AnsweredWithoutAnotherGraphRequest()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        host.Time.Advance(TimeSpan.FromMinutes(4));
        TriageDecision second = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(new TriageDecision(true, TriageDecisionReason.GroupMember, Analyst), second);
        Assert.Single(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_MemberAskedAgainAfterTheCacheDuration_AsksGraphAgain()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(2, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task AuthorizeAsync_NonMemberAddedToTheGroup_RefusedFromCacheForAMinuteThenAllowed()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();

        TriageDecision first = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        host.Graph.AddMember(TriageGroup, Analyst);
        host.Time.Advance(TimeSpan.FromSeconds(59));
        TriageDecision cached = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        TriageDecision fresh = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);

        Assert.Equal(TriageDecisionReason.NotMember, first.Reason);
        Assert.Equal(TriageDecisionReason.NotMember, cached.Reason);
        Assert.Equal(TriageDecisionReason.GroupMember, fresh.Reason);
        Assert.Equal(2, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task AuthorizeAsync_SameGroupForBothRoles_OneCachedAnswerServesBoth()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:MitigationGroupId"] = TriageGroup;
        await using TriageAuthorizationTestHost host = await StartAsync(config);
        host.Graph.AddMember(TriageGroup, Analyst);

        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        TriageDecision mitigate = await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Mitigate, Ct);

        Assert.True(mitigate.IsAllowed);
        Assert.Single(host.Graph.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_Decisions_LoggedWithTheObjectIdAndNeverTheToken()
    {
        await using TriageAuthorizationTestHost host = await StartAsync();
        host.Graph.AddMember(TriageGroup, Analyst);

        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Triage, Ct);
        await host.Authorizer.AuthorizeAsync(Actor(), TriageRole.Mitigate, Ct);

        IReadOnlyList<FakeLogRecord> logs = host.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 5000 && r.Message.Contains(Analyst, StringComparison.Ordinal) && r.Message.Contains("GroupMember", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Id == 5001 && r.Message.Contains(Analyst, StringComparison.Ordinal) && r.Message.Contains("NotMember", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, r => r.Message.Contains(GraphFakeAuthorizationHeaderProvider.Token, StringComparison.Ordinal));
    }
}
