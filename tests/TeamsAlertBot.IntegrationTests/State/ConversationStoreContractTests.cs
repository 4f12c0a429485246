using StackExchange.Redis;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.State;

/// <summary>One contract, run against every <see cref="IConversationStore"/>.</summary>
public abstract class ConversationStoreContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    protected abstract IConversationStore Store { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConversationReference Reference(string id, string? team = "team-1") => new()
    {
        ConversationId = id,
        ServiceUrl = "https://smba.trafficmanager.net/amer/",
        TeamId = team,
        TenantId = "tenant-1",
        UpdatedAt = Now,
    };

    [Fact]
    public async Task UpsertReference_ThenGet_ReturnsLatest()
    {
        await Store.UpsertReferenceAsync(Reference("19:a@thread.tacv2"), Ct);
        await Store.UpsertReferenceAsync(Reference("19:a@thread.tacv2") with { ServiceUrl = "https://smba.trafficmanager.net/emea/" }, Ct);

        ConversationReference? stored = await Store.GetReferenceAsync("19:a@thread.tacv2", Ct);

        Assert.Equal("https://smba.trafficmanager.net/emea/", stored?.ServiceUrl);
        Assert.Equal(Now, stored?.UpdatedAt);
    }

    [Fact]
    public async Task GetReference_Unknown_ReturnsNull() =>
        Assert.Null(await Store.GetReferenceAsync("19:none@thread.tacv2", Ct));

    [Fact]
    public async Task Subscribe_ConcurrentCalls_ExactlyOneCreates()
    {
        var subscription = new ChannelSubscription { ConversationId = "19:b@thread.tacv2", SubscribedBy = "A", SubscribedAt = Now };

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Store.SubscribeAsync(subscription with { SubscribedBy = $"user {i}" }, Ct)));

        Assert.Single(results, r => r);
        Assert.Single(await Store.ListSubscriptionsAsync(Ct));
    }

    [Fact]
    public async Task Unsubscribe_OnlyFirstCallRemoves()
    {
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:c@thread.tacv2", SubscribedAt = Now }, Ct);

        Assert.True(await Store.UnsubscribeAsync("19:c@thread.tacv2", Ct));
        Assert.False(await Store.UnsubscribeAsync("19:c@thread.tacv2", Ct));
        Assert.Null(await Store.GetSubscriptionAsync("19:c@thread.tacv2", Ct));
    }

    [Fact]
    public async Task ListSubscriptions_ReturnsAllInIdOrder()
    {
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:z@thread.tacv2", SubscribedBy = "Z", SubscribedAt = Now }, Ct);
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:m@thread.tacv2", SubscribedBy = "M", SubscribedAt = Now }, Ct);

        IReadOnlyList<ChannelSubscription> all = await Store.ListSubscriptionsAsync(Ct);

        Assert.Equal(["19:m@thread.tacv2", "19:z@thread.tacv2"], all.Select(s => s.ConversationId));
        Assert.Equal("M", all[0].SubscribedBy);
    }

    [Fact]
    public async Task RemoveConversation_DropsReferenceSubscriptionAndValues()
    {
        await Store.UpsertReferenceAsync(Reference("19:d@thread.tacv2"), Ct);
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:d@thread.tacv2", SubscribedAt = Now }, Ct);
        await Store.SetValueAsync("19:d@thread.tacv2", "language", "ja", Ct);

        await Store.RemoveConversationAsync("19:d@thread.tacv2", Ct);

        Assert.Null(await Store.GetReferenceAsync("19:d@thread.tacv2", Ct));
        Assert.Null(await Store.GetSubscriptionAsync("19:d@thread.tacv2", Ct));
        Assert.Null(await Store.GetValueAsync("19:d@thread.tacv2", "language", Ct));
    }

    [Fact]
    public async Task RemoveTeam_DropsEveryConversationOfTheTeamOnly()
    {
        await Store.UpsertReferenceAsync(Reference("19:e1@thread.tacv2", "team-e"), Ct);
        await Store.UpsertReferenceAsync(Reference("19:e2@thread.tacv2", "team-e"), Ct);
        await Store.UpsertReferenceAsync(Reference("19:other@thread.tacv2", "team-other"), Ct);
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:e2@thread.tacv2", SubscribedAt = Now }, Ct);
        await Store.SubscribeAsync(new ChannelSubscription { ConversationId = "team-e", SubscribedAt = Now }, Ct);

        await Store.RemoveTeamAsync("team-e", Ct);

        Assert.Null(await Store.GetReferenceAsync("19:e1@thread.tacv2", Ct));
        Assert.Null(await Store.GetReferenceAsync("19:e2@thread.tacv2", Ct));
        Assert.Empty(await Store.ListSubscriptionsAsync(Ct));
        Assert.NotNull(await Store.GetReferenceAsync("19:other@thread.tacv2", Ct));
    }

    [Fact]
    public async Task Values_SetAndGet_AreScopedToTheConversation()
    {
        await Store.SetValueAsync("19:f@thread.tacv2", "language", "ja", Ct);

        Assert.Equal("ja", await Store.GetValueAsync("19:f@thread.tacv2", "language", Ct));
        Assert.Null(await Store.GetValueAsync("19:g@thread.tacv2", "language", Ct));
    }

    [Fact]
    public async Task Ping_ReturnsWithoutError() =>
        Assert.True(await Store.PingAsync(Ct) >= TimeSpan.Zero);
}

public sealed class InMemoryConversationStoreTests : ConversationStoreContractTests
{
    protected override IConversationStore Store { get; } = new InMemoryConversationStore();
}

public sealed class RedisConversationStoreTests(RedisServer redis) : ConversationStoreContractTests, IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;
    private IConversationStore _store = null!;

    protected override IConversationStore Store => _store;

    public async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _store = new RedisConversationStore(_connection, new RedisKeys(RedisServer.UniquePrefix()));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Keys_AllStartWithThePrefix()
    {
        var keys = new RedisKeys(RedisServer.UniquePrefix());
        var store = new RedisConversationStore(_connection, keys);
        await store.UpsertReferenceAsync(new ConversationReference { ConversationId = "19:k@thread.tacv2", ServiceUrl = "https://smba.trafficmanager.net/amer/", TeamId = "team-k" }, TestContext.Current.CancellationToken);
        await store.SubscribeAsync(new ChannelSubscription { ConversationId = "19:k@thread.tacv2" }, TestContext.Current.CancellationToken);

        // Every primary (one server, or each shard of a cluster) is scanned.
        IServer[] primaries = [.. _connection.GetServers().Where(s => !s.IsReplica)];
        RedisKey[] written = [.. primaries.SelectMany(s => s.Keys(pattern: keys.Prefix + "*"))];

        Assert.Equal(3, written.Length);
        Assert.DoesNotContain(primaries.SelectMany(s => s.Keys(pattern: "*k@thread*")), k => !((string)k!).StartsWith(keys.Prefix, StringComparison.Ordinal));
    }
}
