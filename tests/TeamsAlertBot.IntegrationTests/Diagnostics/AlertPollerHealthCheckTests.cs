using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Diagnostics;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Diagnostics;

/// <summary>
/// The poller's freshness rule against the pipeline's state in a real Redis: ready while the last
/// complete poll (any instance's) is at most 3 poll intervals + the lease old.
/// </summary>
public sealed class AlertPollerHealthCheckTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly AlertPipelineOptions Settings = new() { PollInterval = TimeSpan.FromMinutes(2), LeaseDuration = TimeSpan.FromSeconds(30) };
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(390);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ConnectionMultiplexer _connection = null!;
    private RedisAlertLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _ledger = new RedisAlertLedger(_connection, new RedisKeys(RedisServer.UniquePrefix()));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private AlertPollerHealthCheck Check() => new(_ledger, Options.Create(Settings), _time);

    private static async Task<HealthStatus> StatusAsync(AlertPollerHealthCheck check) =>
        (await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken)).Status;

    [Fact]
    public void StaleAfter_DefaultIntervals_IsThreePollsAndTheLease() =>
        Assert.Equal(StaleAfter, AlertPollerHealthCheck.StaleAfter(Settings));

    [Fact]
    public async Task Check_LastCompletePollAgesPastStaleAfter_TurnsUnhealthy()
    {
        await _ledger.CreateEpochAsync(new PipelineEpoch("e1", _time.GetUtcNow(), Initialized: true, Watermark: _time.GetUtcNow(), ResumeFrom: null));
        AlertPollerHealthCheck check = Check();

        _time.Advance(StaleAfter);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, await StatusAsync(check));
    }

    [Fact]
    public async Task Check_NoPollCompletedYet_HealthyForStaleAfterFromFirstLook()
    {
        AlertPollerHealthCheck check = Check();
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));

        _time.Advance(StaleAfter);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, await StatusAsync(check));

        // A poll completes (another instance's, recorded in Redis): ready again.
        await _ledger.CreateEpochAsync(new PipelineEpoch("e1", _time.GetUtcNow(), Initialized: true, Watermark: _time.GetUtcNow(), ResumeFrom: null));
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }
}
