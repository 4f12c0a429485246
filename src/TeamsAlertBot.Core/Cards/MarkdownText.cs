using System.Text;

namespace TeamsAlertBot.Core.Cards;

/// <summary>
/// Text the bot does not control (names, comments, titles, what someone typed) made safe to put into
/// markdown — a message, or a TextBlock that must stay one (a heading). Prefer a
/// <see cref="TextRun"/> in cards, which Teams never reads as markdown.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// <paramref name="text"/> on one line, with everything markdown or Teams' HTML would act on
    /// backslash-escaped: links and images (<c>[ ]</c>), emphasis and code (<c>* _ ~ `</c>), tags such as a
    /// fake <c>&lt;at&gt;</c> mention (<c>&lt; &gt;</c>), entities (<c>&amp;</c>), and at its start what would
    /// open a heading, a list or a quote.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Line breaks would start blocks (headings, lists, quotes, code) in the middle of a message.
        string line = text.ReplaceLineEndings(" ");
        var escaped = new StringBuilder(line.Length + 8);
        int digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            bool opensBlock = (i == 0 && c is '#' or '-' or '+' or '=') || (i == digits && digits > 0 && c is '.' or ')');
            if (opensBlock || c is '\\' or '[' or ']' or '*' or '_' or '`' or '~' or '<' or '>' or '&' or '|')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
