using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Demo;

/// <summary>
/// Keeps the demo tenant alive: a channel's subscription sets off a wave of new alerts (with a storm
/// the first time), and a new alert arrives every <see cref="DemoOptions.NewAlertInterval"/>; each time
/// the poller is asked to look at once, as a Partner Center webhook would, so cards follow within seconds.
/// </summary>
internal sealed partial class DemoAlertFeed(
    DemoTenant tenant,
    AlertPoller poller,
    IOptions<DemoOptions> options,
    IOptions<AlertPipelineOptions> pipeline,
    TimeProvider time,
    ILogger<DemoAlertFeed> logger) : BackgroundService, Commands.ISubscriptionListener
{
    public Task OnSubscribedAsync(TurnContext turn, ConversationReference reference, BotTexts texts, CancellationToken cancellationToken)
    {
        // One more than the threshold makes a storm thread; a few more show the threading.
        int added = tenant.ReleaseWave(pipeline.Value.StormThreshold + 2);
        LogWave(logger, added);
        poller.RequestPoll();
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.NewAlertInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Core.Alerts.PartnerSecurityAlert alert = tenant.ReleaseOne();
            LogNewAlert(logger, alert.Id, alert.AlertType);
            poller.RequestPoll();
        }
    }

    [LoggerMessage(4900, LogLevel.Information, "Demo tenant: a channel subscribed, {Count} new demo alerts arrive")]
    private static partial void LogWave(ILogger logger, int count);

    [LoggerMessage(4901, LogLevel.Information, "Demo tenant: new demo alert {AlertId} ({AlertType})")]
    private static partial void LogNewAlert(ILogger logger, string alertId, string? alertType);
}
