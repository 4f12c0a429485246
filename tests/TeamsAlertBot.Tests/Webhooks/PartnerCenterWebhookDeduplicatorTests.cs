using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks;

public sealed class PartnerCenterWebhookDeduplicatorTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryClaimAsync_FirstAndRepeat_TrueThenFalse()
    {
        var deduplicator = new InMemoryWebhookDeduplicator(new FakeTimeProvider());

        Assert.True(await deduplicator.TryClaimAsync("abc", Window, Ct));
        Assert.False(await deduplicator.TryClaimAsync("abc", Window, Ct));
        Assert.True(await deduplicator.TryClaimAsync("abd", Window, Ct));
    }

    [Fact]
    public async Task TryClaimAsync_AfterWindow_ClaimsAgain()
    {
        var time = new FakeTimeProvider();
        var deduplicator = new InMemoryWebhookDeduplicator(time);
        await deduplicator.TryClaimAsync("abc", Window, Ct);

        time.Advance(Window - TimeSpan.FromSeconds(1));
        bool withinWindow = await deduplicator.TryClaimAsync("abc", Window, Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        bool afterWindow = await deduplicator.TryClaimAsync("abc", Window, Ct);

        Assert.False(withinWindow);
        Assert.True(afterWindow);
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedKey_CanBeClaimedAgain()
    {
        var deduplicator = new InMemoryWebhookDeduplicator(new FakeTimeProvider());
        await deduplicator.TryClaimAsync("abc", Window, Ct);

        await deduplicator.ReleaseAsync("abc", Ct);

        Assert.True(await deduplicator.TryClaimAsync("abc", Window, Ct));
    }

    [Fact]
    public async Task TryClaimAsync_ConcurrentClaims_ExactlyOneWins()
    {
        var deduplicator = new InMemoryWebhookDeduplicator(new FakeTimeProvider());

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => deduplicator.TryClaimAsync("abc", Window, Ct), Ct)));

        Assert.Single(results, claimed => claimed);
    }
}
