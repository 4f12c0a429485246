using System.ComponentModel.DataAnnotations;
using TeamsAlertBot.Dashboard.Tab;

namespace TeamsAlertBot.Tests.Dashboard;

/// <summary>The tab's Content-Security-Policy and the validation of who may frame it.</summary>
public sealed class TabOptionsTests
{
    private static string[] Errors(TabOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? string.Empty)];

    [Fact]
    public void ContentSecurityPolicy_Defaults_OwnCodeOnlyAndTeamsMayFrame()
    {
        string policy = new TabOptions().ContentSecurityPolicy;

        Assert.Contains("default-src 'none';", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.EndsWith("frame-ancestors 'self' " + string.Join(' ', TabOptions.DefaultFrameAncestors), policy, StringComparison.Ordinal);
        Assert.Empty(Errors(new TabOptions()));
    }

    [Fact]
    public void ContentSecurityPolicy_ConfiguredHosts_ReplaceTheDefaultsAndAddTheExtraOrigins()
    {
        var options = new TabOptions { FrameAncestors = ["https://teams.microsoft.us"], AdditionalHostOrigins = ["http://127.0.0.1:5123"] };

        Assert.EndsWith("frame-ancestors 'self' https://teams.microsoft.us http://127.0.0.1:5123", options.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Empty(Errors(options));
    }

    [Theory]
    [InlineData("https://teams.microsoft.com; script-src *")]
    [InlineData("http://teams.microsoft.com")]
    [InlineData("*")]
    [InlineData("'unsafe-inline'")]
    public void Validate_FrameAncestorNotAHost_NamesTheSetting(string entry)
    {
        string error = Assert.Single(Errors(new TabOptions { FrameAncestors = [entry] }));

        Assert.StartsWith("Dashboard:Tab:FrameAncestors:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://host.example/path")]
    [InlineData("https://*.example.com")]
    public void Validate_AdditionalOriginNotAnOrigin_NamesTheSetting(string entry)
    {
        string error = Assert.Single(Errors(new TabOptions { AdditionalHostOrigins = [entry] }));

        Assert.StartsWith("Dashboard:Tab:AdditionalHostOrigins:", error, StringComparison.Ordinal);
    }
}
