using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Tests.Triage;

/// <summary>What each kind of bulk selection covers, what it refuses, and what its button's signature binds.</summary>
public sealed class BulkSelectionTests
{
    private const string Contoso = "6a1d2c3b-0000-4000-8000-00000000c001";
    private const string Fabrikam = "6a1d2c3b-0000-4000-8000-00000000c002";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Matches_AlertList_SameTestAsTheListAndOpenOnly()
    {
        AlertListRequest request = AlertListRequest.Parse($"open customer {Contoso} type VM older than 3d page 4").Request!;
        BulkSelection selection = BulkSelection.AlertList(request);

        Assert.Equal($"open customer {Contoso} type VM older than 3d", selection.Filter);
        Assert.Equal(BulkSelectionError.None, selection.Check());
        Assert.True(selection.Matches(Alert("a", Contoso, "VMCryptoMining", Now.AddDays(-4)), Now));
        Assert.False(selection.Matches(Alert("b", Contoso, "VMCryptoMining", Now.AddDays(-2)), Now));
        Assert.False(selection.Matches(Alert("c", Fabrikam, "VMCryptoMining", Now.AddDays(-4)), Now));
        Assert.False(selection.Matches(Alert("d", Contoso, "AnomalousMLUsage", Now.AddDays(-4)), Now));
        Assert.False(selection.Matches(Alert("e", Contoso, "VMCryptoMining", Now.AddDays(-4)) with { Status = AlertStatus.Resolved }, Now));
    }

    [Fact]
    public void Matches_AlertListAll_OnlyOpenWithinTheListsLookback()
    {
        BulkSelection selection = BulkSelection.AlertList(AlertListRequest.Parse("all").Request!);

        Assert.True(selection.Matches(Alert("a", Contoso, "X", Now.AddDays(-10)), Now));
        Assert.False(selection.Matches(Alert("b", Contoso, "X", Now.AddDays(-10)) with { Status = AlertStatus.Resolved }, Now));
        Assert.False(selection.Matches(Alert("c", Contoso, "X", Now - AlertListRequest.AllLookback - TimeSpan.FromHours(1)), Now));
    }

    [Fact]
    public void Matches_OlderThan_OnlyAlertsDetectedBeforeTheAge()
    {
        BulkSelection selection = BulkSelection.OlderThan(60);

        Assert.True(selection.Matches(Alert("a", Contoso, "X", Now.AddDays(-61)), Now));
        Assert.False(selection.Matches(Alert("b", Contoso, "X", Now.AddDays(-59)), Now));
        Assert.False(selection.Matches(Alert("c", Contoso, "X", detected: null), Now));
    }

    [Fact]
    public void Matches_StormAndIds_CustomerSubscriptionOrListedIds()
    {
        BulkSelection storm = BulkSelection.Storm(Contoso, "Contoso Ltd", "sub-1");
        BulkSelection ids = BulkSelection.Ids(["a", "a", "c"]);

        Assert.True(storm.Matches(Alert("a", Contoso, "X", Now) with { SubscriptionId = "sub-1" }, Now));
        Assert.False(storm.Matches(Alert("a", Contoso, "X", Now) with { SubscriptionId = "sub-2" }, Now));
        Assert.Equal(["a", "c"], ids.AlertIds);
        Assert.True(ids.Matches(Alert("c", Fabrikam, "X", Now), Now));
        Assert.False(ids.Matches(Alert("b", Fabrikam, "X", Now), Now));
    }

    [Fact]
    public void Check_BadSelections_Refused()
    {
        Assert.Equal(BulkSelectionError.BadAge, BulkSelection.OlderThan(0).Check());
        Assert.Equal(BulkSelectionError.BadAge, BulkSelection.OlderThan(BulkSelection.MaxDays + 1).Check());
        Assert.Equal(BulkSelectionError.BadAlertIds, BulkSelection.Ids([]).Check());
        Assert.Equal(BulkSelectionError.BadAlertIds, BulkSelection.Ids(Enumerable.Range(0, BulkSelection.MaxAlertIds + 1).Select(i => $"a{i}")).Check());
        Assert.Equal(BulkSelectionError.None, BulkSelection.Ids(Enumerable.Range(0, BulkSelection.MaxAlertIds).Select(i => $"a{i}")).Check());
        Assert.Equal(BulkSelectionError.BadAlertIds, BulkSelection.Ids(["ok", "not ok"]).Check());
        Assert.Equal(BulkSelectionError.BadFilter, new BulkSelection { Kind = BulkSelectionKind.AlertList, Filter = "open bogus" }.Check());
        // A list's customer must be resolved to a tenant id before it is acted on.
        Assert.Equal(BulkSelectionError.BadFilter, new BulkSelection { Kind = BulkSelectionKind.AlertList, Filter = "open customer Contoso" }.Check());
        Assert.Equal(BulkSelectionError.MissingCustomer, BulkSelection.Storm(string.Empty, null).Check());
    }

    [Fact]
    public void ActionData_Selection_FromSignedFieldsAndTheOfferedAgeOnly()
    {
        var data = new BulkActionData { Step = BulkStep.Propose, Verdict = TriageVerdict.Ignore, Signature = "sig" };

        Assert.Equal(BulkSelectionKind.AlertList, (data with { Filter = "open type VM" }).Selection()!.Kind);
        Assert.Equal(90, (data with { Days = 90 }).Selection()!.Days);
        Assert.Equal(60, (data with { Days = 0, ChosenDays = "60" }).Selection()!.Days);
        Assert.Null((data with { Days = 0, ChosenDays = "7" }).Selection());
        Assert.Null((data with { Days = 0 }).Selection());
        // The card's age input counts only where the signed data asks for it.
        Assert.Equal(BulkSelectionKind.Storm, (data with { Customer = Contoso, ChosenDays = "60" }).Selection()!.Kind);
        Assert.Null(data.Selection());
    }

    [Fact]
    public void ActionData_Subject_BindsFilterAndAgeButKeepsStormSubjectsAsTheyWere()
    {
        var storm = new BulkActionData { Step = BulkStep.Propose, Verdict = TriageVerdict.Fraud, Customer = Contoso, CustomerName = "Contoso Ltd", Signature = "sig" };
        var list = new BulkActionData { Step = BulkStep.Propose, Verdict = TriageVerdict.Fraud, Filter = "open type VM", Signature = "sig" };

        Assert.Equal($"bulk|{Contoso}|Contoso Ltd||", storm.Subject);
        Assert.NotEqual(list.Subject, (list with { Filter = "open type ML" }).Subject);
        Assert.NotEqual(list.Subject, (list with { Filter = null, Days = 30 }).Subject);
        Assert.NotEqual((list with { Filter = null, Days = 30 }).Subject, (list with { Filter = null, Days = 90 }).Subject);
    }

    private static PartnerSecurityAlert Alert(string id, string customer, string type, DateTimeOffset? detected) => new()
    {
        Id = id,
        CustomerTenantId = customer,
        AlertType = type,
        Status = AlertStatus.Active,
        DetectedDateTime = detected,
    };
}
