using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Bot;

/// <summary>Registers the bot's turn handling: commands, card actions, options.</summary>
public static class AlertBotServiceCollectionExtensions
{
    /// <summary>Adds the protocol layer with <see cref="AlertBot"/> as the turn handler, and the commands.</summary>
    public static IHostApplicationBuilder AddAlertBot(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddBotFramework<AlertBot>();
        builder.Services.AddOptions<AlertBotOptions>()
            .BindSettings(AlertBotOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IJsonTypeInfoResolver>(CardJsonContext.Default);
        builder.Services.AddSingleton<CommandHandler>();
        builder.Services.AddSingleton<CommandAccess>();
        builder.Services.AddSingleton<Operations.ServiceCalls>();
        builder.Services.AddSingleton<Operations.OperatorStatusReader>();
        builder.Services.AddSingleton<Queries.QueryButtonSigner>();
        builder.Services.AddSingleton<WebhookCommand>();
        builder.Services.AddSingleton<IBotCommand, Alerts.DeadLetterCommand>();
        return builder;
    }

    /// <summary>In anonymous mode, tells the developer how to open the Agents Playground against this bot.</summary>
    public static void LogPlaygroundHint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Configuration.GetValue<bool>($"{BotFrameworkOptions.SectionName}:AllowAnonymous"))
        {
            return;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TeamsAlertBot.LocalRun");
            foreach (string url in app.Urls)
            {
                LocalRunLog.PlaygroundHint(logger, $"{url.TrimEnd('/')}/api/messages");
            }
        });
    }
}

/// <summary>Log messages of a local run.</summary>
internal static partial class LocalRunLog
{
    [LoggerMessage(2200, LogLevel.Information,
        "Bot listening at {Endpoint} (anonymous, in-memory unless Redis:ConnectionString is set). Try it in Teams' local emulator: npx @microsoft/m365agentsplayground -e {Endpoint} -c msteams")]
    public static partial void PlaygroundHint(ILogger logger, string endpoint);
}
