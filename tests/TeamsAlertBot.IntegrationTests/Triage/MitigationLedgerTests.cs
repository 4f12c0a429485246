using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>The mitigation ledger's claim against a real redis-server: once, lapsing, bound to the fraud verdict.</summary>
public sealed class MitigationLedgerTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private ConnectionMultiplexer _connection = null!;
    private TriageLedger _triage = null!;
    private MitigationLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = new RedisKeys(RedisServer.UniquePrefix());
        _triage = new TriageLedger(_connection, keys);
        _ledger = new MitigationLedger(_connection, keys);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static MitigationRecord Claim(string actor, DateTimeOffset at) => new()
    {
        State = MitigationState.Pending,
        AzureSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a001",
        AzurePlanSubscriptionId = "plan",
        CustomerTenantId = "customer",
        ActorName = actor,
        At = at,
    };

    /// <summary>A fraud verdict applied at version 2.</summary>
    private async Task FraudAsync(string alertId)
    {
        await _triage.TryClaimAsync(alertId, 1, TriageVerdict.Fraud, "Aiko", "oid-1", null, T0);
        Assert.True(await _triage.CompleteAsync(alertId, 2, TriageState.Applied));
    }

    [Fact]
    public async Task TwentyConcurrentClaims_ExactlyOneWins()
    {
        await FraudAsync("a");

        (bool Won, MitigationRecord? Record)[] claims = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => _ledger.TryClaimAsync("a", Claim("admin-" + i, T0), 2)));

        Assert.Single(claims, c => c.Won);
        Assert.All(claims, c => Assert.Equal(MitigationState.Pending, c.Record!.State));
    }

    [Fact]
    public async Task Claim_AfterAReopenOrWithoutAFraudVerdict_IsRefused()
    {
        (bool noVerdict, MitigationRecord? none) = await _ledger.TryClaimAsync("b", Claim("Ken", T0), 2);
        await FraudAsync("b");
        (bool staleVersion, _) = await _ledger.TryClaimAsync("b", Claim("Ken", T0), 1);
        await _triage.TryClaimAsync("b", 2, TriageVerdict.Reopen, "Aiko", "oid-1", null, T0);
        (bool afterReopen, _) = await _ledger.TryClaimAsync("b", Claim("Ken", T0), 2);

        Assert.Equal((false, false, false), (noVerdict, staleVersion, afterReopen));
        Assert.Null(none);
        Assert.Null(await _ledger.GetAsync("b"));
    }

    [Fact]
    public async Task PendingFromADeadInstance_Lapses_TheOldOwnersLateOutcomeIsNotRecorded()
    {
        await FraudAsync("c");
        (bool first, MitigationRecord? dead) = await _ledger.TryClaimAsync("c", Claim("Ken", T0), 2);
        (bool whilePending, _) = await _ledger.TryClaimAsync("c", Claim("Mika", T0.AddMinutes(1)), 2);
        (bool afterLapse, MitigationRecord? taken) = await _ledger.TryClaimAsync("c", Claim("Mika", T0 + MitigationLedger.PendingLapse + TimeSpan.FromSeconds(1)), 2);

        Assert.Equal((true, false, true), (first, whilePending, afterLapse));
        Assert.False(await _ledger.CompleteAsync("c", dead!, MitigationState.Accepted, null));
        Assert.True(await _ledger.CompleteAsync("c", taken!, MitigationState.Failed, "HTTP 403"));
        MitigationRecord stored = (await _ledger.GetAsync("c"))!;
        Assert.Equal((MitigationState.Failed, "Mika", "HTTP 403"), (stored.State, stored.ActorName, stored.Error));
    }

    [Fact]
    public async Task Accepted_IsNeverClaimedAgain_Failed_IsRetried()
    {
        await FraudAsync("d");
        (_, MitigationRecord? first) = await _ledger.TryClaimAsync("d", Claim("Ken", T0), 2);
        await _ledger.CompleteAsync("d", first!, MitigationState.Failed, "HTTP 500");
        (bool retry, MitigationRecord? second) = await _ledger.TryClaimAsync("d", Claim("Ken", T0.AddMinutes(1)), 2);
        await _ledger.CompleteAsync("d", second!, MitigationState.Accepted, null);
        (bool again, MitigationRecord? standing) = await _ledger.TryClaimAsync("d", Claim("Mika", T0.AddHours(1)), 2);

        Assert.True(retry);
        Assert.False(again);
        Assert.Equal(MitigationState.Accepted, standing!.State);
    }
}
