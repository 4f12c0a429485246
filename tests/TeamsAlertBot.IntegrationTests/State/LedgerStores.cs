using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Digest;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.IntegrationTests.State;

/// <summary>
/// One set of the pipeline's ledgers over one shared state — Redis, or the in-memory twins' keyspace — so
/// one contract test class runs against both (the ledgers read each other's records, as in the bot).
/// </summary>
public abstract class LedgerStores : IAsyncDisposable
{
    public RedisKeys Keys { get; } = new(RedisServer.UniquePrefix());

    public abstract IAlertLedger Alerts { get; }

    public abstract IDeliveryLedger Deliveries { get; }

    public abstract ITriageLedger Triage { get; }

    public abstract IMitigationLedger Mitigations { get; }

    public abstract IResponseChecklistLedger Checklists { get; }

    public abstract ISendOnceLedger SendOnce { get; }

    public abstract IWebhookDeduplicator Webhooks { get; }

    public abstract IStormOverviewLedger StormOverviews { get; }

    /// <summary>Work streams with <paramref name="settings"/> (backoff, attempts).</summary>
    public abstract IAlertWorkStreams Work(AlertPipelineOptions settings);

    /// <summary>How long <paramref name="key"/> has left (null: absent or no expiry).</summary>
    public abstract Task<TimeSpan?> TimeToLiveAsync(RedisKey key);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return DisposeCoreAsync();
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}

/// <summary>The ledgers in the run's Redis (plain, the 6.0 stand-in or the cluster).</summary>
public sealed class RedisLedgerStores(ConnectionMultiplexer connection) : LedgerStores
{
    public ConnectionMultiplexer Connection => connection;

    public static async Task<RedisLedgerStores> ConnectAsync(RedisServer redis) =>
        new(await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString));

    public override IAlertLedger Alerts => new RedisAlertLedger(connection, Keys);

    public override IDeliveryLedger Deliveries => new RedisDeliveryLedger(connection);

    public override ITriageLedger Triage => new RedisTriageLedger(connection, Keys);

    public override IMitigationLedger Mitigations => new RedisMitigationLedger(connection, Keys);

    public override IResponseChecklistLedger Checklists => new RedisResponseChecklistLedger(connection, Keys);

    public override ISendOnceLedger SendOnce => new RedisSendOnceLedger(connection);

    public override IWebhookDeduplicator Webhooks => new RedisWebhookDeduplicator(connection, Keys);

    public override IStormOverviewLedger StormOverviews => new RedisStormOverviewLedger(connection, Keys);

    public override IAlertWorkStreams Work(AlertPipelineOptions settings) =>
        new RedisAlertWorkStreams(connection, Keys, Options.Create(settings), TimeProvider.System, NullLogger<RedisAlertWorkStreams>.Instance);

    public override async Task<TimeSpan?> TimeToLiveAsync(RedisKey key) => await connection.GetDatabase().KeyTimeToLiveAsync(key);

    protected override async ValueTask DisposeCoreAsync()
    {
        await connection.DisposeAsync();
        await base.DisposeCoreAsync();
    }
}

/// <summary>The in-memory twins over one keyspace, on the system clock (as the bot runs them).</summary>
public sealed class InMemoryLedgerStores : LedgerStores
{
    private readonly InMemoryKeyspace _space = new(TimeProvider.System);
    private readonly InMemoryWebhookDeduplicator _webhooks = new(TimeProvider.System);

    public override IAlertLedger Alerts => new InMemoryAlertLedger(_space, Keys);

    public override IDeliveryLedger Deliveries => new InMemoryDeliveryLedger(_space);

    public override ITriageLedger Triage => new InMemoryTriageLedger(_space, Keys);

    public override IMitigationLedger Mitigations => new InMemoryMitigationLedger(_space, Keys);

    public override IResponseChecklistLedger Checklists => new InMemoryResponseChecklistLedger(_space, Keys);

    public override ISendOnceLedger SendOnce => new InMemorySendOnceLedger(_space);

    public override IWebhookDeduplicator Webhooks => _webhooks;

    public override IStormOverviewLedger StormOverviews => new InMemoryStormOverviewLedger(_space, Keys);

    public override IAlertWorkStreams Work(AlertPipelineOptions settings) =>
        new InMemoryAlertWorkStreams(_space, Keys, Options.Create(settings), NullLogger<InMemoryAlertWorkStreams>.Instance);

    public override Task<TimeSpan?> TimeToLiveAsync(RedisKey key) => Task.FromResult(_space.Atomic(step => step.TimeToLive(key)));
}

/// <summary>A contract test class's stores: made before each test, disposed after.</summary>
public abstract class LedgerContract : IAsyncLifetime
{
    private LedgerStores? _stores;

    protected LedgerStores Stores => _stores ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<LedgerStores> CreateStoresAsync();

    public virtual async ValueTask InitializeAsync() => _stores = await CreateStoresAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
