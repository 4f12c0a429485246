using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>The triage ledger's compare-and-set: the contract, against Redis and against the in-memory twin.</summary>
public abstract class TriageLedgerContractTests : LedgerContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private ITriageLedger _ledger = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _ledger = Stores.Triage;
    }

    [Fact]
    public async Task Claim_PendingFromADeadInstance_LapsesAndCanBeTakenOver()
    {
        (ClaimOutcome first, _) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Fraud, "Aiko", "oid-1", null, T0);
        (ClaimOutcome whilePending, _) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Ignore, "Ken", "oid-2", null, T0.AddMinutes(1));
        (ClaimOutcome afterLapse, TriageRecord record) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Ignore, "Ken", "oid-2", null, T0 + ITriageLedger.PendingLapse + TimeSpan.FromSeconds(1));

        Assert.Equal((ClaimOutcome.Won, ClaimOutcome.Stale, ClaimOutcome.Won), (first, whilePending, afterLapse));
        Assert.Equal((TriageVerdict.Ignore, "Ken", 3), (record.Verdict, record.ActorName, record.Version));
    }

    [Fact]
    public async Task Claim_SameVerdictAfterALapse_IsARetryNotANoOp()
    {
        (_, TriageRecord pending) = await _ledger.TryClaimAsync("r", 1, TriageVerdict.Ignore, "Aiko", "oid-1", null, T0);
        (ClaimOutcome whilePending, _) = await _ledger.TryClaimAsync("r", pending.Version, TriageVerdict.Ignore, "Aiko", "oid-1", null, T0.AddMinutes(1));
        // The card shows the lapsed claim as failed and its Retry button carries the claim's version.
        (ClaimOutcome retry, TriageRecord record) = await _ledger.TryClaimAsync(
            "r", pending.Version, TriageVerdict.Ignore, "Aiko", "oid-1", null, T0 + ITriageLedger.PendingLapse + TimeSpan.FromSeconds(1));

        Assert.Equal((ClaimOutcome.SameVerdict, ClaimOutcome.Won), (whilePending, retry));
        Assert.Equal((TriageState.Pending, 3), (record.State, record.Version));
    }

    [Fact]
    public async Task Complete_ClearsThePendingState_AndOnlyForItsVersion()
    {
        await _ledger.TryClaimAsync("b", 1, TriageVerdict.Legitimate, "Aiko", "oid-1", null, T0);

        Assert.False(await _ledger.CompleteAsync("b", 7, TriageState.Applied));
        Assert.True(await _ledger.CompleteAsync("b", 2, TriageState.Applied));

        TriageRecord record = await _ledger.GetAsync("b");
        Assert.Equal((TriageState.Applied, (long?)null), (record.State, record.PendingUntil));
        (ClaimOutcome same, _) = await _ledger.TryClaimAsync("b", 2, TriageVerdict.Legitimate, "Ken", "oid-2", null, T0.AddMinutes(1));
        Assert.Equal(ClaimOutcome.SameVerdict, same);
    }

    [Fact]
    public async Task Claim_TwentyConcurrentClicks_ExactlyOneWins_TheOthersSeeItsRecord()
    {
        (ClaimOutcome Outcome, TriageRecord Record)[] claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _ledger.TryClaimAsync("c", 1, i % 2 == 0 ? TriageVerdict.Fraud : TriageVerdict.Legitimate, $"user-{i}", $"oid-{i}", null, T0)));

        (ClaimOutcome _, TriageRecord won) = Assert.Single(claims, c => c.Outcome == ClaimOutcome.Won);
        Assert.All(claims.Where(c => c.Outcome != ClaimOutcome.Won), c => Assert.Equal(won.ActorName, c.Record.ActorName));
        Assert.Equal(2, (await _ledger.GetAsync("c")).Version);
    }

    [Fact]
    public async Task AppendAudit_KeepsTheNewestEntriesOnly_OldestFirst()
    {
        for (int i = 0; i < ITriageLedger.MaxAuditEntries + 5; i++)
        {
            await _ledger.AppendAuditAsync("d", new AuditEntry(T0.AddMinutes(i), "triage", "Aiko", "oid-1", null, $"entry-{i}"));
        }

        IReadOnlyList<AuditEntry> audit = await _ledger.ReadAuditAsync("d");

        Assert.Equal(ITriageLedger.MaxAuditEntries, audit.Count);
        Assert.Equal(("entry-5", $"entry-{ITriageLedger.MaxAuditEntries + 4}"), (audit[0].Outcome, audit[^1].Outcome));
    }
}

public sealed class RedisTriageLedgerTests(RedisServer redis) : TriageLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryTriageLedgerTests : TriageLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
