using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.PartnerCenter;

public sealed class PartnerCenterOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        ValidateOptionsResult result = new PartnerCenterOptionsValidator().Validate(null, new PartnerCenterOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://api.partnercenter.microsoft.com")]
    [InlineData("api.partnercenter.microsoft.com")]
    [InlineData("https://user:secret@api.partnercenter.microsoft.com")]
    [InlineData("https://api.partnercenter.microsoft.com/?x=1")]
    public void Validate_BaseUrlNotPlainHttpsOrigin_FailsNamingTheSetting(string baseUrl)
    {
        ValidateOptionsResult result = new PartnerCenterOptionsValidator().Validate(null, new PartnerCenterOptions { BaseUrl = baseUrl });

        Assert.True(result.Failed);
        Assert.Contains("PartnerCenter:BaseUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttemptTimeoutNotShorterThanTotal_Fails()
    {
        var options = new PartnerCenterOptions { AttemptTimeout = TimeSpan.FromSeconds(30), TotalRequestTimeout = TimeSpan.FromSeconds(30) };

        ValidateOptionsResult result = new PartnerCenterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("PartnerCenter:AttemptTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HttpBaseUrl_RefusesToStart()
    {
        using IHost host = PartnerCenterTestHost.Build(new PartnerCenterFakeHandler(), new Dictionary<string, string?>
        {
            ["PartnerCenter:BaseUrl"] = "http://api.partnercenter.microsoft.com",
        });

        Exception? error = await Record.ExceptionAsync(() => host.StartAsync(TestContext.Current.CancellationToken));

        // Start-up validation reports every failing options instance together.
        OptionsValidationException validation = Assert.IsType<OptionsValidationException>(error is AggregateException all ? all.InnerExceptions[0] : error);
        Assert.Contains("PartnerCenter:BaseUrl must use https", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPartnerCenter_CalledTwice_RegistersOneHandlerChain()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddPartnerCenter();
        int once = builder.Services.Count;

        builder.AddPartnerCenter();

        Assert.Equal(once, builder.Services.Count);
    }
}
