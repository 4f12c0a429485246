using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>At most one delivery per (alert, conversation): the contract, against Redis and against the in-memory twin.</summary>
public abstract class DeliveryLedgerContractTests : LedgerContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private IDeliveryLedger _ledger = null!;
    private DeliverySlot _slot = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _ledger = Stores.Deliveries;
        _slot = Stores.Alerts.CardSlot("alert-1", "conv-a");
    }

    [Fact]
    public async Task Begin_ManyAtOnce_ExactlyOneStartsASend_AndADeliveryIsNeverStartedAgain()
    {
        DeliveryBegin[] begins = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _ledger.BeginAsync(_slot, $"instance-{i}", T0, Lease, Retention, "conv-a")));

        DeliveryBegin winner = Assert.Single(begins, b => b.Start == DeliveryStart.Send);
        Assert.All(begins.Where(b => b != winner), b => Assert.Equal(DeliveryStart.Busy, b.Start));
        await _ledger.DeliveredAsync(_slot, winner.Send!.Owner!, "{\"activityId\":\"9\"}", Retention);

        DeliveryBegin after = await _ledger.BeginAsync(_slot, "instance-x", T0.AddHours(1), Lease, Retention, "conv-a");
        Assert.Equal((DeliveryStart.Delivered, "{\"activityId\":\"9\"}"), (after.Start, after.Delivered));
    }

    [Fact]
    public async Task Failed_NotDelivered_TakesTheCopyBack_SoTheRetryNeedsNoCheck()
    {
        DeliveryBegin first = await _ledger.BeginAsync(_slot, "a", T0, Lease, Retention, "conv-a");
        await _ledger.FailedAsync(_slot, "a", DeliveryOutcome.NotDelivered);

        DeliveryBegin retry = await _ledger.BeginAsync(_slot, "b", T0.AddSeconds(1), Lease, Retention, "conv-a");

        Assert.Equal((DeliveryStart.Send, DeliveryStart.Send, 1), (first.Start, retry.Start, retry.Send!.Copies));
    }

    [Fact]
    public async Task Failed_Ambiguous_KeepsTheCopy_SoTheRetryMustCheckFirst()
    {
        await _ledger.BeginAsync(_slot, "a", T0, Lease, Retention, "conv-a;messageid=5");
        await _ledger.FailedAsync(_slot, "a", DeliveryOutcome.Ambiguous);

        DeliveryBegin retry = await _ledger.BeginAsync(_slot, "b", T0.AddSeconds(1), Lease, Retention, "conv-a");

        Assert.Equal(DeliveryStart.Unsettled, retry.Start);
        Assert.Equal((1, "conv-a;messageid=5", T0.ToUnixTimeMilliseconds()), (retry.Send!.Copies, retry.Send.Target, retry.Send.StartedAt));
    }

    [Fact]
    public async Task Begin_AfterTheHolderDiedMidSend_IsUnsettledOnceItsLeaseRunsOut()
    {
        await _ledger.BeginAsync(_slot, "died", T0, Lease, Retention, "conv-a");

        DeliveryBegin during = await _ledger.BeginAsync(_slot, "other", T0 + Lease - TimeSpan.FromSeconds(1), Lease, Retention, "conv-a");
        Assert.True(await _ledger.RenewAsync(_slot, "died", T0 + TimeSpan.FromSeconds(30), Lease));
        DeliveryBegin renewed = await _ledger.BeginAsync(_slot, "other", T0 + Lease + TimeSpan.FromSeconds(1), Lease, Retention, "conv-a");
        DeliveryBegin after = await _ledger.BeginAsync(_slot, "other", T0 + TimeSpan.FromSeconds(30) + Lease + TimeSpan.FromSeconds(1), Lease, Retention, "conv-a");

        Assert.Equal((DeliveryStart.Busy, DeliveryStart.Busy, DeliveryStart.Unsettled), (during.Start, renewed.Start, after.Start));
        Assert.False(await _ledger.RenewAsync(_slot, "died", T0.AddMinutes(5), Lease));
    }

    [Fact]
    public async Task Absent_ThenSendAgain_CountsOnlyTheNewCopy_AndTwoUnknownSendsCountTwo()
    {
        await _ledger.BeginAsync(_slot, "a", T0, Lease, Retention, "conv-a");
        await _ledger.FailedAsync(_slot, "a", DeliveryOutcome.Ambiguous);
        DeliveryBegin unsettled = await _ledger.BeginAsync(_slot, "b", T0.AddSeconds(1), Lease, Retention, "conv-a");

        // A check found nothing: the copy is taken back, the holder keeps the slot and sends (one copy again).
        await _ledger.AbsentAsync(_slot, "b", unsettled.Send!.Copies);
        Assert.True(await _ledger.SendAgainAsync(_slot, "b", T0.AddSeconds(2), "conv-a"));
        await _ledger.FailedAsync(_slot, "b", DeliveryOutcome.Ambiguous);
        DeliveryBegin once = await _ledger.BeginAsync(_slot, "b", T0.AddSeconds(2), Lease, Retention, "conv-a");
        Assert.Equal((DeliveryStart.Unsettled, 1), (once.Start, once.Send!.Copies));

        // The conversation cannot be read: one more copy is sent; two unknown sends are counted.
        Assert.True(await _ledger.SendAgainAsync(_slot, "b", T0.AddSeconds(3), "conv-a"));
        await _ledger.FailedAsync(_slot, "b", DeliveryOutcome.Ambiguous);
        DeliveryBegin twice = await _ledger.BeginAsync(_slot, "c", T0.AddSeconds(4), Lease, Retention, "conv-a");
        Assert.Equal((DeliveryStart.Unsettled, 2), (twice.Start, twice.Send!.Copies));
        Assert.False(await _ledger.SendAgainAsync(_slot, "b", T0.AddSeconds(5), "conv-a"));
    }

    [Fact]
    public async Task Begin_ReadsTheAlertsTriageAndMitigationRecordsAlong_AndTheSendExpires()
    {
        await Stores.Triage.TryClaimAsync("alert-1", 1, TriageVerdict.Investigating, "Aiko", "oid-1", null, T0);

        DeliveryBegin begin = await _ledger.BeginAsync(_slot, "a", T0, Lease, Retention, "conv-a");

        Assert.Equal(2, TeamsAlertBot.Triage.ITriageLedger.Parse(begin.Extra[0]!).Version);
        Assert.Null(begin.Extra[1]);
        Assert.True(await Stores.TimeToLiveAsync(Stores.Keys.AlertSends("alert-1")) is { } ttl && ttl > TimeSpan.FromHours(23));
    }

    [Fact]
    public async Task Delivered_ReadsTheAlertsSnapshotBack()
    {
        await Stores.Alerts.WatchAsync("alert-1", new AlertSnapshot(Core.Alerts.AlertStatus.Active, null, null), T0, Retention);
        DeliveryBegin begin = await _ledger.BeginAsync(_slot, "a", T0, Lease, Retention, "conv-a");

        string? shows = await _ledger.DeliveredAsync(_slot, "a", "{\"activityId\":\"9\"}", Retention);

        Assert.Equal(DeliveryStart.Send, begin.Start);
        Assert.Equal(new AlertSnapshot(Core.Alerts.AlertStatus.Active, null, null), AlertStateJson.ParseSnapshot(shows));
    }
}

public sealed class RedisDeliveryLedgerTests(RedisServer redis) : DeliveryLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryDeliveryLedgerTests : DeliveryLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
