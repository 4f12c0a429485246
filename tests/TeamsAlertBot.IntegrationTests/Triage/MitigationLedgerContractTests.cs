using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>The mitigation ledger's claim (once, lapsing, bound to the fraud verdict): the contract, against Redis and against the in-memory twin.</summary>
public abstract class MitigationLedgerContractTests : LedgerContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private ITriageLedger _triage = null!;
    private IMitigationLedger _ledger = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _triage = Stores.Triage;
        _ledger = Stores.Mitigations;
    }

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
        (bool afterLapse, MitigationRecord? taken) = await _ledger.TryClaimAsync("c", Claim("Mika", T0 + IMitigationLedger.PendingLapse + TimeSpan.FromSeconds(1)), 2);

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

public sealed class RedisMitigationLedgerTests(RedisServer redis) : MitigationLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryMitigationLedgerTests : MitigationLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
