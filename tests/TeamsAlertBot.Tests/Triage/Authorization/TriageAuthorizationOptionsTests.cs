using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static TeamsAlertBot.Tests.Triage.Authorization.TriageAuthorizationTestHost;

namespace TeamsAlertBot.Tests.Triage.Authorization;

public sealed class TriageAuthorizationOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task StartAsync_AllowEveryoneOutsideDevelopment_FailsNamingTheKey(string environment)
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:AllowEveryoneInDevelopment"] = "true";

        string message = await StartFailureAsync(config, environment);

        Assert.Contains("Triage:Authorization:AllowEveryoneInDevelopment is refused", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AllowListEntryThatIsNoGuid_FailsNamingTheEntry()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:MitigationUserObjectIds:0"] = "meganb@contoso.example";

        string message = await StartFailureAsync(config);

        Assert.Contains("Triage:Authorization:MitigationUserObjectIds:0 'meganb@contoso.example'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_GroupIdThatIsNoGuid_FailsNamingTheKey()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:TriageGroupId"] = "SOC analysts";

        string message = await StartFailureAsync(config);

        Assert.Contains("Triage:Authorization:TriageGroupId 'SOC analysts'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_GroupWithoutTheAppRegistration_FailsNamingAzureAd()
    {
        Dictionary<string, string?> config = Configured();
        config.Remove("AzureAd:ClientId");
        config["AzureAd:TenantId"] = "contoso.onmicrosoft.com";

        string message = await StartFailureAsync(config);

        Assert.Contains("AzureAd:ClientId", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:TenantId", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/v1.0")]
    [InlineData("https://graph.microsoft.com/v1.0?x=1")]
    public async Task StartAsync_GraphBaseUrlNotAPlainHttpsRoot_FailsNamingTheKey(string url)
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:GraphBaseUrl"] = url;

        string message = await StartFailureAsync(config);

        Assert.Contains("Triage:Authorization:GraphBaseUrl", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NegativeCacheLongerThanPositive_FailsNamingBothKeys()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:NegativeCacheDuration"] = "00:10:00";

        string message = await StartFailureAsync(config);

        Assert.Contains("Triage:Authorization:NegativeCacheDuration", message, StringComparison.Ordinal);
        Assert.Contains("Triage:Authorization:CacheDuration", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AllowListOnlyWithoutAppRegistration_Starts()
    {
        await using TriageAuthorizationTestHost host = await StartAsync(new Dictionary<string, string?>
        {
            ["Triage:ActionSigningKey"] = SigningKey,
            ["Triage:Authorization:TriageUserObjectIds:0"] = Analyst,
        });

        Assert.True((await host.Authorizer.AuthorizeAsync(Actor(), global::TeamsAlertBot.Triage.Authorization.TriageRole.Triage, Ct)).IsAllowed);
    }

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> config, string environment = "Production")
    {
        using IHost host = Build(config, environment);
        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        return error.Message;
    }
}
