using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Digest;
using TeamsAlertBot.Sla;

namespace TeamsAlertBot.Tests.Digest;

public sealed class DigestOptionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDigestAndSla();
        return builder.Build();
    }

    [Fact]
    public void Bind_Settings_ReadAsConfigured()
    {
        using IHost host = Build(new()
        {
            ["Digest:SendAt"] = "07:45",
            ["Digest:TimeZone"] = "Asia/Tokyo",
            ["Sla:ReminderAfter:0"] = "02:00:00",
            ["Sla:OnCall:0:Id"] = "29:abc",
            ["Sla:OnCall:0:Name"] = "Aiko",
        });

        DigestOptions digest = host.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
        SlaOptions sla = host.Services.GetRequiredService<IOptions<SlaOptions>>().Value;

        Assert.Equal(new TimeOnly(7, 45), digest.SendAt);
        Assert.Equal("Asia/Tokyo", digest.TimeZone);
        Assert.Equal([TimeSpan.FromHours(2)], sla.Reminders);
        Assert.Equal("Aiko", Assert.Single(sla.EscalationContacts).Name);
    }

    [Theory]
    [InlineData("Digest:TimeZone", "Mars/Olympus_Mons")]
    [InlineData("Digest:TopCount", "0")]
    [InlineData("Sla:EscalateAfter", "00:00:00")]
    [InlineData("Sla:ReminderAfter:0", "2.00:00:00")]
    [InlineData("Sla:Escalation:0:Name", "Lead without an id")]
    public void Validate_BadSetting_Refused(string key, string value)
    {
        using IHost host = Build(new() { [key] = value });

        Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            _ = host.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
            _ = host.Services.GetRequiredService<IOptions<SlaOptions>>().Value;
        });
    }

    [Fact]
    public void Register_WithoutTheAlertPipeline_SummaryExplainsInsteadOfUnknownCommand()
    {
        using IHost host = Build([]);

        IBotCommand command = Assert.Single(host.Services.GetServices<IBotCommand>());
        Assert.Equal(Core.Commands.CommandKind.Summary, command.Kind);
        Assert.IsNotType<SummaryCommand>(command);
        Assert.Empty(host.Services.GetServices<IHostedService>().OfType<ScheduledLoop>());
    }
}
