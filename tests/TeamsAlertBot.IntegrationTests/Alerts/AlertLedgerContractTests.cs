using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>
/// The alert ledger (poller lease, epoch, watched alerts, cards, storms): the contract, against Redis and
/// against the in-memory twin.
/// </summary>
public abstract class AlertLedgerContractTests : LedgerContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private IAlertLedger Ledger => Stores.Alerts;

    [Fact]
    public async Task Lease_HeldByOne_RenewedByItsHolder_FreeAfterRelease()
    {
        bool[] takes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Ledger.TryAcquireLeaseAsync($"instance-{i}", TimeSpan.FromMinutes(1))));
        string holder = $"instance-{Array.IndexOf(takes, true)}";

        Assert.Single(takes, t => t);
        Assert.Equal(holder, await Ledger.LeaseHolderAsync());
        Assert.True(await Ledger.TryAcquireLeaseAsync(holder, TimeSpan.FromMinutes(1)));
        await Ledger.ReleaseLeaseAsync("someone-else");
        Assert.False(await Ledger.TryAcquireLeaseAsync("late", TimeSpan.FromMinutes(1)));
        await Ledger.ReleaseLeaseAsync(holder);
        Assert.True(await Ledger.TryAcquireLeaseAsync("late", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Lease_OfAHolderThatStopped_LapsesAfterItsDuration()
    {
        Assert.True(await Ledger.TryAcquireLeaseAsync("died", TimeSpan.FromMilliseconds(300)));

        DateTimeOffset deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        bool taken = false;
        while (!taken && DateTimeOffset.UtcNow < deadline)
        {
            taken = await Ledger.TryAcquireLeaseAsync("next", TimeSpan.FromMinutes(1));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(taken);
        Assert.Equal("next", await Ledger.LeaseHolderAsync());
    }

    [Fact]
    public async Task Epoch_CreatedOnce_UpdatedOnlyOverTheSameEpoch()
    {
        var first = new PipelineEpoch("e1", T0, Initialized: false, Watermark: null, ResumeFrom: null);
        PipelineEpoch[] created = await Task.WhenAll(
            Ledger.CreateEpochAsync(first), Ledger.CreateEpochAsync(first with { Id = "e2" }), Ledger.CreateEpochAsync(first with { Id = "e3" }));

        string winner = Assert.Single(created.Select(e => e.Id).Distinct());
        Assert.True(await Ledger.UpdateEpochAsync(first with { Id = winner, Initialized = true, Watermark = T0 }));
        Assert.False(await Ledger.UpdateEpochAsync(first with { Id = "other", Initialized = true }));
        Assert.Equal((winner, true, (DateTimeOffset?)T0), (await Ledger.GetEpochAsync()) is { } e ? (e.Id, e.Initialized, e.Watermark) : default);
    }

    [Fact]
    public async Task Watch_KeepsTheFirstSnapshot_ResolvedAlertsAreNoLongerWatched()
    {
        var active = new AlertSnapshot(AlertStatus.Active, null, null);
        await Ledger.WatchAsync("a1", active, T0, Retention);
        await Ledger.WatchAsync("a1", active with { Status = AlertStatus.Investigating }, T0, Retention);
        await Ledger.WatchAsync("a2", active, T0.AddMinutes(1), Retention);

        Assert.Equal(active, await Ledger.TouchAsync("a1", T0.AddMinutes(2), Retention));
        await Ledger.SetSnapshotAsync("a2", active with { Status = AlertStatus.Resolved, ResolvedReason = AlertResolvedReason.Fraud }, open: false, T0.AddMinutes(3), Retention);

        Assert.Equal(["a1"], await Ledger.ListWatchedAsync(T0.AddMinutes(3), Retention));
        Assert.Equal(AlertStatus.Resolved, (await Ledger.GetSnapshotAsync("a2"))!.Status);
        Assert.Empty(await Ledger.ListWatchedAsync(T0 + Retention + TimeSpan.FromHours(1), Retention));
    }

    [Fact]
    public async Task Cards_SetListAndGet_ByConversation()
    {
        AlertCardPost card = new() { AlertId = "a3", ConversationId = "conv-b", CardConversationId = "conv-b;messageid=1", ActivityId = "1", ServiceUrl = "https://smba.trafficmanager.net/amer/", PostedAt = T0 };
        await Ledger.SetCardAsync(card, Retention);
        await Ledger.SetCardAsync(card with { ConversationId = "conv-a", Version = 3 }, Retention);

        IReadOnlyList<AlertCardPost> cards = await Ledger.ListCardsAsync("a3");

        Assert.Equal([("conv-a", 3), ("conv-b", 1)], cards.Select(c => (c.ConversationId, c.Version)));
        Assert.Equal(card, await Ledger.GetCardAsync("a3", "conv-b"));
        Assert.Null(await Ledger.GetCardAsync("a3", "conv-c"));
        Assert.True(await Stores.TimeToLiveAsync(Stores.Keys.AlertCards("a3")) is { } ttl && ttl > TimeSpan.FromHours(23));
    }

    [Fact]
    public async Task CountRecent_CountsFirstSightsWithinTheWindow_OnceEach()
    {
        TimeSpan window = TimeSpan.FromMinutes(15);
        await Ledger.CountRecentAsync("customer", "old", T0 - TimeSpan.FromMinutes(20), window);
        await Ledger.CountRecentAsync("customer", "x", T0.AddMinutes(-5), window);
        await Ledger.CountRecentAsync("customer", "x", T0, window);

        // x counts once, at its first sight; "old" is outside the window.
        Assert.Equal(2, await Ledger.CountRecentAsync("customer", "y", T0, window));
        Assert.Equal(2, await Ledger.CountRecentAsync("customer", "z", T0.AddMinutes(14), window));
    }

    [Fact]
    public async Task Storm_IsForgottenTwoWindowsAfterItStarted()
    {
        TimeSpan window = TimeSpan.FromMinutes(15);
        DeliverySlot slot = Ledger.StormSlot("customer", "conv-a");
        IDeliveryLedger deliveries = Stores.Deliveries;
        await deliveries.BeginAsync(slot, "a", T0, TimeSpan.FromMinutes(1), window + window, "conv-a");
        await deliveries.DeliveredAsync(slot, "a", AlertStateJson.Serialize(new StormThread("conv-a", "conv-a;messageid=5", "5", T0)), window + window);

        Assert.Equal("5", (await Ledger.GetStormAsync("customer", "conv-a", T0.AddMinutes(29), window))?.RootActivityId);
        Assert.Null(await Ledger.GetStormAsync("customer", "conv-a", T0.AddMinutes(30), window));
        Assert.Null(await Ledger.GetStormAsync("customer", "conv-a", T0.AddMinutes(1), window));
    }
}

public sealed class RedisAlertLedgerTests(RedisServer redis) : AlertLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryAlertLedgerTests : AlertLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
