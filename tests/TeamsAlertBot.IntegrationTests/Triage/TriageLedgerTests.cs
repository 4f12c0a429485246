using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>The triage ledger's compare-and-set against a real redis-server.</summary>
public sealed class TriageLedgerTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private ConnectionMultiplexer _connection = null!;
    private TriageLedger _ledger = null!;

    public async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _ledger = new TriageLedger(_connection, new RedisKeys(RedisServer.UniquePrefix()));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Claim_PendingFromADeadInstance_LapsesAndCanBeTakenOver()
    {
        (ClaimOutcome first, _) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Fraud, "Aiko", "oid-1", null, T0);
        (ClaimOutcome whilePending, _) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Ignore, "Ken", "oid-2", null, T0.AddMinutes(1));
        (ClaimOutcome afterLapse, TriageRecord record) = await _ledger.TryClaimAsync("a", 1, TriageVerdict.Ignore, "Ken", "oid-2", null, T0 + TriageLedger.PendingLapse + TimeSpan.FromSeconds(1));

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
            "r", pending.Version, TriageVerdict.Ignore, "Aiko", "oid-1", null, T0 + TriageLedger.PendingLapse + TimeSpan.FromSeconds(1));

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
}
