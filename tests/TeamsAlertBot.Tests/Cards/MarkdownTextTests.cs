using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Tests.Cards;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("Aiko Tanaka", "Aiko Tanaka")]
    [InlineData("田中 愛子", "田中 愛子")]
    [InlineData("[Pay](https://evil.example)", "\\[Pay\\](https://evil.example)")]
    [InlineData("![img](https://evil.example/x.png)", "!\\[img\\](https://evil.example/x.png)")]
    [InlineData("<at>CEO</at>", "\\<at\\>CEO\\</at\\>")]
    [InlineData("&lt;at&gt;", "\\&lt;at\\&gt;")]
    [InlineData("**bold** _it_ ~x~ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\~x\\~ \\`code\\`")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("# Heading", "\\# Heading")]
    [InlineData("- item", "\\- item")]
    [InlineData("1. item", "1\\. item")]
    [InlineData("Jean-Luc 1.5", "Jean-Luc 1.5")]
    [InlineData("line one\n# line two\r\n> quote", "line one # line two \\> quote")]
    [InlineData("", "")]
    public void Escape_UserText_IsShownAsWritten(string text, string expected)
    {
        Assert.Equal(expected, MarkdownText.Escape(text));
    }
}
