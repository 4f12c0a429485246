using System.Globalization;
using System.Text.RegularExpressions;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Core.Commands;

/// <summary>Which statuses the <c>alerts</c> command lists.</summary>
public enum AlertListStatus
{
    /// <summary>Active or investigating (the default).</summary>
    Open,

    Active,

    Investigating,

    /// <summary>Any status, resolved included.</summary>
    All,
}

/// <summary>What went wrong parsing the <c>alerts</c> arguments.</summary>
public enum AlertListErrorKind
{
    TooLong,
    UnknownWord,
    Duplicate,
    MissingValue,
    BadAge,
    BadPage,
    BadType,
    BadCustomer,
}

/// <summary>A parse error and the text it is about.</summary>
public sealed record AlertListError(AlertListErrorKind Kind, string Token);

/// <summary>
/// The arguments of <c>alerts [open | active | investigating | all] [customer X] [type Y]
/// [older than 24h] [page N]</c>, English or Japanese (<c>未対応</c>, <c>アクティブ</c>, <c>調査中</c>,
/// <c>すべて</c>, <c>顧客 X</c>, <c>種類 Y</c>, <c>24時間以上</c>, <c>3日以上</c>, <c>ページ N</c>).
/// </summary>
public sealed partial record AlertListRequest
{
    /// <summary>The highest page number accepted.</summary>
    public const int MaxPage = 1000;

    /// <summary>The longest age accepted.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(365);

    /// <summary>The longest alert type filter.</summary>
    public const int MaxTypeLength = 64;

    /// <summary>How far back <c>alerts all</c> reads (open alerts are listed whatever their age).</summary>
    public static readonly TimeSpan AllLookback = TimeSpan.FromDays(90);

    public AlertListStatus Status { get; init; } = AlertListStatus.Open;

    /// <summary>A tenant id, domain or name, as typed (resolved by the caller).</summary>
    public string? Customer { get; init; }

    /// <summary>Part of the alert type (letters and digits compared, case-insensitively).</summary>
    public string? AlertType { get; init; }

    /// <summary>Only alerts detected at least this long ago.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Parses the arguments; exactly one of the two results is set.</summary>
    public static (AlertListRequest? Request, AlertListError? Error) Parse(string? arguments)
    {
        string text = TypedText.Normalize(arguments).Trim();
        if (text.Length > QueryInput.MaxArgumentsLength)
        {
            return (null, new AlertListError(AlertListErrorKind.TooLong, text.Length.ToString(CultureInfo.InvariantCulture)));
        }

        string[] tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var request = new AlertListRequest();
        HashSet<string> seen = new(StringComparer.Ordinal);
        int i = 0;
        while (i < tokens.Length)
        {
            string token = tokens[i];
            string word = token.ToLowerInvariant();
            if (StatusWord(word) is { } status)
            {
                if (!seen.Add("status"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                request = request with { Status = status };
                i++;
            }
            else if (word is "customer" or "顧客")
            {
                if (!seen.Add("customer"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                int end = i + 1;
                while (end < tokens.Length && !IsKeyword(tokens, end))
                {
                    end++;
                }

                if (end == i + 1)
                {
                    return Fail(AlertListErrorKind.MissingValue, token);
                }

                string customer = string.Join(' ', tokens[(i + 1)..end]);
                if (QueryInput.Check(customer) != QueryInputError.None)
                {
                    return Fail(AlertListErrorKind.BadCustomer, customer);
                }

                request = request with { Customer = customer };
                i = end;
            }
            else if (word is "type" or "種類")
            {
                if (!seen.Add("type"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                if (i + 1 >= tokens.Length || IsKeyword(tokens, i + 1))
                {
                    return Fail(AlertListErrorKind.MissingValue, token);
                }

                string type = tokens[i + 1];
                if (type.Length > MaxTypeLength || !TypePattern().IsMatch(type))
                {
                    return Fail(AlertListErrorKind.BadType, type);
                }

                request = request with { AlertType = type };
                i += 2;
            }
            else if (word is "older" or "older-than")
            {
                if (!seen.Add("older"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                int next = i + 1;
                if (next < tokens.Length && tokens[next].Equals("than", StringComparison.OrdinalIgnoreCase))
                {
                    next++;
                }

                if (next >= tokens.Length)
                {
                    return Fail(AlertListErrorKind.MissingValue, token);
                }

                // "24h", or "24 hours" as two tokens.
                string age = tokens[next];
                if (next + 1 < tokens.Length && DigitsPattern().IsMatch(age) && UnitWord(tokens[next + 1]) is not null)
                {
                    age += tokens[next + 1];
                    next++;
                }

                if (ParseEnglishAge(age) is not { } older)
                {
                    return Fail(AlertListErrorKind.BadAge, age);
                }

                request = request with { OlderThan = older };
                i = next + 1;
            }
            else if (JapaneseAgePattern().Match(token) is { Success: true } japanese)
            {
                if (!seen.Add("older"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                if (Age(japanese.Groups["n"].Value, japanese.Groups["unit"].Value == "日" ? 24 : 1) is not { } older)
                {
                    return Fail(AlertListErrorKind.BadAge, token);
                }

                request = request with { OlderThan = older };
                i++;
            }
            else if (word is "page" or "ページ")
            {
                if (!seen.Add("page"))
                {
                    return Fail(AlertListErrorKind.Duplicate, token);
                }

                if (i + 1 >= tokens.Length)
                {
                    return Fail(AlertListErrorKind.MissingValue, token);
                }

                string number = tokens[i + 1];
                if (!DigitsPattern().IsMatch(number) || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int page) || page < 1 || page > MaxPage)
                {
                    return Fail(AlertListErrorKind.BadPage, number);
                }

                request = request with { Page = page };
                i += 2;
            }
            else
            {
                return Fail(AlertListErrorKind.UnknownWord, token);
            }
        }

        return (request, null);
    }

    /// <summary>
    /// The same request as English arguments (what a button re-runs), e.g.
    /// <c>investigating customer 6a1d… type VM older than 24h page 2</c>.
    /// </summary>
    public string ToArguments()
    {
        List<string> parts = [Status.ToString().ToLowerInvariant()];
        if (Customer is { } customer)
        {
            parts.Add("customer " + customer);
        }

        if (AlertType is { } type)
        {
            parts.Add("type " + type);
        }

        if (OlderThan is { } older)
        {
            parts.Add("older than " + AgeArgument(older));
        }

        if (Page != 1)
        {
            parts.Add("page " + Page.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(' ', parts);
    }

    /// <summary>Whole days from two days up as <c>Nd</c>, anything else as whole hours <c>Nh</c> (24h stays 24h).</summary>
    public static string AgeArgument(TimeSpan age) =>
        age.Ticks % TimeSpan.TicksPerDay == 0 && age >= TimeSpan.FromDays(2)
            ? ((int)age.TotalDays).ToString(CultureInfo.InvariantCulture) + "d"
            : ((int)Math.Ceiling(age.TotalHours)).ToString(CultureInfo.InvariantCulture) + "h";

    /// <summary>
    /// Whether the list shows the alert at <paramref name="now"/> (on some page): its status, customer
    /// (a tenant id; ids compare as GUIDs when both are), type and age. The command reads Graph with
    /// the status part as a query; this is the whole test, so a bulk action covers exactly the list.
    /// </summary>
    public bool Matches(PartnerSecurityAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        bool status = Status switch
        {
            AlertListStatus.Active => alert.Status == AlertStatus.Active,
            AlertListStatus.Investigating => alert.Status == AlertStatus.Investigating,
            AlertListStatus.All => alert.DetectedDateTime is { } detected && detected >= now - AllLookback,
            _ => alert.IsOpen,
        };
        return status
            && (Customer is null || SameId(alert.CustomerTenantId, Customer))
            && MatchesType(alert.AlertType)
            && (OlderThan is not { } older || (alert.DetectedDateTime is { } at && at <= now - older));
    }

    private static bool SameId(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        return Guid.TryParse(left.Trim(), out Guid l) && Guid.TryParse(right.Trim(), out Guid r)
            ? l == r
            : string.Equals(left.Trim(), right.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the alert type contains <see cref="AlertType"/>, comparing letters and digits only, ignoring case.</summary>
    public bool MatchesType(string? alertType) =>
        AlertType is null || (alertType is not null && Letters(alertType).Contains(Letters(AlertType), StringComparison.Ordinal));

    private static string Letters(string text) =>
        string.Concat(text.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static AlertListStatus? StatusWord(string word) => word switch
    {
        "open" or "未対応" or "オープン" => AlertListStatus.Open,
        "active" or "アクティブ" => AlertListStatus.Active,
        "investigating" or "調査中" => AlertListStatus.Investigating,
        "all" or "すべて" or "全て" => AlertListStatus.All,
        _ => null,
    };

    private static bool IsKeyword(string[] tokens, int index)
    {
        string word = tokens[index].ToLowerInvariant();
        return StatusWord(word) is not null
            || word is "customer" or "顧客" or "type" or "種類" or "older" or "older-than" or "page" or "ページ"
            || JapaneseAgePattern().IsMatch(tokens[index]);
    }

    private static int? UnitWord(string unit) => unit.ToLowerInvariant() switch
    {
        "h" or "hour" or "hours" => 1,
        "d" or "day" or "days" => 24,
        _ => null,
    };

    private static TimeSpan? ParseEnglishAge(string text)
    {
        Match match = EnglishAgePattern().Match(text);
        return match.Success && UnitWord(match.Groups["unit"].Value) is { } hours ? Age(match.Groups["n"].Value, hours) : null;
    }

    private static TimeSpan? Age(string digits, int hoursPerUnit)
    {
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxAge.TotalHours)
        {
            return null;
        }

        TimeSpan age = TimeSpan.FromHours((double)n * hoursPerUnit);
        return age <= MaxAge ? age : null;
    }

    private static (AlertListRequest?, AlertListError?) Fail(AlertListErrorKind kind, string token) =>
        (null, new AlertListError(kind, token));

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TypePattern();

    [GeneratedRegex("^[0-9]{1,9}$")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex("^(?<n>[0-9]{1,9})(?<unit>h|hours?|d|days?)$", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishAgePattern();

    [GeneratedRegex("^(?<n>[0-9]{1,9})(?<unit>時間|日)以上前?$")]
    private static partial Regex JapaneseAgePattern();
}
