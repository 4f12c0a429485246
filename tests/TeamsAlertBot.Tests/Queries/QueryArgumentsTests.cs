using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Tests.Queries;

/// <summary>The arguments of <c>alerts</c> (English and Japanese) and the checks of every query argument.</summary>
public sealed class QueryArgumentsTests
{
    [Fact]
    public void Parse_Nothing_OpenAlertsFirstPage()
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse("  ");

        Assert.Null(error);
        Assert.Equal(new AlertListRequest(), request);
        Assert.Equal(AlertListStatus.Open, request!.Status);
        Assert.Equal(1, request.Page);
    }

    [Theory]
    [InlineData("open", AlertListStatus.Open)]
    [InlineData("OPEN", AlertListStatus.Open)]
    [InlineData("active", AlertListStatus.Active)]
    [InlineData("investigating", AlertListStatus.Investigating)]
    [InlineData("all", AlertListStatus.All)]
    [InlineData("未対応", AlertListStatus.Open)]
    [InlineData("アクティブ", AlertListStatus.Active)]
    [InlineData("調査中", AlertListStatus.Investigating)]
    [InlineData("すべて", AlertListStatus.All)]
    public void Parse_StatusWord_SetsStatus(string text, AlertListStatus expected)
    {
        (AlertListRequest? request, _) = AlertListRequest.Parse(text);

        Assert.Equal(expected, request!.Status);
    }

    [Fact]
    public void Parse_EveryEnglishOption_AllSet()
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse("investigating customer Contoso Japan type VM_Anomalous older than 24h page 3");

        Assert.Null(error);
        Assert.Equal(AlertListStatus.Investigating, request!.Status);
        Assert.Equal("Contoso Japan", request.Customer);
        Assert.Equal("VM_Anomalous", request.AlertType);
        Assert.Equal(TimeSpan.FromHours(24), request.OlderThan);
        Assert.Equal(3, request.Page);
    }

    [Fact]
    public void Parse_EveryJapaneseOption_AllSet()
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse("調査中 顧客 コントソ株式会社 種類 CryptoMining 3日以上 ページ 2");

        Assert.Null(error);
        Assert.Equal(AlertListStatus.Investigating, request!.Status);
        Assert.Equal("コントソ株式会社", request.Customer);
        Assert.Equal("CryptoMining", request.AlertType);
        Assert.Equal(TimeSpan.FromDays(3), request.OlderThan);
        Assert.Equal(2, request.Page);
    }

    [Theory]
    [InlineData("older than 24h", 24)]
    [InlineData("older than 24 hours", 24)]
    [InlineData("older 2d", 48)]
    [InlineData("older than 1 day", 24)]
    [InlineData("older-than 36H", 36)]
    [InlineData("24時間以上", 24)]
    [InlineData("24時間以上前", 24)]
    [InlineData("2日以上", 48)]
    [InlineData("２４時間以上", 24)]
    public void Parse_Age_EveryForm(string text, int hours)
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse(text);

        Assert.Null(error);
        Assert.Equal(TimeSpan.FromHours(hours), request!.OlderThan);
    }

    [Theory]
    [InlineData("frobnicate", AlertListErrorKind.UnknownWord, "frobnicate")]
    [InlineData("open open", AlertListErrorKind.Duplicate, "open")]
    [InlineData("open 調査中", AlertListErrorKind.Duplicate, "調査中")]
    [InlineData("customer", AlertListErrorKind.MissingValue, "customer")]
    [InlineData("customer type VM", AlertListErrorKind.MissingValue, "customer")]
    [InlineData("type", AlertListErrorKind.MissingValue, "type")]
    [InlineData("older than", AlertListErrorKind.MissingValue, "older")]
    [InlineData("older than soon", AlertListErrorKind.BadAge, "soon")]
    [InlineData("older than 0h", AlertListErrorKind.BadAge, "0h")]
    [InlineData("older than 366d", AlertListErrorKind.BadAge, "366d")]
    [InlineData("older than 24h older than 2d", AlertListErrorKind.Duplicate, "older")]
    [InlineData("0時間以上", AlertListErrorKind.BadAge, "0時間以上")]
    [InlineData("page 0", AlertListErrorKind.BadPage, "0")]
    [InlineData("page -1", AlertListErrorKind.BadPage, "-1")]
    [InlineData("page 1001", AlertListErrorKind.BadPage, "1001")]
    [InlineData("page two", AlertListErrorKind.BadPage, "two")]
    [InlineData("ページ", AlertListErrorKind.MissingValue, "ページ")]
    [InlineData("type VM'); DROP TABLE", AlertListErrorKind.BadType, "VM');")]
    [InlineData("customer <script>alert(1)</script>", AlertListErrorKind.BadCustomer, "<script>alert(1)</script>")]
    [InlineData("customer Contoso\"}, {\"Field\":\"Domain", AlertListErrorKind.BadCustomer, "Contoso\"}, {\"Field\":\"Domain")]
    [InlineData("customer $(rm -rf)", AlertListErrorKind.BadCustomer, "$(rm -rf)")]
    public void Parse_BadInput_ErrorNamesTheProblem(string text, AlertListErrorKind kind, string token)
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse(text);

        Assert.Null(request);
        Assert.Equal(new AlertListError(kind, token), error);
    }

    [Fact]
    public void Parse_AbsurdLength_TooLong()
    {
        (AlertListRequest? request, AlertListError? error) = AlertListRequest.Parse("customer " + new string('a', 400));

        Assert.Null(request);
        Assert.Equal(AlertListErrorKind.TooLong, error!.Kind);
    }

    [Fact]
    public void Parse_CustomerNameTooLong_BadCustomer()
    {
        (_, AlertListError? error) = AlertListRequest.Parse("customer " + new string('a', QueryInput.MaxLength + 1));

        Assert.Equal(AlertListErrorKind.BadCustomer, error!.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("open")]
    [InlineData("investigating customer 6a1d2c3b-0000-4000-8000-00000000c001 type VM older than 24h page 2")]
    [InlineData("all older than 3d")]
    [InlineData("active customer Contoso Japan page 7")]
    public void ToArguments_ParsedAgain_SameRequest(string text)
    {
        AlertListRequest request = AlertListRequest.Parse(text).Request!;

        Assert.Equal(request, AlertListRequest.Parse(request.ToArguments()).Request);
    }

    [Fact]
    public void ToArguments_JapaneseRequest_CanonicalEnglish()
    {
        AlertListRequest request = AlertListRequest.Parse("調査中 24時間以上 ページ 2").Request!;

        Assert.Equal("investigating older than 24h page 2", request.ToArguments());
    }

    [Theory]
    [InlineData("VM", "VM_AnomalousDeployment", true)]
    [InlineData("vmanomalous", "VM_AnomalousDeployment", true)]
    [InlineData("crypto", "networkConnectionsToCryptoMiningPools", true)]
    [InlineData("crypto_mining", "networkConnectionsToCryptoMiningPools", true)]
    [InlineData("ARM", "VM_AnomalousDeployment", false)]
    [InlineData("VM", null, false)]
    public void MatchesType_LettersAndDigitsIgnoringCase(string filter, string? alertType, bool expected)
    {
        var request = new AlertListRequest { AlertType = filter };

        Assert.Equal(expected, request.MatchesType(alertType));
    }

    [Theory]
    [InlineData("contoso.onmicrosoft.com", QueryInputError.None)]
    [InlineData("6a1d2c3b-0000-4000-8000-00000000c001", QueryInputError.None)]
    [InlineData("Contoso & Sons (Japan), Ltd.", QueryInputError.None)]
    [InlineData("O'Brien Consulting", QueryInputError.None)]
    [InlineData("コントソ株式会社", QueryInputError.None)]
    [InlineData("Café Müller", QueryInputError.None)]
    [InlineData("", QueryInputError.Missing)]
    [InlineData("   ", QueryInputError.Missing)]
    [InlineData("<b>Contoso</b>", QueryInputError.InvalidCharacters)]
    [InlineData("Contoso\"}", QueryInputError.InvalidCharacters)]
    [InlineData("a;b", QueryInputError.InvalidCharacters)]
    [InlineData("[x](https://evil.example)", QueryInputError.InvalidCharacters)]
    [InlineData("line\nbreak", QueryInputError.InvalidCharacters)]
    public void Check_Input_AcceptsNamesRefusesMarkup(string text, QueryInputError expected)
    {
        Assert.Equal(expected, QueryInput.Check(text));
    }

    [Fact]
    public void Check_AbsurdLength_TooLong()
    {
        Assert.Equal(QueryInputError.TooLong, QueryInput.Check(new string('a', QueryInput.MaxLength + 1)));
        Assert.Equal(QueryInputError.None, QueryInput.Check(new string('a', QueryInput.MaxLength)));
    }

    [Fact]
    public void Refused_ListsEachBadCharacterOnceAndControlsByCode()
    {
        Assert.Equal("< > U+000A", QueryInput.Refused("<a>\n<b>"));
    }
}
