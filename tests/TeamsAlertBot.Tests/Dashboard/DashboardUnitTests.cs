using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Dashboard;

namespace TeamsAlertBot.Tests.Dashboard;

public sealed class DashboardCsvTests
{
    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+SUM(A1)", "\"'+SUM(A1)\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@cmd", "\"'@cmd\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("Contoso \"Ltd\", Inc", "\"Contoso \"\"Ltd\"\", Inc\"")]
    [InlineData("plain", "\"plain\"")]
    [InlineData(null, "\"\"")]
    public void Field_FormulaOrQuote_DefusedAndQuoted(string? value, string expected) =>
        Assert.Equal(expected, DashboardCsv.Field(value));

    [Fact]
    public void Write_Items_HeaderThenOneLinePerItem()
    {
        var item = new DashboardAlertItem("a1", "VM_AnomalousDeployment", "high", "active", "=evil()", "t1", null, "s1",
            new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), 5.5, null, "ok", null, null, null);

        string[] lines = DashboardCsv.Write([item, item]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("\"id\",", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"'=evil()\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"2026-11-28T10:00:00Z\",\"5.5\"", lines[1], StringComparison.Ordinal);
    }
}

public sealed class ResponseFiguresTests
{
    [Fact]
    public void Of_FourDurations_MedianAndP90Interpolated() =>
        Assert.Equal(new ResponseFigures(4, 2.5, 7.9), ResponseFigures.Of([10, 1, 3, 2]));

    [Fact]
    public void Of_NoDurations_NoFigures() =>
        Assert.Equal(new ResponseFigures(0, null, null), ResponseFigures.Of([]));

    [Fact]
    public void Of_OneDuration_ItIsMedianAndP90() =>
        Assert.Equal(new ResponseFigures(1, 4, 4), ResponseFigures.Of([4]));

    [Fact]
    public void WeekStart_AnyDay_MondayMidnightUtc()
    {
        // 2026-12-06 is a Sunday.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), DashboardScore.WeekStart(new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), DashboardScore.WeekStart(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero)));
    }
}

public sealed class DashboardAudienceTests
{
    private const string App = "3f1c2b7a-5d4e-4a8b-9c0d-1e2f3a4b5c6d";

    [Theory]
    [InlineData(App, true)]
    [InlineData("api://" + App, true)]
    [InlineData("api://bot.partner.example/" + App, true)]
    [InlineData("API://BOT.partner.example/" + App, true)]
    [InlineData("api://bot.partner.example/other/" + App, false)]
    [InlineData("api:///" + App, false)]
    [InlineData("api://bot.partner.example/" + App + "x", false)]
    [InlineData("https://graph.microsoft.com", false)]
    [InlineData("", false)]
    public void IsOwnAudience_OnlyTheAppIdAndItsApplicationIdUris(string audience, bool expected) =>
        Assert.Equal(expected, ConfigureDashboardJwtBearer.IsOwnAudience(audience, App));

    [Fact]
    public void IsOwnAudience_NoAppId_Nothing() => Assert.False(ConfigureDashboardJwtBearer.IsOwnAudience(App, string.Empty));
}

public sealed class AlertListQueryTests
{
    private static (AlertListQuery? Query, string? Error) Parse(params (string Key, string Value)[] values) =>
        AlertListQuery.From(new QueryCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value))));

    [Fact]
    public void From_Nothing_OpenAlertsNewestFirst()
    {
        AlertListQuery query = Parse().Query!;

        Assert.Equal(("detected", true, 0, 100), (query.Sort, query.Desc, query.Skip, query.Top));
        Assert.True(query.StatusMatches(AlertStatus.Active));
        Assert.True(query.StatusMatches(AlertStatus.Investigating));
        Assert.False(query.StatusMatches(AlertStatus.Resolved));
        Assert.False(query.WantsResolved);
    }

    [Theory]
    [InlineData("sort", "size")]
    [InlineData("desc", "maybe")]
    [InlineData("top", "0")]
    [InlineData("top", "1001")]
    [InlineData("skip", "-1")]
    [InlineData("minAgeDays", "-2")]
    [InlineData("maxAgeDays", "NaN")]
    [InlineData("status", "deleted")]
    public void From_ValueNotUnderstood_Error(string key, string value)
    {
        (AlertListQuery? query, string? error) = Parse((key, value));

        Assert.Null(query);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void From_StatusResolved_AsksGraphForEveryAlert()
    {
        AlertListQuery query = Parse(("status", "resolved,active")).Query!;

        Assert.True(query.WantsResolved);
        Assert.True(query.StatusMatches(AlertStatus.Resolved));
        Assert.False(query.StatusMatches(AlertStatus.Investigating));
    }
}
