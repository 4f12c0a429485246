using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;

namespace TeamsAlertBot.Tests.Connector;

public sealed class ServiceUrlPolicyTests
{
    private static readonly ServiceUrlPolicy Defaults = new(Options.Create(new BotFrameworkOptions()));

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net/apac/v3/conversations")]
    [InlineData("https://SMBA.TrafficManager.NET/amer/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/gcc")]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/gcch")]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/dod")]
    public void IsAllowed_DefaultTeamsHost_True(string url)
    {
        var uri = new Uri(url);

        Assert.True(Defaults.IsAllowed(uri));
        Assert.True(Defaults.MayCarryToken(uri));
    }

    [Theory]
    [InlineData("https://evil.example/amer/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/amer/")]
    [InlineData("https://evilsmba.trafficmanager.net/amer/")]
    [InlineData("https://trafficmanager.net/amer/")]
    [InlineData("https://127.0.0.1/amer/")]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("ftp://smba.trafficmanager.net/amer/")]
    public void IsAllowed_OtherHostOrScheme_False(string url)
    {
        var uri = new Uri(url);

        Assert.False(Defaults.IsAllowed(uri));
        Assert.False(Defaults.MayCarryToken(uri));
    }

    [Theory]
    [InlineData("https://user:secret@smba.trafficmanager.net/amer/")]
    [InlineData("https://user@smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net@evil.example/amer/")]
    public void IsAllowed_UrlWithUserInfo_False(string url)
    {
        Assert.False(Defaults.IsAllowed(new Uri(url)));
    }

    [Fact]
    public void IsAllowed_RelativeUri_False()
    {
        Assert.False(Defaults.IsAllowed(new Uri("/v3/conversations", UriKind.Relative)));
    }

    [Fact]
    public void IsAllowed_HttpsEntryWithoutPort_Only443()
    {
        // An entry is an origin: without a port it means the scheme's default one, never "any port".
        Assert.True(Defaults.IsAllowed(new Uri("https://smba.trafficmanager.net:443/amer/")));
        Assert.False(Defaults.IsAllowed(new Uri("https://smba.trafficmanager.net:8443/amer/")));
        Assert.False(Defaults.MayCarryToken(new Uri("https://smba.trafficmanager.net:8443/amer/")));
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443/amer/", true)]
    [InlineData("https://127.0.0.1:8443", true)]
    [InlineData("https://127.0.0.1/amer/", false)]
    [InlineData("https://127.0.0.1:9443/amer/", false)]
    [InlineData("https://127.0.0.2:8443/amer/", false)]
    [InlineData("http://127.0.0.1:8443/amer/", false)]
    public void IsAllowed_EntryWithNonDefaultPort_RequiresThatPort(string url, bool expected)
    {
        ServiceUrlPolicy policy = Policy("https://127.0.0.1:8443");

        Assert.Equal(expected, policy.IsAllowed(new Uri(url)));
    }

    [Fact]
    public void MayCarryToken_HttpOrigin_AllowedButNoToken()
    {
        ServiceUrlPolicy policy = Policy("http://127.0.0.1:56150");
        var uri = new Uri("http://127.0.0.1:56150/_connector");

        Assert.True(policy.IsAllowed(uri));
        Assert.False(policy.MayCarryToken(uri));
    }

    [Fact]
    public void IsAllowed_HttpEntry_DoesNotAllowHttpsOnSameHost()
    {
        ServiceUrlPolicy policy = Policy("http://localhost:56150");

        Assert.True(policy.IsAllowed(new Uri("http://localhost:56150/_connector")));
        Assert.False(policy.IsAllowed(new Uri("https://localhost:56150/_connector")));
        Assert.False(policy.IsAllowed(new Uri("https://localhost/_connector")));
    }

    [Fact]
    public void IsAllowed_HttpEntryWithoutPort_Only80()
    {
        ServiceUrlPolicy policy = Policy("http://localhost");

        Assert.True(policy.IsAllowed(new Uri("http://localhost/_connector")));
        Assert.False(policy.IsAllowed(new Uri("http://localhost:56150/_connector")));
    }

    [Fact]
    public void MayCarryToken_HttpsEntry_True()
    {
        ServiceUrlPolicy policy = Policy("https://127.0.0.1:8443");

        Assert.True(policy.MayCarryToken(new Uri("https://127.0.0.1:8443/amer/")));
    }

    [Fact]
    public void MayCarryToken_NotAllowed_False()
    {
        ServiceUrlPolicy policy = Policy("https://127.0.0.1:8443");

        Assert.False(policy.MayCarryToken(new Uri("https://127.0.0.2:8443/amer/")));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("http://localhost:56150/_connector")]
    [InlineData("HTTPS://smba.trafficmanager.net/emea/")]
    public void TryParseServiceUrl_AbsoluteHttpUrl_ReturnsUri(string serviceUrl)
    {
        Uri? uri = ServiceUrlPolicy.TryParseServiceUrl(serviceUrl);

        Assert.NotNull(uri);
        Assert.True(uri.IsAbsoluteUri);
        Assert.Equal(new Uri(serviceUrl), uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("smba.trafficmanager.net/amer/")]
    [InlineData("/amer/")]
    [InlineData("ftp://smba.trafficmanager.net/amer/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public void TryParseServiceUrl_NotAnAbsoluteHttpUrl_Null(string? serviceUrl)
    {
        Assert.Null(ServiceUrlPolicy.TryParseServiceUrl(serviceUrl));
    }

    [Theory]
    [InlineData("smba.trafficmanager.net")]
    [InlineData("ftp://smba.trafficmanager.net")]
    [InlineData("/relative")]
    [InlineData("")]
    public void Constructor_BadEntry_ThrowsOptionsValidationExceptionNamingSetting(string entry)
    {
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => Policy(entry));

        Assert.Contains("Bot:AllowedServiceUrls", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceUrlPolicy Policy(params string[] allowed) =>
        new(Options.Create(new BotFrameworkOptions { AllowedServiceUrls = [.. allowed] }));
}
