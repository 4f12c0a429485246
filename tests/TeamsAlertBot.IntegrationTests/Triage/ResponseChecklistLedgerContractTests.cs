using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.IntegrationTests.Triage;

/// <summary>
/// The checklist ledger (a tick once, with its audit entry, bound to the verdict's version, expiring with
/// the alert's state): the contract, against Redis (every topology) and against the in-memory twin.
/// </summary>
public abstract class ResponseChecklistLedgerContractTests : LedgerContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private ITriageLedger _triage = null!;
    private IResponseChecklistLedger _ledger = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _triage = Stores.Triage;
        _ledger = Stores.Checklists;
    }

    /// <summary>A verdict applied at version 2.</summary>
    private async Task DecideAsync(string alertId, TriageVerdict verdict = TriageVerdict.Fraud)
    {
        await _triage.TryClaimAsync(alertId, 1, verdict, "Aiko", "oid-1", null, T0);
        Assert.True(await _triage.CompleteAsync(alertId, 2, TriageState.Applied));
    }

    private Task<ResponseTickOutcome> TickAsync(string alertId, ResponseItem item, string who, bool done = true, int version = 2, TriageVerdict verdict = TriageVerdict.Fraud) =>
        _ledger.SetAsync(alertId, version, verdict, item, done, new ResponseTick(who, "oid-" + who, T0), new AuditEntry(
            T0, (done ? AuditVocabulary.ResponseStepDonePrefix : AuditVocabulary.ResponseStepUndonePrefix) + item, who, "oid-" + who, null, AuditVocabulary.Recorded));

    [Fact]
    public async Task Tick_RecordsWhoAndWhen_AndOneAuditEntry_TwiceRecordsOnce()
    {
        await DecideAsync("a");

        ResponseTickOutcome first = await TickAsync("a", ResponseItem.SignInLogs, "Kenji");
        ResponseTickOutcome again = await TickAsync("a", ResponseItem.SignInLogs, "Aiko");

        Assert.Equal((ResponseTickOutcome.Recorded, ResponseTickOutcome.Unchanged), (first, again));
        ResponseChecklistState state = await _ledger.GetAsync("a");
        Assert.Equal(2, state.Ticks.TriageVersion);
        ResponseTick tick = Assert.Single(state.Ticks.Ticks, t => t.Key == ResponseItem.SignInLogs).Value;
        Assert.Equal(("Kenji", "oid-Kenji", T0), (tick.ActorName, tick.ActorObjectId, tick.At));
        AuditEntry audit = Assert.Single(await _triage.ReadAuditAsync("a"));
        Assert.Equal(("ResponseStepDone:SignInLogs", "Kenji", "recorded"), (audit.Action, audit.ActorName, audit.Outcome));
        Assert.Equal(new ResponseProgress(TriageVerdict.Fraud, 1, 12), state.Progress("VM_AnomalousDeployment"));
    }

    [Fact]
    public async Task TwentyConcurrentTicksOfOneStep_OneRecordedOneAuditEntry()
    {
        await DecideAsync("b");

        ResponseTickOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => TickAsync("b", ResponseItem.ActivityLog, "user-" + i)));

        Assert.Single(outcomes, o => o == ResponseTickOutcome.Recorded);
        Assert.Single(await _triage.ReadAuditAsync("b"));
        Assert.Single((await _ledger.GetAsync("b")).Ticks.Ticks);
    }

    [Fact]
    public async Task Untick_RemovesTheTickOnceWithItsAuditEntry()
    {
        await DecideAsync("c");
        await TickAsync("c", ResponseItem.SetBudgets, "Kenji");

        ResponseTickOutcome undone = await TickAsync("c", ResponseItem.SetBudgets, "Aiko", done: false);
        ResponseTickOutcome twice = await TickAsync("c", ResponseItem.SetBudgets, "Aiko", done: false);

        Assert.Equal((ResponseTickOutcome.Recorded, ResponseTickOutcome.Unchanged), (undone, twice));
        Assert.Empty((await _ledger.GetAsync("c")).Ticks.Ticks);
        Assert.Equal(["ResponseStepDone:SetBudgets", "ResponseStepUndone:SetBudgets"], (await _triage.ReadAuditAsync("c")).Select(e => e.Action));
    }

    [Fact]
    public async Task Tick_WithoutAnAppliedVerdictOrAfterAReopen_IsStaleAndWritesNothing()
    {
        ResponseTickOutcome noVerdict = await TickAsync("d", ResponseItem.SignInLogs, "Kenji");
        await DecideAsync("d");
        ResponseTickOutcome wrongVerdict = await TickAsync("d", ResponseItem.SignInLogs, "Kenji", verdict: TriageVerdict.Legitimate);
        await TickAsync("d", ResponseItem.SignInLogs, "Kenji");
        await _triage.TryClaimAsync("d", 2, TriageVerdict.Reopen, "Aiko", "oid-1", null, T0);
        ResponseTickOutcome afterReopen = await TickAsync("d", ResponseItem.RiskyUsers, "Kenji");

        Assert.Equal((ResponseTickOutcome.Stale, ResponseTickOutcome.Stale, ResponseTickOutcome.Stale), (noVerdict, wrongVerdict, afterReopen));
        // The reopened alert's checklist starts again: the tick of the old verdict no longer counts.
        ResponseChecklistState state = await _ledger.GetAsync("d");
        Assert.Equal(3, state.Ticks.TriageVersion);
        Assert.Empty(state.Ticks.Ticks);
        Assert.Null(state.Progress("x"));
        Assert.Single(await _triage.ReadAuditAsync("d"));
    }

    [Fact]
    public async Task Checklist_ExpiresWithTheAlertsState()
    {
        await DecideAsync("e");
        await TickAsync("e", ResponseItem.SignInLogs, "Kenji");

        TimeSpan? ttl = await Stores.TimeToLiveAsync(Stores.Keys.ResponseChecklist("e"));

        TimeSpan retention = new AlertPipelineOptions().StateRetention;
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, retention - TimeSpan.FromMinutes(1), retention);
        Assert.Contains(Stores.Keys.ResponseChecklist("e"), Stores.Keys.AlertState("e"));
    }
}

public sealed class RedisResponseChecklistLedgerTests(RedisServer redis) : ResponseChecklistLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryResponseChecklistLedgerTests : ResponseChecklistLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
