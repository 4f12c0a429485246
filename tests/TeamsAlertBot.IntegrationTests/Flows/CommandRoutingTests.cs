using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Bot;
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
        await using BotApp bot = Bot(fakes, alerts);

        CommandHandler handler = bot.Services.GetRequiredService<CommandHandler>();

        Assert.All(
            CommandParser.Catalog.Select(c => c.Kind).Except(AnsweredByTheHandler),
            kind => Assert.Contains(kind, handler.RoutedKinds));
    }

    [Fact]
    public async Task EveryButtonVerb_HasAHandler_WithOrWithoutThePipeline()
    {
        // Without the pipeline its buttons still get an answer: that they do not run here.
        await using LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        await using BotApp on = Bot(fakes, alerts: true);
        await using BotApp off = Bot(fakes, alerts: false);

        string[] Verbs(BotApp bot) => [.. bot.Services.GetServices<ICardActionHandler>().Select(h => h.Verb).Order(StringComparer.Ordinal)];

        Assert.Equal(Verbs(on), Verbs(off));
        Assert.Equal(Verbs(on).Length, Verbs(on).Distinct().Count());
    }

    private BotApp Bot(LoopbackFakes fakes, bool alerts)
    {
        Dictionary<string, string?> settings = BotApp.Authenticated(fakes, redis);
        settings["Alerts:Enabled"] = alerts ? "true" : "false";
        settings["Alerts:PollInterval"] = "01:00:00";
        settings["Graph:BaseUrl"] = fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = fakes.PartnerCenterBaseUrl;
        return new BotApp(settings);
    }
}
