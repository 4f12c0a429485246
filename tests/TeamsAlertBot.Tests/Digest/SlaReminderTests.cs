using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Sla;

namespace TeamsAlertBot.Tests.Digest;

public sealed class SlaReminderTests
{
    private static readonly TimeSpan[] Reminders = [TimeSpan.FromHours(4), TimeSpan.FromHours(12)];
    private static readonly TimeSpan Escalate = TimeSpan.FromHours(24);

    [Theory]
    [InlineData(0, null)]
    [InlineData(239, null)]
    [InlineData(240, "r240m")]
    [InlineData(719, "r240m")]
    [InlineData(720, "r720m")]
    [InlineData(1439, "r720m")]
    [InlineData(1440, "escalation")]
    [InlineData(10000, "escalation")]
    public void DueStage_WaitedMinutes_LatestThresholdPassed(int minutes, string? expected)
    {
        (string Stage, bool Escalation, TimeSpan After)? due = SlaMonitor.DueStage(TimeSpan.FromMinutes(minutes), Reminders, Escalate);

        Assert.Equal(expected, due?.Stage);
        Assert.Equal(expected == "escalation", due?.Escalation ?? false);
    }

    [Fact]
    public void Reminder_OnCallPeople_MentionedInTextAndEntities()
    {
        SlaContact[] onCall = [new() { Id = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f", Name = "Aiko Analyst" }, new() { Id = "29:1xyz", Name = "Kenji <Lead>" }];
        var alert = new PartnerSecurityAlert { Id = "a-1", AlertType = "VM_AnomalousDeployment", Status = AlertStatus.Active };

        Activity reply = SlaMonitor.Reminder(DigestTexts.En, alert, onCall, escalation: false, TimeSpan.FromHours(4.5), TimeSpan.FromHours(24));

        Assert.NotNull(reply.Entities);
        Assert.Equal(2, reply.Entities.Count);
        Assert.All(reply.Entities, e => Assert.Equal("mention", e!.Type));
        Assert.All(reply.Entities, e => Assert.Contains(e!.Text!, reply.Text, StringComparison.Ordinal));
        Assert.Equal(["6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f", "29:1xyz"], reply.Entities.Select(e => e!.Mentioned!.Id));
        Assert.Equal("<at>Kenji Lead</at>", reply.Entities[1]!.Text);
        Assert.StartsWith("<at>Aiko Analyst</at> <at>Kenji Lead</at> Reminder:", reply.Text, StringComparison.Ordinal);
        Assert.Contains("4 h", reply.Text, StringComparison.Ordinal);
        Assert.Contains("VM anomalous deployment", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_Escalation_DifferentWordingInJapanese()
    {
        var alert = new PartnerSecurityAlert { Id = "a-1", DisplayName = "Alert *with* <markup>", Status = AlertStatus.Active };
        SlaContact[] lead = [new() { Id = "29:lead", Name = "Lead" }];

        Activity reply = SlaMonitor.Reminder(DigestTexts.Ja, alert, lead, escalation: true, TimeSpan.FromHours(25), TimeSpan.FromHours(24));

        Assert.Contains("エスカレーション", reply.Text, StringComparison.Ordinal);
        Assert.Contains("25 時間", reply.Text, StringComparison.Ordinal);
        Assert.Contains("24 時間の対応目標", reply.Text, StringComparison.Ordinal);
        // Graph's title is shown as text: its markup escaped, not acted on.
        Assert.Contains("Alert \\*with\\* \\<markup\\>", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<markup>", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("リマインダー", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupedReminder_TwelveAlerts_CountTheFirstTenAndHowToListThemInJapanese()
    {
        PartnerSecurityAlert[] alerts = [.. Enumerable.Range(1, 12).Select(i => new PartnerSecurityAlert { Id = $"a-{i:D2}", AlertType = "VM_AnomalousDeployment", Status = AlertStatus.Active })];
        SlaContact[] lead = [new() { Id = "29:lead", Name = "Lead" }];

        Activity en = SlaMonitor.GroupedReminder(DigestTexts.En, OldAlertTexts.En, alerts, lead, Escalate);
        Activity ja = SlaMonitor.GroupedReminder(DigestTexts.Ja, OldAlertTexts.Ja, alerts, lead, Escalate);

        Assert.StartsWith("<at>Lead</at> Reminder: 12 open alerts have waited more than 24 h", en.Text, StringComparison.Ordinal);
        Assert.Contains("`alerts open older than 24h`", en.Text, StringComparison.Ordinal);
        Assert.Contains("a-10", en.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("a-11", en.Text, StringComparison.Ordinal);
        Assert.Contains("… and 2 more", en.Text, StringComparison.Ordinal);
        Assert.Equal("29:lead", Assert.Single(en.Entities!)!.Mentioned!.Id);
        Assert.Contains("未対応アラート 12 件", ja.Text, StringComparison.Ordinal);
        Assert.Contains("… ほか 2 件", ja.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_NobodyConfigured_NoMentions()
    {
        var alert = new PartnerSecurityAlert { Id = "a-1", Status = AlertStatus.Active };

        Activity reply = SlaMonitor.Reminder(DigestTexts.En, alert, [], escalation: false, TimeSpan.FromHours(4), TimeSpan.FromHours(24));

        Assert.Null(reply.Entities);
        Assert.StartsWith("Reminder:", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ReminderNotShorterThanEscalation_Refused()
    {
        var options = new SlaOptions { ReminderAfter = [TimeSpan.FromHours(4), TimeSpan.FromHours(30)] };

        Assert.NotNull(options.Problem());
        Assert.Null(new SlaOptions().Problem());
        Assert.Equal(Reminders, new SlaOptions().Reminders);
    }

    [Fact]
    public void Options_ContactWithoutId_Refused()
    {
        var options = new SlaOptions();
        options.OnCall.Add(new SlaContact { Name = "Aiko" });

        Assert.Contains("Sla:OnCall:0", options.Problem(), StringComparison.Ordinal);
    }
}
