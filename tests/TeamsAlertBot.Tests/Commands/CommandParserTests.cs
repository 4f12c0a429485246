using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Tests.Commands;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("help", CommandKind.Help)]
    [InlineData("?", CommandKind.Help)]
    [InlineData("subscribe", CommandKind.Subscribe)]
    [InlineData("unsubscribe", CommandKind.Unsubscribe)]
    [InlineData("status", CommandKind.Status)]
    [InlineData("ヘルプ", CommandKind.Help)]
    [InlineData("使い方", CommandKind.Help)]
    [InlineData("購読", CommandKind.Subscribe)]
    [InlineData("購読解除", CommandKind.Unsubscribe)]
    [InlineData("状態", CommandKind.Status)]
    [InlineData("ステータス", CommandKind.Status)]
    [InlineData("customer", CommandKind.Customer)]
    [InlineData("顧客", CommandKind.Customer)]
    [InlineData("subscription", CommandKind.Subscription)]
    [InlineData("サブスクリプション", CommandKind.Subscription)]
    [InlineData("reseller", CommandKind.Reseller)]
    [InlineData("リセラー", CommandKind.Reseller)]
    [InlineData("再販業者", CommandKind.Reseller)]
    [InlineData("profile", CommandKind.Profile)]
    [InlineData("プロファイル", CommandKind.Profile)]
    [InlineData("alert", CommandKind.Alert)]
    [InlineData("アラート", CommandKind.Alert)]
    [InlineData("alerts", CommandKind.Alerts)]
    [InlineData("アラート一覧", CommandKind.Alerts)]
    [InlineData("summary", CommandKind.Summary)]
    [InlineData("support", CommandKind.Support)]
    [InlineData("サポート", CommandKind.Support)]
    [InlineData("サマリー", CommandKind.Summary)]
    [InlineData("概要", CommandKind.Summary)]
    public void Parse_KnownWord_ReturnsItsKind(string text, CommandKind expected)
    {
        BotCommand command = CommandParser.Parse(text);

        Assert.Equal(expected, command.Kind);
        Assert.Equal(string.Empty, command.Arguments);
        Assert.Null(command.Suggestion);
    }

    [Theory]
    [InlineData("HELP")]
    [InlineData("Help")]
    [InlineData("hElP")]
    [InlineData("ＨＥＬＰ")]
    [InlineData("ｈｅｌｐ")]
    [InlineData("/help")]
    [InlineData("/HELP")]
    [InlineData("／ｈｅｌｐ")]
    [InlineData("？")]
    [InlineData("  help  ")]
    [InlineData("\thelp\r\n")]
    public void Parse_CaseWidthOrSlashVariant_IsHelp(string text)
    {
        Assert.Equal(CommandKind.Help, CommandParser.Parse(text).Kind);
    }

    [Fact]
    public void Parse_HalfWidthKatakana_NormalisedToJapaneseWord()
    {
        // ﾍﾙﾌﾟ is the half-width form of ヘルプ; NFKC folds it.
        Assert.Equal(CommandKind.Help, CommandParser.Parse("ﾍﾙﾌﾟ").Kind);
    }

    [Fact]
    public void Parse_FullWidthWord_WordIsNormalised()
    {
        BotCommand command = CommandParser.Parse("ＳＴＡＴＵＳ");

        Assert.Equal(CommandKind.Status, command.Kind);
        Assert.Equal("STATUS", command.Word);
    }

    [Theory]
    [InlineData("subscribe now please", CommandKind.Subscribe, "subscribe", "now please")]
    [InlineData("/status   verbose  ", CommandKind.Status, "/status", "verbose")]
    [InlineData("help\nmore lines here", CommandKind.Help, "help", "more lines here")]
    [InlineData("購読　今すぐ", CommandKind.Subscribe, "購読", "今すぐ")]
    [InlineData("購読解除 #general", CommandKind.Unsubscribe, "購読解除", "#general")]
    public void Parse_WordWithArguments_KeepsArguments(string text, CommandKind kind, string word, string arguments)
    {
        BotCommand command = CommandParser.Parse(text);

        Assert.Equal(kind, command.Kind);
        Assert.Equal(word, command.Word);
        Assert.Equal(arguments, command.Arguments);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("\r\n\t")]
    public void Parse_NothingTyped_IsEmpty(string? text)
    {
        BotCommand command = CommandParser.Parse(text);

        Assert.Equal(CommandKind.Empty, command.Kind);
        Assert.Equal(string.Empty, command.Word);
        Assert.Equal(string.Empty, command.Arguments);
        Assert.Null(command.Suggestion);
    }

    [Theory]
    [InlineData("hlep", "help")]
    [InlineData("halp", "help")]
    [InlineData("subscibe", "subscribe")]
    [InlineData("SUBSCIBE", "subscribe")]
    [InlineData("unsubscrib", "unsubscribe")]
    [InlineData("stauts", "status")]
    [InlineData("statsu", "status")]
    [InlineData("custmer", "customer")]
    [InlineData("subscripton", "subscription")]
    [InlineData("sumary", "summary")]
    [InlineData("alrets", "alerts")]
    public void Parse_Typo_UnknownWithSuggestion(string text, string suggestion)
    {
        BotCommand command = CommandParser.Parse(text);

        Assert.Equal(CommandKind.Unknown, command.Kind);
        Assert.Equal(text, command.Word);
        Assert.Equal(suggestion, command.Suggestion);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("deploy")]
    [InlineData("x")]
    [InlineData("こんにちは")]
    [InlineData("/")]
    public void Parse_WordNotCloseToAnyCommand_UnknownWithoutSuggestion(string text)
    {
        BotCommand command = CommandParser.Parse(text);

        Assert.Equal(CommandKind.Unknown, command.Kind);
        Assert.Null(command.Suggestion);
    }

    [Fact]
    public void Parse_UnknownWordWithArguments_KeepsWordAndArguments()
    {
        BotCommand command = CommandParser.Parse("subscibe to alerts");

        Assert.Equal(CommandKind.Unknown, command.Kind);
        Assert.Equal("subscibe", command.Word);
        Assert.Equal("to alerts", command.Arguments);
        Assert.Equal("subscribe", command.Suggestion);
    }

    [Fact]
    public void Catalog_EveryEntry_ParsesInBothLanguagesToItsKind()
    {
        Assert.NotEmpty(CommandParser.Catalog);
        foreach ((string word, string japaneseWord, CommandKind kind) in CommandParser.Catalog)
        {
            Assert.Equal(kind, CommandParser.Parse(word).Kind);
            Assert.Equal(kind, CommandParser.Parse(japaneseWord).Kind);
        }
    }
}
