using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.BotFramework.Schema;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Demo;

namespace TeamsAlertBot.Tests.Demo;

public sealed class DemoTenantTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_Tenant_HasAnOldBacklogSeveralTypesAndSeveritiesAndYesterdaysVerdicts()
    {
        var tenant = new DemoTenant(new FakeTimeProvider(Start));

        IReadOnlyList<PartnerSecurityAlert> alerts = tenant.ListAlerts();
        PartnerSecurityAlert[] open = [.. alerts.Where(a => a.IsOpen)];

        Assert.True(open.Count(a => a.DetectedDateTime < Start.AddDays(-1)) >= 5, "a backlog older than the first poll's look-back");
        Assert.True(open.Select(a => a.AlertType).Distinct().Count() >= 4);
        Assert.True(open.Select(a => a.Severity).Distinct().Count() >= 3);
        Assert.Contains(alerts, a => a.Status == AlertStatus.Resolved && a.ResolvedOnDateTime?.Date == Start.AddDays(-1).Date);
        Assert.Contains(tenant.ListCustomers(), c => c.CompanyProfile!.CompanyName!.Any(ch => ch > '\u3000'));
        Assert.Contains(tenant.ListCustomers(), c => c.CompanyProfile!.CompanyName == "Contoso Ltd");
    }

    [Fact]
    public void ReleaseWave_TheFirstTime_StormsOneCustomer_LaterOnlyNewAlerts()
    {
        var time = new FakeTimeProvider(Start);
        var tenant = new DemoTenant(time);

        int first = tenant.ReleaseWave(stormSize: 7);
        int second = tenant.ReleaseWave(stormSize: 7);

        Assert.Equal((9, 2), (first, second));
        Assert.Equal(7, tenant.ListAlerts().Count(a => a.CustomerTenantId == DemoTenant.StormCustomerTenantId && a.DetectedDateTime > Start.AddMinutes(-5)));
    }

    [Fact]
    public void Update_Resolved_RecordsTheVerdictAndAnActivityLog()
    {
        var time = new FakeTimeProvider(Start);
        var tenant = new DemoTenant(time);
        PartnerSecurityAlert alert = tenant.ReleaseOne();
        time.Advance(TimeSpan.FromMinutes(5));

        PartnerSecurityAlert updated = tenant.Update(alert.Id, AlertStatus.Resolved, AlertResolvedReason.Fraud)!;

        Assert.Equal((AlertStatus.Resolved, AlertResolvedReason.Fraud, (DateTimeOffset?)Start.AddMinutes(5)), (updated.Status, updated.ResolvedReason, updated.ResolvedOnDateTime));
        AlertActivityLog log = Assert.Single(updated.ActivityLogs!);
        Assert.Equal((AlertStatus.Active, AlertStatus.Resolved), (log.StatusFrom!.Value, log.StatusTo!.Value));
        Assert.Null(tenant.Update("no-such-alert", AlertStatus.Resolved, AlertResolvedReason.Fraud));
    }

    [Fact]
    public void CancelEntitlement_OfTheCustomersAzureSubscription_IsRecorded()
    {
        var tenant = new DemoTenant(new FakeTimeProvider(Start));
        PartnerSecurityAlert alert = tenant.ListAlerts().First(a => a.IsOpen);
        string plan = tenant.ListSubscriptions(alert.CustomerTenantId!)!.Single(s => s.OfferName == "Azure plan").Id!;

        Assert.True(tenant.CancelEntitlement(alert.CustomerTenantId!, plan, alert.SubscriptionId!));
        Assert.False(tenant.CancelEntitlement(alert.CustomerTenantId!, plan, "00000000-0000-4000-8000-000000000000"));
        Assert.Equal("canceled", tenant.ListEntitlements(alert.CustomerTenantId!, plan)!.Single(e => e.Id == alert.SubscriptionId).Status);
    }

    [Theory]
    [InlineData("en", "DEMO DATA")]
    [InlineData("ja", "デモデータ")]
    public void Marker_EveryCardWrittenForTheWire_StartsWithItOnce(string language, string expected)
    {
        var json = new BotJsonOptions([new DemoCardMarker(), CardJsonContext.Default]);
        var card = new AdaptiveCard { Lang = language, Body = [new TextBlock("Alert")] };
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Attachments =
            [
                new Attachment { ContentType = AdaptiveCard.ContentType, Content = card },
                new Attachment { ContentType = AdaptiveCard.ContentType, Content = DemoCardMarker.Mark(card) },
            ],
        };

        using JsonDocument written = JsonDocument.Parse(JsonSerializer.Serialize(activity, json.Get<Activity>()));

        foreach (JsonElement attachment in written.RootElement.GetProperty("attachments").EnumerateArray())
        {
            JsonElement body = attachment.GetProperty("content").GetProperty("body");
            Assert.Equal(2, body.GetArrayLength());
            Assert.Equal(DemoCardMarker.MarkerId, body[0].GetProperty("id").GetString());
            Assert.StartsWith(expected, body[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AddDemoTenant_InProduction_IsRefusedNamingTheSetting()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["Demo:Enabled"] = "true";

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => builder.AddDemoTenant());

        Assert.Contains("Demo:Enabled", refused.Message, StringComparison.Ordinal);
    }
}
