using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Tests.Queries;

/// <summary>The query texts' helpers (completeness and placeholders: <see cref="Localization.TextCatalogTests"/>).</summary>
public sealed class QueryTextsTests
{
    [Theory]
    [InlineData("ja-JP", "ja")]
    [InlineData("ja", "ja")]
    [InlineData("en-US", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData(null, "en")]
    public void For_Locale_Catalog(string? locale, string expected)
    {
        Assert.Equal(expected, QueryTexts.For(locale).Language);
    }

    [Theory]
    [InlineData(1, "1 seconds", "1 秒")]
    [InlineData(30, "30 seconds", "30 秒")]
    [InlineData(90, "90 seconds", "90 秒")]
    [InlineData(600, "10 minutes", "10 分")]
    [InlineData(86400, "24 hours", "24 時間")]
    [InlineData(2 * 86400, "2 days", "2 日")]
    [InlineData(36 * 3600, "36 hours", "36 時間")]
    public void Duration_RoundsUpInTheReadersLanguage(int seconds, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.Duration(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(ja, QueryTexts.Ja.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("reseller", "Reseller", "リセラー")]
    [InlineData("MICROSOFT_SUPPORT", "Microsoft support", "Microsoft サポート")]
    [InlineData("somethingNew", "somethingNew", "somethingNew")]
    [InlineData(null, "unknown", "不明")]
    public void Relationship_KnownAndUnknownValues(string? value, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.Relationship(value));
        Assert.Equal(ja, QueryTexts.Ja.Relationship(value));
    }

    [Theory]
    [InlineData("Legitimate", "Legitimate", "正当")]
    [InlineData("investigating", "Investigating", "調査中")]
    [InlineData("CancelAzureSubscription", "Azure subscription cancelled", "Azure サブスクリプションの取り消し")]
    [InlineData("SomethingNew", "SomethingNew", "SomethingNew")]
    public void HistoryAction_StoredWordInTheReadersLanguage(string stored, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.HistoryAction(stored));
        Assert.Equal(ja, QueryTexts.Ja.HistoryAction(stored));
    }

    [Theory]
    [InlineData("applied", "recorded in Microsoft's system", "Microsoft のシステムに記録済み")]
    [InlineData("graph-failed", "Microsoft's system did not record it", "Microsoft のシステムに記録できませんでした")]
    [InlineData("accepted", "accepted by Partner Center", "Partner Center が受け付けました")]
    [InlineData("partner-center-failed: HTTP 403 (900108)", "Partner Center did not do it (HTTP 403 (900108))", "Partner Center で実行されませんでした (HTTP 403 (900108))")]
    [InlineData("partner-center-failed: no answer", "Partner Center did not do it (no answer)", "Partner Center で実行されませんでした (応答なし)")]
    [InlineData("custom", "custom", "custom")]
    public void HistoryOutcome_StoredWordInTheReadersLanguage(string stored, string en, string ja)
    {
        Assert.Equal(en, QueryTexts.En.HistoryOutcome(stored));
        Assert.Equal(ja, QueryTexts.Ja.HistoryOutcome(stored));
    }
}
