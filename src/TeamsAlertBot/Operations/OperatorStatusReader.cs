using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Operations;

/// <summary>
/// Gathers the operator's half of <c>status</c> from what this instance knows: the pipeline's state
/// and why, the poll lease and the last complete poll (shared in Redis), what Graph and Partner Center
/// last answered here, who holds the roles, and the delegated grant. Reads only; calls no service.
/// </summary>
public sealed partial class OperatorStatusReader(
    AlertPipelineState pipeline,
    IOptions<AlertPipelineOptions> alerts,
    IOptions<TriageAuthorizationOptions> roles,
    IOptions<GraphDelegatedOptions> delegated,
    IHostEnvironment environment,
    IConfiguration configuration,
    ServiceCalls calls,
    IServiceProvider services,
    TimeProvider time,
    ILogger<OperatorStatusReader> logger)
{
    /// <summary>The operator's status as of now.</summary>
    public async Task<OperatorStatus> ReadAsync(CancellationToken cancellationToken)
    {
        // The demo tenant answers in place of Graph and Partner Center: nothing is missing for it.
        IReadOnlyList<string> appMissing = services.GetService<IAuthorizationHeaderProvider>() is null && !Demo.DemoOptions.IsEnabled(configuration)
            ? NotConfiguredException.AppRegistrationSettings
            : [];
        // Graph may be reached without the app's own token (a delegated grant, or a test's token source).
        IReadOnlyList<string> graphMissing = services.GetService<IGraphTokenSource>() is AppGraphTokenSource ? appMissing : [];
        TriageAuthorizationOptions who = roles.Value;
        var status = new OperatorStatus
        {
            PipelineOff = pipeline.OffReasons,
            PollInterval = alerts.Value.PollInterval,
            Now = time.GetUtcNow(),
            Graph = calls.StateOf(ServiceCalls.Graph, graphMissing),
            PartnerCenter = calls.StateOf(ServiceCalls.PartnerCenter, appMissing),
            Triage = Holders(who.RuleFor(TriageRole.Triage), who),
            Mitigation = Holders(who.RuleFor(TriageRole.Mitigate), who),
        };

        try
        {
            if (services.GetService<IAlertLedger>() is { } ledger)
            {
                string? holder = await ledger.LeaseHolderAsync();
                status = status with
                {
                    Poller = holder,
                    PollerIsThisInstance = holder is not null && holder == services.GetService<AlertPoller>()?.InstanceId,
                    LastPoll = (await ledger.GetEpochAsync())?.Watermark,
                };
            }

            if (delegated.Value.IsInUse && services.GetService<DelegatedAccountStore>() is { } grants)
            {
                DelegatedAccount? account = await grants.GetAsync(cancellationToken);
                status = status with { DelegatedGrant = new DelegatedGrantState(account?.Username ?? account?.ObjectId, account?.ConsentedAt) };
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The storage row already says Redis is not reachable; the rest of the card still stands.
            LogStateUnreadable(logger, e);
        }

        return status;
    }

    private RoleHolders Holders(TriageRoleRule rule, TriageAuthorizationOptions who) =>
        new(rule.GroupId, rule.AllowList.Count, !rule.IsConfigured && who.AllowEveryoneInDevelopment && environment.IsDevelopment());

    [LoggerMessage(2010, LogLevel.Warning, "status could not read the pipeline's shared state")]
    private static partial void LogStateUnreadable(ILogger logger, Exception exception);
}
