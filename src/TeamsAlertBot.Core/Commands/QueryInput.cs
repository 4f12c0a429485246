using System.Globalization;
using System.Text;

namespace TeamsAlertBot.Core.Commands;

/// <summary>Why a query argument was refused.</summary>
public enum QueryInputError
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Nothing was given.</summary>
    Missing,

    /// <summary>Longer than the limit.</summary>
    TooLong,

    /// <summary>Holds characters no tenant id, domain, company name or alert id has (markup, quotes, shell or query syntax).</summary>
    InvalidCharacters,
}

/// <summary>
/// The checks every query argument passes before it reaches Partner Center or Graph. Arguments are
/// always sent escaped, so this is not what keeps them safe; it turns nonsense into a usage hint
/// instead of a round trip, and keeps markup out of what the bot echoes back.
/// </summary>
public static class QueryInput
{
    /// <summary>The longest customer (tenant id, domain, name) or subscription argument.</summary>
    public const int MaxLength = 100;

    /// <summary>The longest whole argument text of a query command.</summary>
    public const int MaxArgumentsLength = 300;

    /// <summary>Checks one argument: present, at most <paramref name="maxLength"/> characters, only accepted characters.</summary>
    public static QueryInputError Check(string? value, int maxLength = MaxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return QueryInputError.Missing;
        }

        if (value.Length > maxLength)
        {
            return QueryInputError.TooLong;
        }

        return Refused(value).Length > 0 ? QueryInputError.InvalidCharacters : QueryInputError.None;
    }

    /// <summary>The distinct characters of <paramref name="value"/> that are not accepted, for the hint (controls as <c>U+XXXX</c>).</summary>
    public static string Refused(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var refused = new StringBuilder();
        // By code point, so an emoji is named whole instead of as two halves no one can read.
        foreach (Rune c in value.EnumerateRunes().Distinct())
        {
            if (!IsAccepted(c))
            {
                if (refused.Length > 0)
                {
                    refused.Append(' ');
                }

                refused.Append(Rune.IsControl(c) || Rune.IsWhiteSpace(c) ? "U+" + c.Value.ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
            }
        }

        return refused.ToString();
    }

    /// <summary>True for a GUID in any of the usual forms.</summary>
    public static bool IsGuid(string? value) => Guid.TryParse(value?.Trim(), out _);

    private static bool IsAccepted(Rune c) =>
        Rune.IsLetterOrDigit(c)
        || (c.IsBmp && (char)c.Value is ' ' or '.' or '-' or '_' or '&' or '\'' or ',' or '(' or ')' or '@' or '・' or '、' or '。')
        || Rune.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
