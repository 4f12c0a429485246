using StackExchange.Redis;
using TeamsAlertBot.Digest;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.IntegrationTests.State;

/// <summary>
/// The send-once ledger (summaries, reminders, notices) and the webhook de-duplication: the contract,
/// against Redis and against the in-memory twins.
/// </summary>
public abstract class SendOnceContractTests : LedgerContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisKey Key => Stores.Keys.DigestSent(new DateOnly(2026, 12, 5), "conv-a");

    [Fact]
    public async Task TryClaim_ManyAtOnce_OneClaims_ConfirmedItIsSentForEveryone()
    {
        ISendOnceLedger once = Stores.SendOnce;

        SendClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => once.TryClaimAsync(Key, $"instance-{i}", TimeSpan.FromMinutes(5))));
        Assert.Single(claims, c => c == SendClaim.Claimed);
        Assert.All(claims.Where(c => c != SendClaim.Claimed), c => Assert.Equal(SendClaim.Busy, c));
        Assert.False(await once.IsSentAsync(Key));

        await once.ConfirmAsync(Key, TimeSpan.FromDays(2));

        Assert.True(await once.IsSentAsync(Key));
        Assert.Equal(SendClaim.Sent, await once.TryClaimAsync(Key, "late", TimeSpan.FromMinutes(5)));
        Assert.True(await Stores.TimeToLiveAsync(Key) is { } ttl && ttl > TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Release_OnlyByItsOwner_ThenAnotherMayClaim()
    {
        ISendOnceLedger once = Stores.SendOnce;
        Assert.Equal(SendClaim.Claimed, await once.TryClaimAsync(Key, "a", TimeSpan.FromMinutes(5)));

        await once.ReleaseAsync(Key, "b");
        Assert.Equal(SendClaim.Busy, await once.TryClaimAsync(Key, "b", TimeSpan.FromMinutes(5)));
        await once.ReleaseAsync(Key, "a");

        Assert.Equal(SendClaim.Claimed, await once.TryClaimAsync(Key, "b", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task TryClaim_OfAnInstanceThatDied_LapsesAfterItsDuration()
    {
        ISendOnceLedger once = Stores.SendOnce;
        Assert.Equal(SendClaim.Claimed, await once.TryClaimAsync(Key, "died", TimeSpan.FromMilliseconds(300)));

        DateTimeOffset deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        SendClaim claim;
        do
        {
            await Task.Delay(50, Ct);
            claim = await once.TryClaimAsync(Key, "next", TimeSpan.FromMinutes(5));
        }
        while (claim != SendClaim.Claimed && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(SendClaim.Claimed, claim);
    }

    [Fact]
    public async Task Webhook_ADeliveryIsClaimedOnce_AReleasedOneAgain()
    {
        IWebhookDeduplicator webhooks = Stores.Webhooks;
        string delivery = Guid.NewGuid().ToString("N");

        bool[] claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => webhooks.TryClaimAsync(delivery, TimeSpan.FromMinutes(5), Ct)));
        Assert.Single(claims, c => c);
        await webhooks.ReleaseAsync(delivery, Ct);

        Assert.True(await webhooks.TryClaimAsync(delivery, TimeSpan.FromMinutes(5), Ct));
        Assert.False(await webhooks.TryClaimAsync(delivery, TimeSpan.FromMinutes(5), Ct));
    }
}

public sealed class RedisSendOnceTests(RedisServer redis) : SendOnceContractTests
{
    protected override async Task<LedgerStores> CreateStoresAsync() => await RedisLedgerStores.ConnectAsync(redis);
}

[Trait("Redis", "None")]
public sealed class InMemorySendOnceTests : SendOnceContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
