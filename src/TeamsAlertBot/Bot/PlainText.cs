namespace TeamsAlertBot.Bot;

/// <summary>Text from outside (Teams, Graph, the connector's error messages) made safe for one markdown line.</summary>
public static class PlainText
{
    /// <summary>
    /// One line of <paramref name="text"/> without the characters Teams' markdown or mention tags read as
    /// markup, cut to <paramref name="maxLength"/> characters.
    /// </summary>
    public static string Line(string text, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        string line = new([.. text.ReplaceLineEndings(" ").Where(c => c is not ('*' or '_' or '[' or ']' or '<' or '>' or '`' or '\\' or '#' or '|'))]);
        return line.Length <= maxLength ? line : line[..maxLength] + "…";
    }
}
