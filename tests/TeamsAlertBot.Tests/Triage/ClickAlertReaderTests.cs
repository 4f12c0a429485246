using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Tests.Triage;

public sealed class ClickAlertReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A Graph that holds each read until the test releases it, counting the reads.</summary>
    private sealed class HeldSource : IAlertSource
    {
        private int _reads;

        public TaskCompletionSource<PartnerSecurityAlert?> Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => Volatile.Read(ref _reads);

        public Task<IReadOnlyList<PartnerSecurityAlert>> ListOpenAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<PartnerSecurityAlert> StreamOpenAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PartnerSecurityAlert?> GetAsync(string alertId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Release.Task;
        }
    }

    [Fact]
    public async Task ConcurrentClicksOnOneAlert_ShareOneRead_ThenTheNextClickReadsAfresh()
    {
        var source = new HeldSource();
        var reader = new ClickAlertReader(source);

        Task<PartnerSecurityAlert?>[] clicks = [.. Enumerable.Range(0, 50).Select(_ => reader.GetAsync("a-1", Ct))];
        Assert.Equal(1, source.Reads);
        source.Release.SetResult(new PartnerSecurityAlert { Id = "a-1", Status = AlertStatus.Active });
        PartnerSecurityAlert?[] answers = await Task.WhenAll(clicks);

        Assert.All(answers, a => Assert.Equal(AlertStatus.Active, a!.Status));
        source.Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Release.SetResult(new PartnerSecurityAlert { Id = "a-1", Status = AlertStatus.Resolved });
        Assert.Equal(AlertStatus.Resolved, (await reader.GetAsync("a-1", Ct))!.Status);
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task DifferentAlerts_AreReadSeparately()
    {
        var source = new HeldSource();
        var reader = new ClickAlertReader(source);

        Task<PartnerSecurityAlert?> first = reader.GetAsync("a-1", Ct);
        Task<PartnerSecurityAlert?> second = reader.GetAsync("a-2", Ct);
        source.Release.SetResult(null);
        await Task.WhenAll(first, second);

        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task AFailedRead_FailsItsWaiters_AndIsNotKept()
    {
        var source = new HeldSource();
        var reader = new ClickAlertReader(source);
        Task<PartnerSecurityAlert?>[] clicks = [reader.GetAsync("a-1", Ct), reader.GetAsync("a-1", Ct)];

        source.Release.SetException(new TimeoutException("graph"));

        foreach (Task<PartnerSecurityAlert?> click in clicks)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => click);
        }

        source.Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Release.SetResult(null);
        Assert.Null(await reader.GetAsync("a-1", Ct));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task OneClickGivingUp_DoesNotCancelTheReadOthersWaitFor()
    {
        var source = new HeldSource();
        var reader = new ClickAlertReader(source);
        using var impatient = new CancellationTokenSource();
        Task<PartnerSecurityAlert?> gaveUp = reader.GetAsync("a-1", impatient.Token);
        Task<PartnerSecurityAlert?> waiting = reader.GetAsync("a-1", Ct);

        await impatient.CancelAsync();
        source.Release.SetResult(new PartnerSecurityAlert { Id = "a-1" });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.Equal("a-1", (await waiting)!.Id);
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public async Task AfterAWrite_ANewClickDoesNotJoinTheReadThatBeganBeforeIt()
    {
        var source = new HeldSource();
        var reader = new ClickAlertReader(source);
        TaskCompletionSource<PartnerSecurityAlert?> beforeWrite = source.Release;
        Task<PartnerSecurityAlert?> early = reader.GetAsync("a-1", Ct);

        reader.Forget("a-1");
        source.Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Release.SetResult(new PartnerSecurityAlert { Id = "a-1", Status = AlertStatus.Resolved });
        Task<PartnerSecurityAlert?> late = reader.GetAsync("a-1", Ct);
        beforeWrite.SetResult(new PartnerSecurityAlert { Id = "a-1", Status = AlertStatus.Active });

        Assert.Equal(AlertStatus.Active, (await early)!.Status);
        Assert.Equal(AlertStatus.Resolved, (await late)!.Status);
        Assert.Equal(2, source.Reads);
    }
}
