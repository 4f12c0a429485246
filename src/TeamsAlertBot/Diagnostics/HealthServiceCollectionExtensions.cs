using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Diagnostics;

/// <summary>
/// The health endpoints: <c>/health/live</c> (the process answers: for a liveness probe),
/// <c>/health/ready</c> (Redis, an app token for the connector, fresh alert polls: for a readiness
/// probe) and <c>/healthz</c> (the state store, as before). Each answers 200 or 503 with one word.
/// </summary>
public static class HealthServiceCollectionExtensions
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag of the state store's check (<c>/healthz</c>).</summary>
    public const string StoreTag = "store";

    /// <summary>
    /// Registers the checks this configuration needs: Redis when <c>Redis:ConnectionString</c> is set,
    /// the connector token when <c>AzureAd:ClientId</c> is set, poller freshness where the pipeline runs.
    /// </summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IConfiguration config = builder.Configuration;
        IHealthChecksBuilder checks = builder.Services.AddHealthChecks();
        if (!string.IsNullOrWhiteSpace(config[$"{RedisOptions.SectionName}:ConnectionString"]))
        {
            checks.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag, StoreTag], timeout: ProbeTimeout);
        }

        if (!string.IsNullOrWhiteSpace(config[$"{BotFramework.BotIdentity.SectionName}:ClientId"]))
        {
            checks.AddCheck<ConnectorTokenHealthCheck>("connector-token", tags: [ReadyTag], timeout: ProbeTimeout);
        }

        if (AlertsServiceCollectionExtensions.PipelineRuns(config))
        {
            builder.Services.AddSingleton<AlertPollerHealthCheck>();
            checks.AddCheck<AlertPollerHealthCheck>("alert-poller", tags: [ReadyTag], timeout: ProbeTimeout);
        }

        return builder;
    }

    /// <summary>Maps the three health endpoints (anonymous: they say healthy or not, nothing else).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(StoreTag) });
        return endpoints;
    }

    /// <summary>A probe answers within this even when a dependency hangs (Azure's probes time out after a few seconds).</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(4);
}
