using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Flows;

/// <summary>Every command that help and the manifest list has an answer, with or without the alert pipeline.</summary>
public sealed class CommandRoutingTests(RedisServer redis)
{
    private static readonly CommandKind[] AnsweredByTheHandler = [CommandKind.Help, CommandKind.Subscribe, CommandKind.Unsubscribe, CommandKind.Status, CommandKind.Webhook];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryListedCommand_HasAnAnswerer(bool alerts)
    {
        await using LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        Dictionary<string, string?> settings = BotApp.Authenticated(fakes, redis);
        settings["Alerts:Enabled"] = alerts ? "true" : "false";
        settings["Alerts:PollInterval"] = "01:00:00";
        settings["Graph:BaseUrl"] = fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = fakes.PartnerCenterBaseUrl;
        await using var bot = new BotApp(settings);

        CommandHandler handler = bot.Services.GetRequiredService<CommandHandler>();

        Assert.All(
            CommandParser.Catalog.Select(c => c.Kind).Except(AnsweredByTheHandler),
            kind => Assert.Contains(kind, handler.RoutedKinds));
    }
}
