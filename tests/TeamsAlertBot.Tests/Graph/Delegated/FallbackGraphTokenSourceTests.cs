using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Graph.Delegated;

namespace TeamsAlertBot.Tests.Graph.Delegated;

public sealed class FallbackGraphTokenSourceTests
{
    private readonly FakeTimeProvider _time = new(DelegatedTestApp.Start);
    private readonly DelegatedFakeTokenSource _app = DelegatedFakeTokenSource.App();
    private readonly DelegatedFakeTokenSource _delegated = DelegatedFakeTokenSource.Delegated();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAuthorizationAsync_NoMfaRefusalYet_UsesAppOnly()
    {
        FallbackGraphTokenSource source = Create();

        var header = await source.GetAuthorizationAsync(Ct);

        Assert.Equal("Bearer app-only-token", header.ToString());
        Assert.Equal(GraphAccessKind.Application, source.AccessKind);
        Assert.Equal(0, _delegated.Calls);
    }

    [Fact]
    public async Task ReportMfaRequired_AppOnlyRefused_SwitchesToDelegatedAndSaysRetryIsWorthIt()
    {
        FallbackGraphTokenSource source = Create();

        bool retry = source.ReportMfaRequired(GraphAccessKind.Application);

        Assert.True(retry);
        Assert.Equal(GraphAccessKind.Delegated, source.AccessKind);
        Assert.Equal("Bearer delegated-token", (await source.GetAuthorizationAsync(Ct)).ToString());
        Assert.Equal(0, _app.Calls);
    }

    [Fact]
    public async Task GetAuthorizationAsync_JustBeforeRetryAppOnlyAfter_StillDelegated()
    {
        FallbackGraphTokenSource source = Create(TimeSpan.FromMinutes(30));
        source.ReportMfaRequired(GraphAccessKind.Application);

        _time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));

        Assert.Equal("Bearer delegated-token", (await source.GetAuthorizationAsync(Ct)).ToString());
    }

    [Fact]
    public async Task GetAuthorizationAsync_RetryAppOnlyAfterElapsed_TriesAppOnlyAgain()
    {
        FallbackGraphTokenSource source = Create();
        source.ReportMfaRequired(GraphAccessKind.Application);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal("Bearer app-only-token", (await source.GetAuthorizationAsync(Ct)).ToString());
        Assert.Equal(GraphAccessKind.Application, source.CurrentKind);
    }

    [Fact]
    public void ReportMfaRequired_AppOnlyRefusedAgainWhileDelegated_DoesNotProlongThePeriod()
    {
        FallbackGraphTokenSource source = Create();
        source.ReportMfaRequired(GraphAccessKind.Application);
        _time.Advance(TimeSpan.FromMinutes(50));

        // A request that started before the switch comes back refused.
        bool retry = source.ReportMfaRequired(GraphAccessKind.Application);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.True(retry);
        Assert.Equal(GraphAccessKind.Application, source.CurrentKind);
    }

    [Fact]
    public void ReportMfaRequired_AppOnlyRefusedAfterReturningToAppOnly_StartsANewPeriod()
    {
        FallbackGraphTokenSource source = Create();
        source.ReportMfaRequired(GraphAccessKind.Application);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(GraphAccessKind.Application, source.CurrentKind);

        source.ReportMfaRequired(GraphAccessKind.Application);
        _time.Advance(TimeSpan.FromMinutes(59));

        Assert.Equal(GraphAccessKind.Delegated, source.CurrentKind);
    }

    [Fact]
    public void ReportMfaRequired_DelegatedRefused_ReturnsFalseAndChangesNothing()
    {
        FallbackGraphTokenSource source = Create();

        bool retry = source.ReportMfaRequired(GraphAccessKind.Delegated);

        Assert.False(retry);
        Assert.Equal(GraphAccessKind.Application, source.CurrentKind);
    }

    [Fact]
    public void Constructor_SourcesOfTheWrongKinds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FallbackGraphTokenSource(
            _delegated, _app, Options(TimeSpan.FromHours(1)), _time, NullLogger<FallbackGraphTokenSource>.Instance));
    }

    private FallbackGraphTokenSource Create(TimeSpan? retryAppOnlyAfter = null) =>
        new(_app, _delegated, Options(retryAppOnlyAfter ?? TimeSpan.FromHours(1)), _time, NullLogger<FallbackGraphTokenSource>.Instance);

    private static StaticOptionsMonitor Options(TimeSpan retryAppOnlyAfter) =>
        new StaticOptionsMonitor(new GraphDelegatedOptions { Mode = GraphDelegatedMode.Fallback, RetryAppOnlyAfter = retryAppOnlyAfter });

    private sealed class StaticOptionsMonitor(GraphDelegatedOptions value) : IOptionsMonitor<GraphDelegatedOptions>
    {
        public GraphDelegatedOptions CurrentValue => value;

        public GraphDelegatedOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<GraphDelegatedOptions, string?> listener) => null;
    }
}
