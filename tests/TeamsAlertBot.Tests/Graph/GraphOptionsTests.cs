using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Tests.Graph;

public sealed class GraphOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddPartnerSecurityGraph_NoGraphSection_UsesBetaRootAndGraphDefaultScope()
    {
        await using GraphTestHost host = await GraphTestHost.StartAsync(GraphFakeHandler.Sequence());

        GraphOptions options = host.Services.GetRequiredService<IOptions<GraphOptions>>().Value;

        Assert.Equal(new Uri("https://graph.microsoft.com/beta"), options.BaseUrl);
        Assert.Equal("https://graph.microsoft.com/.default", options.Scope);
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/beta")]
    [InlineData("https://user@graph.microsoft.com/beta")]
    [InlineData("https://graph.microsoft.com/beta?x=1")]
    public async Task AddPartnerSecurityGraph_BaseUrlNotPlainHttps_FailsAtStart(string baseUrl)
    {
        using IHost host = GraphTestHost.Build(
            GraphFakeHandler.Sequence(), new GraphFakeAuthorizationHeaderProvider(), new Dictionary<string, string?> { ["Graph:BaseUrl"] = baseUrl });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Graph:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPartnerSecurityGraph_AttemptTimeoutNotShorterThanRequestTimeout_FailsAtStart()
    {
        using IHost host = GraphTestHost.Build(
            GraphFakeHandler.Sequence(),
            new GraphFakeAuthorizationHeaderProvider(),
            new Dictionary<string, string?> { ["Graph:AttemptTimeout"] = "00:01:00", ["Graph:RequestTimeout"] = "00:01:00" });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Graph:AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPartnerSecurityGraph_ConfiguredTimeouts_DriveTheResiliencePipeline()
    {
        await using GraphTestHost host = await GraphTestHost.StartAsync(
            GraphFakeHandler.Sequence(),
            new Dictionary<string, string?> { ["Graph:AttemptTimeout"] = "00:00:20", ["Graph:RequestTimeout"] = "00:02:00" });

        HttpStandardResilienceOptions resilience = host.Services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>()
            .Get($"{PartnerSecurityAlertClient.HttpClientName}-standard");

        Assert.Equal(TimeSpan.FromSeconds(20), resilience.AttemptTimeout.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), resilience.TotalRequestTimeout.Timeout);
        Assert.True(resilience.Retry.ShouldRetryAfterHeader);
        Assert.Equal(TimeSpan.FromSeconds(100), resilience.Retry.MaxDelay);
    }
}
