using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>
/// Which storm cards need a re-render (debounced marks, one renderer per storm, leases, urgent marks,
/// forgetting): the contract, against Redis (each topology the run uses) and against the in-memory twin.
/// </summary>
public abstract class StormOverviewLedgerContractTests : LedgerContract
{
    private const string Channel = "19:storm@thread.tacv2";
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset LongAgo = T0.AddDays(-30);
    private IStormOverviewLedger _ledger = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _ledger = Stores.StormOverviews;
    }

    private static StormRoot Root(string customer, string activity = "root-1", string conversation = Channel, DateTimeOffset? started = null) =>
        new(customer, "Contoso Ltd", conversation, $"{conversation};messageid={activity}", activity, "https://connector.example/", "en", started ?? T0);

    private Task<IReadOnlyList<StormRenderClaim>> ClaimAsync(DateTimeOffset now) => _ledger.ClaimAsync(now, Lease, 8, LongAgo);

    private static StormOverview Overview(int total) => StormOverview.Of([], T0, T0) with { Total = total };

    [Fact]
    public async Task Register_ClaimedOnlyWhenDueAndOnlyOnce()
    {
        await _ledger.RegisterAsync(Root("c1"), T0.AddSeconds(5));

        IReadOnlyList<StormRenderClaim> early = await ClaimAsync(T0.AddSeconds(4));
        StormRenderClaim claim = Assert.Single(await ClaimAsync(T0.AddSeconds(5)));
        IReadOnlyList<StormRenderClaim> again = await ClaimAsync(T0.AddSeconds(6));

        Assert.Empty(early);
        Assert.Equal(Root("c1"), claim.Root);
        Assert.Empty(again);
        Assert.True(await _ledger.IsPendingAsync("c1", Channel));
    }

    [Fact]
    public async Task Mark_WhileDue_KeepsTheEarlierDueTime()
    {
        await _ledger.RegisterAsync(Root("c2"), T0.AddSeconds(5));
        for (int i = 1; i <= 10; i++)
        {
            await _ledger.MarkAsync("c2", T0.AddSeconds(5 + i));
        }

        Assert.Single(await ClaimAsync(T0.AddSeconds(5)));
    }

    [Fact]
    public async Task Mark_WhileRendering_DueAgainOneIntervalAfterTheRender()
    {
        await _ledger.RegisterAsync(Root("c3"), T0);
        StormRenderClaim claim = Assert.Single(await ClaimAsync(T0));
        await _ledger.MarkAsync("c3", T0.AddSeconds(5));

        bool settled = await _ledger.CompleteAsync(claim, Overview(7), T0.AddSeconds(1), T0.AddSeconds(6));

        Assert.False(settled);
        Assert.Empty(await ClaimAsync(T0.AddSeconds(5)));
        StormRenderClaim next = Assert.Single(await ClaimAsync(T0.AddSeconds(6)));
        Assert.True(await _ledger.CompleteAsync(next, Overview(8), T0.AddSeconds(7), T0.AddSeconds(12)));
        Assert.Empty(await ClaimAsync(T0.AddHours(1)));
        Assert.False(await _ledger.IsPendingAsync("c3", Channel));
        Assert.Equal(8, (await _ledger.GetOverviewAsync("c3", Channel))!.Total);
    }

    [Fact]
    public async Task TwentyInstancesClaimAtOnce_ExactlyOneRendersEachStorm()
    {
        await _ledger.RegisterAsync(Root("c4"), T0);
        await _ledger.RegisterAsync(Root("c4", conversation: "19:other@thread.tacv2"), T0);

        IReadOnlyList<StormRenderClaim>[] claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ClaimAsync(T0)));

        Assert.Equal(2, claims.Sum(c => c.Count));
        Assert.Equal(2, claims.SelectMany(c => c).Select(c => c.Member).Distinct().Count());
    }

    [Fact]
    public async Task Claim_InstanceDiesMidRender_ClaimedAgainWhenItsLeaseEnds()
    {
        await _ledger.RegisterAsync(Root("c5"), T0);
        Assert.Single(await ClaimAsync(T0));

        IReadOnlyList<StormRenderClaim> during = await ClaimAsync(T0 + Lease - TimeSpan.FromSeconds(1));
        IReadOnlyList<StormRenderClaim> after = await ClaimAsync(T0 + Lease);

        Assert.Empty(during);
        Assert.Single(after);
    }

    [Fact]
    public async Task Mark_OnlyTheCustomersStorms()
    {
        await _ledger.RegisterAsync(Root("c6a"), T0);
        await _ledger.RegisterAsync(Root("c6b"), T0);
        foreach (StormRenderClaim claim in await ClaimAsync(T0))
        {
            await _ledger.CompleteAsync(claim, Overview(1), T0, T0.AddSeconds(5));
        }

        await _ledger.MarkAsync("c6a", T0.AddSeconds(10));

        StormRenderClaim marked = Assert.Single(await ClaimAsync(T0.AddSeconds(10)));
        Assert.Equal("c6a", marked.Root!.CustomerTenantId);
    }

    [Fact]
    public async Task Drop_StormIsNeverDueAgainAndMarksDoNotBringItBack()
    {
        await _ledger.RegisterAsync(Root("c7"), T0);
        StormRenderClaim claim = Assert.Single(await ClaimAsync(T0));

        await _ledger.DropAsync(claim.Member);
        await _ledger.MarkAsync("c7", T0.AddSeconds(1));
        await _ledger.RetryAsync(claim, T0.AddSeconds(1), failed: true);

        Assert.Empty(await ClaimAsync(T0.AddHours(1)));
        Assert.Null(await _ledger.GetRootAsync("c7", Channel));
        Assert.False(await _ledger.ShowRunAsync("c7", Channel, "root-1", "run-1", T0, urgent: true));
    }

    [Fact]
    public async Task Drop_SameRootRegisteredAgainByALaterAlert_StaysDroppedANewRootIsKept()
    {
        await _ledger.RegisterAsync(Root("c9"), T0);
        await _ledger.DropAsync(Assert.Single(await ClaimAsync(T0)).Member);

        // The storm's next alert registers the same root card again: it stays dropped.
        await _ledger.RegisterAsync(Root("c9"), T0.AddSeconds(1));
        Assert.Empty(await ClaimAsync(T0.AddSeconds(2)));
        Assert.Null(await _ledger.GetRootAsync("c9", Channel));

        // A new storm (another root card) in the conversation is kept current again.
        await _ledger.RegisterAsync(Root("c9", activity: "root-2"), T0.AddSeconds(3));
        Assert.Single(await ClaimAsync(T0.AddSeconds(4)));
    }

    [Fact]
    public async Task Claim_StormOlderThanItsLife_ForgottenNotClaimed()
    {
        await _ledger.RegisterAsync(Root("c8", started: T0.AddDays(-8)), T0);

        IReadOnlyList<StormRenderClaim> claims = await _ledger.ClaimAsync(T0, Lease, 8, T0.AddDays(-7));

        Assert.Empty(claims);
        Assert.Null(await _ledger.GetRootAsync("c8", Channel));
    }

    [Fact]
    public async Task ShowRun_OnlyOnThatCard_UrgentWhileRendering_DueAtOnceWithTheRun()
    {
        await _ledger.RegisterAsync(Root("c9"), T0);
        StormRenderClaim first = Assert.Single(await ClaimAsync(T0));

        bool otherCard = await _ledger.ShowRunAsync("c9", Channel, "some-other-card", "run-1", T0.AddSeconds(5), urgent: true);
        bool thisCard = await _ledger.ShowRunAsync("c9", Channel, "root-1", "run-1", T0.AddSeconds(5), urgent: true);
        bool settled = await _ledger.CompleteAsync(first, Overview(3), T0.AddSeconds(1), T0.AddSeconds(6));

        Assert.Equal((false, true, false), (otherCard, thisCard, settled));
        StormRenderClaim next = Assert.Single(await ClaimAsync(T0.AddSeconds(1)));
        Assert.Equal("run-1", next.RunId);
    }

    [Fact]
    public async Task ShowRun_Urgent_BringsAPendingRenderForward()
    {
        await _ledger.RegisterAsync(Root("c10"), T0.AddSeconds(5));

        await _ledger.ShowRunAsync("c10", Channel, "root-1", "run-2", T0, urgent: true);

        Assert.Single(await ClaimAsync(T0));
    }

    [Fact]
    public async Task Retry_CountsOnlyFailedAttempts_RenderResetsThem()
    {
        await _ledger.RegisterAsync(Root("c11"), T0);
        StormRenderClaim claim = Assert.Single(await ClaimAsync(T0));
        await _ledger.RetryAsync(claim, T0.AddSeconds(1), failed: true);
        claim = Assert.Single(await ClaimAsync(T0.AddSeconds(1)));
        await _ledger.RetryAsync(claim, T0.AddSeconds(2), failed: false);
        claim = Assert.Single(await ClaimAsync(T0.AddSeconds(2)));
        Assert.Equal(1, claim.Attempts);
        await _ledger.RetryAsync(claim, T0.AddSeconds(3), failed: true);
        claim = Assert.Single(await ClaimAsync(T0.AddSeconds(3)));
        Assert.Equal(2, claim.Attempts);

        await _ledger.CompleteAsync(claim, Overview(1), T0.AddSeconds(3), T0.AddSeconds(8));
        await _ledger.MarkAsync("c11", T0.AddSeconds(4));

        Assert.Equal(0, Assert.Single(await ClaimAsync(T0.AddSeconds(4))).Attempts);
    }

    [Fact]
    public async Task Register_NewRootOfTheSameStorm_ReplacesTheOldOneAndItsRun()
    {
        await _ledger.RegisterAsync(Root("c12", activity: "old-root"), T0);
        await _ledger.ShowRunAsync("c12", Channel, "old-root", "run-3", T0, urgent: false);

        await _ledger.RegisterAsync(Root("c12", activity: "new-root"), T0);

        StormRenderClaim claim = Assert.Single(await ClaimAsync(T0));
        Assert.Equal(("new-root", null), (claim.Root!.RootActivityId, claim.RunId));
        Assert.Equal("new-root", (await _ledger.GetRootAsync("c12", Channel))!.RootActivityId);
    }
}

public sealed class RedisStormOverviewLedgerTests(RedisServer redis) : StormOverviewLedgerContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemoryStormOverviewLedgerTests : StormOverviewLedgerContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
