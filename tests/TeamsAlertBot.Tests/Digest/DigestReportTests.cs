using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Digest;

public sealed class DigestReportTests
{
    internal static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>2026-11-29 08:30 in Tokyo.</summary>
    internal static readonly DateTimeOffset Now = new(2026, 11, 28, 23, 30, 0, TimeSpan.Zero);

    internal static PartnerSecurityAlert Alert(
        string id, string type = "VM_AnomalousDeployment", string customer = "c-1", string subscription = "s-1",
        double hoursAgo = 5, AlertStatus status = AlertStatus.Active) => new()
        {
            Id = id,
            AlertType = type,
            DisplayName = "Action Required: " + type,
            Status = status,
            CustomerTenantId = customer,
            SubscriptionId = subscription,
            DetectedDateTime = Now.AddHours(-hoursAgo),
        };

    internal static PartnerSecurityAlert Resolved(string id, DateTimeOffset? at, AlertResolvedReason? reason, string? by = "kenji@partner.example") =>
        Alert(id, status: AlertStatus.Resolved, hoursAgo: 40) with { ResolvedOnDateTime = at, ResolvedReason = reason, ResolvedBy = by };

    private static DigestReport Build(
        IReadOnlyList<PartnerSecurityAlert> open,
        IReadOnlyList<PartnerSecurityAlert>? resolved = null,
        Dictionary<string, TriageRecord>? records = null,
        int top = 3) => DigestReport.Build(new DigestInput
        {
            Open = open,
            Resolved = resolved ?? [],
            TriageRecords = records ?? [],
            Now = Now,
            TimeZone = Tokyo,
            Lookback = TimeSpan.FromDays(60),
            TopCount = top,
            CustomerNames = new Dictionary<string, string> { ["c-1"] = "Contoso Ltd" },
        });

    [Fact]
    public void Build_OpenAlerts_GroupedByTypeWithDistinctCustomersAndSubscriptions()
    {
        DigestReport report = Build(
        [
            Alert("a1", customer: "c-1", subscription: "s-1"),
            Alert("a2", customer: "c-1", subscription: "s-2"),
            Alert("a3", customer: "c-2", subscription: "s-3"),
            Alert("a4", type: "networkConnectionsToCryptoMiningPools", customer: "c-3", subscription: "s-4"),
        ]);

        Assert.Equal(4, report.OpenCount);
        Assert.Equal(
            [new DigestTypeRow("VM anomalous deployment", 3, 2, 3), new DigestTypeRow("Network connections to crypto mining pools", 1, 1, 1)],
            report.Types);
    }

    [Fact]
    public void Build_AlertsDetectedBeforeTheLookback_LeftOut()
    {
        DigestReport report = Build([Alert("recent", hoursAgo: 59 * 24), Alert("old", hoursAgo: 61 * 24)]);

        Assert.Equal(1, report.OpenCount);
        Assert.Equal("recent", Assert.Single(report.OldestWaiting).AlertId);
    }

    [Fact]
    public void Build_OldestWaiting_TopNOldestFirst_WithoutTriagedOrInvestigating()
    {
        DigestReport report = Build(
            [
                Alert("a-2h", hoursAgo: 2),
                Alert("a-30h", hoursAgo: 30),
                Alert("a-10h", hoursAgo: 10),
                Alert("a-50h-triaged", hoursAgo: 50),
                Alert("a-60h-investigating", hoursAgo: 60, status: AlertStatus.Investigating),
                Alert("a-5h", hoursAgo: 5),
            ],
            records: new() { ["a-50h-triaged"] = new TriageRecord { Version = 2, State = TriageState.Applied, Verdict = TriageVerdict.Investigating } },
            top: 3);

        Assert.Equal(6, report.OpenCount);
        Assert.Equal(4, report.WaitingCount);
        Assert.Equal(["a-30h", "a-10h", "a-5h"], report.OldestWaiting.Select(w => w.AlertId));
        Assert.Equal(TimeSpan.FromHours(30), report.OldestWaiting[0].Waiting);
        Assert.Equal("Contoso Ltd", report.OldestWaiting[0].Customer);
    }

    [Fact]
    public void Build_VerdictsYesterday_BoundedByLocalMidnightsOfTheZone()
    {
        // Now is 2026-11-29 08:30 in Tokyo: yesterday is 2026-11-28 00:00–24:00 JST = 11-27 15:00Z – 11-28 15:00Z.
        DigestReport report = Build(
            [],
            [
                Resolved("before", new DateTimeOffset(2026, 11, 27, 14, 59, 0, TimeSpan.Zero), AlertResolvedReason.Legitimate),
                Resolved("first", new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero), AlertResolvedReason.Fraud),
                Resolved("last", new DateTimeOffset(2026, 11, 28, 14, 59, 0, TimeSpan.Zero), AlertResolvedReason.Ignore),
                Resolved("today", new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), AlertResolvedReason.Legitimate),
            ]);

        Assert.Equal(new DateOnly(2026, 11, 28), report.Yesterday);
        Assert.Equal(["first", "last"], report.Verdicts.Select(v => v.AlertId));
        Assert.Equal(1, report.VerdictCounts[AlertResolvedReason.Fraud]);
        Assert.Equal(1, report.VerdictCounts[AlertResolvedReason.Ignore]);
        Assert.False(report.VerdictCounts.ContainsKey(AlertResolvedReason.Legitimate));
    }

    [Fact]
    public void Build_ResolvedWithoutGraphTime_TakesTimeVerdictAndActorFromTheBotRecord()
    {
        DateTimeOffset at = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);
        DigestReport report = Build(
            [],
            [Resolved("bot-decided", at: null, reason: null, by: null), Resolved("unknown-time", at: null, reason: AlertResolvedReason.Fraud)],
            new() { ["bot-decided"] = new TriageRecord { Version = 2, State = TriageState.Applied, Verdict = TriageVerdict.Fraud, ActorName = "Aiko Analyst", At = at } });

        DigestVerdict verdict = Assert.Single(report.Verdicts);
        Assert.Equal("bot-decided", verdict.AlertId);
        Assert.Equal(AlertResolvedReason.Fraud, verdict.Reason);
        Assert.Equal("Aiko Analyst", verdict.ResolvedBy);
        Assert.Equal(at, verdict.ResolvedAt);
    }

    [Fact]
    public void Build_ManyVerdicts_CountsAllListsAtMostTheMaximum()
    {
        PartnerSecurityAlert[] resolved = [.. Enumerable.Range(0, 14).Select(i => Resolved($"r{i:D2}", new DateTimeOffset(2026, 11, 28, 0, i, 0, TimeSpan.Zero), AlertResolvedReason.Legitimate))];

        DigestReport report = Build([], resolved);

        Assert.Equal(14, report.VerdictTotal);
        Assert.Equal(10, report.Verdicts.Count);
    }

    public static TheoryData<AlertStatus, TriageState?, TriageVerdict?, bool> WaitingCases => new()
    {
        { AlertStatus.Active, null, null, true },
        { AlertStatus.Active, TriageState.Applied, TriageVerdict.Investigating, false },
        { AlertStatus.Active, TriageState.Pending, TriageVerdict.Legitimate, false },
        { AlertStatus.Active, TriageState.Failed, TriageVerdict.Fraud, true },
        { AlertStatus.Active, TriageState.Applied, TriageVerdict.Reopen, true },
        { AlertStatus.Investigating, null, null, false },
        { AlertStatus.Resolved, null, null, false },
    };

    [Theory]
    [MemberData(nameof(WaitingCases))]
    public void IsWaiting_GraphStatusAndBotRecord_OnlyActiveWithoutAVerdictWaits(AlertStatus status, TriageState? state, TriageVerdict? verdict, bool expected)
    {
        TriageRecord? record = state is { } s ? new TriageRecord { Version = 2, State = s, Verdict = verdict } : null;

        Assert.Equal(expected, AlertSla.IsWaiting(Alert("a", status: status), record));
    }
}
