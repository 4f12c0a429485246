using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Diagnostics;

/// <summary>
/// Whether Redis answers: a PING to every primary the bot's multiplexer knows (each shard of a
/// cluster), so a shard that is down makes the bot unready like a single server would.
/// AspNetCore.HealthChecks.Redis does not fit: on a cluster it sends <c>CLUSTER INFO</c>, which
/// StackExchange.Redis refuses unless the connection string allows admin commands.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            IServer[] primaries = [.. redis.GetServers().Where(server => !server.IsReplica)];
            if (primaries.Length == 0)
            {
                return HealthCheckResult.Unhealthy("No Redis primary is known");
            }

            await Task.WhenAll(primaries.Select(server => server.PingAsync()));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", e);
        }
    }
}

/// <summary>
/// Whether the bot can get an app token for the Bot Connector (registered only when an app id is
/// configured). The token comes from MSAL's cache while it is valid, so a probe costs no request to
/// Entra most of the time.
/// </summary>
internal sealed class ConnectorTokenHealthCheck(
    IAuthorizationHeaderProvider tokens,
    IOptions<BotFrameworkOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tokens.CreateAuthorizationHeaderForAppAsync(
                options.Value.ConnectorScope,
                new AuthorizationHeaderProviderOptions
                {
                    AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = BotIdentity.SectionName },
                },
                cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception goes to the health check log, never into the probe's answer.
            return HealthCheckResult.Unhealthy("No app token for the Bot Connector", e);
        }
    }
}

/// <summary>
/// Whether alerts are being polled: the last complete poll (by whichever instance holds the lease, as
/// recorded in Redis) is younger than <see cref="StaleAfter"/>. A deployment that has not completed a
/// poll yet gets the same time from when this check first looked.
/// </summary>
internal sealed class AlertPollerHealthCheck(
    IAlertLedger ledger,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time) : IHealthCheck
{
    private DateTimeOffset? _firstLooked;

    /// <summary>
    /// A few poll intervals, plus the lease a new poller waits out after the holder died: a poll that
    /// is merely late or one instance's restart does not make the bot unready.
    /// </summary>
    internal static TimeSpan StaleAfter(AlertPipelineOptions settings) => (settings.PollInterval * 3) + settings.LeaseDuration;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeSpan staleAfter = StaleAfter(options.Value);
        PipelineEpoch? epoch;
        try
        {
            epoch = await ledger.GetEpochAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The poller's state cannot be read", e);
        }

        if (epoch?.Watermark is { } lastPoll)
        {
            TimeSpan age = now - lastPoll;
            return age <= staleAfter
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The last complete poll is {age.TotalSeconds:0} s old (more than {staleAfter.TotalSeconds:0} s)");
        }

        DateTimeOffset since = _firstLooked ??= now;
        return now - since <= staleAfter
            ? HealthCheckResult.Healthy("No poll completed yet")
            : HealthCheckResult.Unhealthy($"No poll completed in {staleAfter.TotalSeconds:0} s");
    }
}
