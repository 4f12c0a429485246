using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.Tests.Hosting;

/// <summary>
/// A configured list replaces its default: the binder alone would append, so an operator could only
/// ever add to Teams' send limits and allowed origins, never loosen or narrow them.
/// </summary>
public sealed class SettingsBindingTests
{
    [Fact]
    public void BindSettings_AllowedServiceUrlsSet_ReplacesTheTeamsDefaults()
    {
        BotFrameworkOptions bound = Bind(new() { ["Bot:AllowedServiceUrls:0"] = "https://smba.infra.gcc.teams.microsoft.com" });

        Assert.Equal(["https://smba.infra.gcc.teams.microsoft.com"], bound.AllowedServiceUrls);
    }

    [Fact]
    public void BindSettings_PerConversationWindowsSet_ReplaceTheDefaultWindows()
    {
        BotFrameworkOptions bound = Bind(new()
        {
            ["Bot:SendLimits:PerConversation:0:Window"] = "00:00:01",
            ["Bot:SendLimits:PerConversation:0:Limit"] = "20",
        });

        RateWindow window = Assert.Single(bound.SendLimits.PerConversation);
        Assert.Equal((TimeSpan.FromSeconds(1), 20), (window.Window, window.Limit));
        // The list the configuration does not mention keeps its default.
        Assert.Equal(new SendRateLimits().Global.Select(w => (w.Window, w.Limit)), bound.SendLimits.Global.Select(w => (w.Window, w.Limit)));
    }

    [Fact]
    public void BindSettings_GlobalWindowsSet_ReplaceTheDefaultWindow()
    {
        BotFrameworkOptions bound = Bind(new()
        {
            ["Bot:SendLimits:Global:0:Window"] = "00:00:01",
            ["Bot:SendLimits:Global:0:Limit"] = "100",
            ["Bot:SendLimits:Global:1:Window"] = "00:01:00",
            ["Bot:SendLimits:Global:1:Limit"] = "3000",
        });

        Assert.Equal([(TimeSpan.FromSeconds(1), 100), (TimeSpan.FromMinutes(1), 3000)], bound.SendLimits.Global.Select(w => (w.Window, w.Limit)));
        Assert.Equal(4, bound.SendLimits.PerConversation.Count);
    }

    [Fact]
    public void BindSettings_NothingSet_KeepsEveryDefault()
    {
        BotFrameworkOptions bound = Bind([]);

        Assert.Equal(new BotFrameworkOptions().AllowedServiceUrls, bound.AllowedServiceUrls);
        Assert.Equal(4, bound.SendLimits.PerConversation.Count);
        Assert.Single(bound.SendLimits.Global);
    }

    [Fact]
    public void BindSettings_ArrayWithDefaultSet_IsReplaced()
    {
        ServiceProvider services = Services(new() { ["Test:Hours:0"] = "7" }, s => s.AddOptions<ArraySettings>().BindSettings("Test"));

        Assert.Equal([7], services.GetRequiredService<IOptions<ArraySettings>>().Value.Hours);
    }

    [Fact]
    public async Task BindSettings_RealHostSendLimitsSet_ReplaceTheDefaults()
    {
        await using var host = new BotTestHost(settings: new Dictionary<string, string?>
        {
            ["Bot:SendLimits:PerConversation:0:Window"] = "00:00:01",
            ["Bot:SendLimits:PerConversation:0:Limit"] = "50",
        });

        BotFrameworkOptions bound = host.Factory.Services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(1), 50), (Assert.Single(bound.SendLimits.PerConversation).Window, bound.SendLimits.PerConversation[0].Limit));
        Assert.Equal(["https://127.0.0.1", "http://127.0.0.1:56150"], bound.AllowedServiceUrls);
    }

    private static BotFrameworkOptions Bind(Dictionary<string, string?> settings) =>
        Services(settings, s => s.AddOptions<BotFrameworkOptions>().BindSettings(BotFrameworkOptions.SectionName))
            .GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        register(services);
        return services.BuildServiceProvider();
    }

    private sealed class ArraySettings
    {
        public int[] Hours { get; set; } = [4, 12];
    }
}
