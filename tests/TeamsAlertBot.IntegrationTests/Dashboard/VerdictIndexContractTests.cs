using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TeamsAlertBot.Dashboard;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Dashboard;

/// <summary>The time-to-verdict index: first verdict wins, reads by decision time, retention and cap — against Redis and the in-memory twin.</summary>
public abstract class VerdictIndexContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(T0);

    protected DashboardOptions Settings { get; } = new() { VerdictIndexCap = 10, VerdictRetention = TimeSpan.FromDays(30) };

    protected abstract IVerdictIndex Index { get; }

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static VerdictEntry Entry(string id, DateTimeOffset decided, string verdict = "Fraud") =>
        new(id, "VM_AnomalousDeployment", "c1", decided.AddHours(-5), decided, verdict);

    [Fact]
    public async Task Record_SecondVerdictOfAnAlert_IsIgnored()
    {
        Assert.True(await Index.RecordAsync(Entry("a", T0)));
        Assert.False(await Index.RecordAsync(Entry("a", T0.AddHours(1), "Legitimate")));

        VerdictEntry kept = Assert.Single(await Index.ReadAsync(T0.AddDays(-1)));
        Assert.Equal(("Fraud", 5.0), (kept.Verdict, kept.Hours));
    }

    [Fact]
    public async Task Read_Since_OldestFirstAndOnlyLaterOnes()
    {
        await Index.RecordAsync(Entry("late", T0.AddHours(2)));
        await Index.RecordAsync(Entry("early", T0));
        await Index.RecordAsync(Entry("before", T0.AddHours(-3)));

        Assert.Equal(["early", "late"], (await Index.ReadAsync(T0)).Select(e => e.AlertId));
    }

    [Fact]
    public async Task Record_OverTheCap_DropsTheOldest()
    {
        for (int i = 0; i < 12; i++)
        {
            await Index.RecordAsync(Entry($"x{i:D2}", T0.AddMinutes(i)));
        }

        IReadOnlyList<VerdictEntry> kept = await Index.ReadAsync(T0.AddDays(-1));
        Assert.Equal(10, kept.Count);
        Assert.Equal(("x02", "x11"), (kept[0].AlertId, kept[^1].AlertId));
    }

    [Fact]
    public async Task Record_AfterTheRetention_OlderEntriesAreGone()
    {
        await Index.RecordAsync(Entry("old", T0));
        Time.Advance(TimeSpan.FromDays(31));

        await Index.RecordAsync(Entry("new", Time.GetUtcNow()));

        Assert.Equal(["new"], (await Index.ReadAsync(T0.AddDays(-1))).Select(e => e.AlertId));
    }
}

public sealed class RedisVerdictIndexTests(RedisServer redis) : VerdictIndexContractTests
{
    private ConnectionMultiplexer _connection = null!;
    private IVerdictIndex _index = null!;

    protected override IVerdictIndex Index => _index;

    public override async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _index = new RedisVerdictIndex(_connection, new RedisKeys(RedisServer.UniquePrefix()), Options.Create(Settings), Time);
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await base.DisposeAsync();
    }
}

[Trait("Redis", "None")]
public sealed class InMemoryVerdictIndexTests : VerdictIndexContractTests
{
    private IVerdictIndex? _index;

    protected override IVerdictIndex Index => _index ??= new InMemoryVerdictIndex(Options.Create(Settings), Time);
}
