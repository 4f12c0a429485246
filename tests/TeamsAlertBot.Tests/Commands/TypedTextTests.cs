using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Tests.Commands;

public sealed class TypedTextTests
{
    [Theory]
    [InlineData("help\uFFFE", "help\uFFFD")]
    [InlineData("\uFFFF", "\uFFFD")]
    [InlineData("a\uFDD0b", "a\uFFFDb")]
    [InlineData("\U0001FFFE", "\uFFFD")]
    [InlineData("ｈｅｌｐ \U0001F600", "help \U0001F600")]
    public void Normalize_TextNormalisationRefuses_ReplacesTheRefusedCodePoints(string typed, string expected)
    {
        Assert.Equal(expected, TypedText.Normalize(typed));
    }

    [Theory]
    [InlineData(0xD800)]
    [InlineData(0xDBFF)]
    [InlineData(0xDC00)]
    public void Normalize_UnpairedSurrogate_BecomesReplacementCharacter(int surrogate)
    {
        // Built here: test data strings cannot carry an unpaired surrogate intact.
        string typed = "x" + (char)surrogate + "y";

        Assert.Equal("x\uFFFDy", TypedText.Normalize(typed));
    }

    [Theory]
    [InlineData("ab\U0001F600", 3, "ab")]
    [InlineData("ab\U0001F600", 4, "ab\U0001F600")]
    [InlineData("abc", 2, "ab")]
    [InlineData("abc", 5, "abc")]
    public void Cut_AtAnEmoji_NeverKeepsHalfOfIt(string text, int max, string expected)
    {
        Assert.Equal(expected, TypedText.Cut(text, max));
    }

    [Fact]
    public void Parse_VeryLongUnknownWord_NoSuggestion()
    {
        BotCommand command = CommandParser.Parse(new string('s', 10_000));

        Assert.Equal(CommandKind.Unknown, command.Kind);
        Assert.Null(command.Suggestion);
    }
}
