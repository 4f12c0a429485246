using System.Text;

namespace TeamsAlertBot.Core.Commands;

/// <summary>What people type, made safe to compare: compatibility-normalised (full-width letters match).</summary>
public static class TypedText
{
    /// <summary>
    /// <paramref name="text"/> in normalisation form KC. Code points normalisation refuses — the
    /// noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …) and unpaired surrogates — become U+FFFD
    /// first: a message holding one is still a message, not a reason to fail the turn.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? cleaned = null;
        for (int i = 0; i < text.Length; i++)
        {
            bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            int codePoint = pair ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            bool refused = (char.IsSurrogate(text[i]) && !pair) || IsNoncharacter(codePoint);
            if (refused && cleaned is null)
            {
                cleaned = new StringBuilder(text.Length).Append(text, 0, i);
            }

            if (cleaned is not null)
            {
                if (refused)
                {
                    cleaned.Append('\uFFFD');
                }
                else
                {
                    cleaned.Append(text, i, pair ? 2 : 1);
                }
            }

            if (pair)
            {
                i++;
            }
        }

        return (cleaned?.ToString() ?? text).Normalize(NormalizationForm.FormKC);
    }

    /// <summary>At most <paramref name="maxLength"/> characters, never ending in half of a surrogate pair.</summary>
    public static string Cut(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        int cut = maxLength > 0 && char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..cut];
    }

    private static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
}
