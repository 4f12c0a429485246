using System.Globalization;

namespace TeamsAlertBot.Core.Commands;

/// <summary>The commands the bot understands.</summary>
public enum CommandKind
{
    /// <summary>Nothing was typed (only the mention).</summary>
    Empty,

    /// <summary>Not a known command.</summary>
    Unknown,

    Help,
    Subscribe,
    Unsubscribe,
    Status,

    /// <summary>Admins: show or register the Partner Center webhook.</summary>
    Webhook,

    /// <summary><c>customer &lt;tenant id | domain | name&gt;</c>: a customer and its open alerts.</summary>
    Customer,

    /// <summary><c>subscription &lt;id&gt; [customer]</c>: a subscription, its Azure entitlements and open alerts.</summary>
    Subscription,

    /// <summary><c>reseller &lt;customer&gt;</c>: the customer's indirect reseller(s).</summary>
    Reseller,

    /// <summary><c>profile</c>: the partner's organization profile.</summary>
    Profile,

    /// <summary><c>alert &lt;id&gt;</c>: one alert's card with its current state and history.</summary>
    Alert,

    /// <summary><c>alerts [open | investigating] [customer X] [type Y] [older than 24h]</c>: a paged list.</summary>
    Alerts,

    /// <summary><c>summary</c>: the daily digest, on demand.</summary>
    Summary,

    /// <summary><c>support &lt;alert id&gt;</c>: the false-positive support packet of an alert.</summary>
    Support,

    /// <summary>Admins: <c>deadletters</c> lists the alert cards given up on; <c>deadletters retry</c> queues them again.</summary>
    DeadLetters,
}

/// <summary>A parsed command: its kind, the word as typed, and the rest of the text.</summary>
public sealed record BotCommand(CommandKind Kind, string Word, string Arguments)
{
    /// <summary>For an unknown command, the closest known English command word, if any is close.</summary>
    public string? Suggestion { get; init; }
}

/// <summary>
/// Parses what a user typed after the mention. English and Japanese forms are equivalent;
/// full-width letters and case are normalised (NFKC, invariant lower case).
/// </summary>
public static class CommandParser
{
    private static readonly Dictionary<string, CommandKind> Words = new(StringComparer.Ordinal)
    {
        ["help"] = CommandKind.Help,
        ["?"] = CommandKind.Help,
        ["ヘルプ"] = CommandKind.Help,
        ["使い方"] = CommandKind.Help,
        ["subscribe"] = CommandKind.Subscribe,
        ["購読"] = CommandKind.Subscribe,
        ["unsubscribe"] = CommandKind.Unsubscribe,
        ["購読解除"] = CommandKind.Unsubscribe,
        ["status"] = CommandKind.Status,
        ["状態"] = CommandKind.Status,
        ["ステータス"] = CommandKind.Status,
        ["webhook"] = CommandKind.Webhook,
        ["ウェブフック"] = CommandKind.Webhook,
        ["customer"] = CommandKind.Customer,
        ["顧客"] = CommandKind.Customer,
        ["subscription"] = CommandKind.Subscription,
        ["サブスクリプション"] = CommandKind.Subscription,
        ["reseller"] = CommandKind.Reseller,
        ["リセラー"] = CommandKind.Reseller,
        ["再販業者"] = CommandKind.Reseller,
        ["profile"] = CommandKind.Profile,
        ["プロファイル"] = CommandKind.Profile,
        ["alert"] = CommandKind.Alert,
        ["アラート"] = CommandKind.Alert,
        ["alerts"] = CommandKind.Alerts,
        ["アラート一覧"] = CommandKind.Alerts,
        ["summary"] = CommandKind.Summary,
        ["サマリー"] = CommandKind.Summary,
        ["概要"] = CommandKind.Summary,
        ["support"] = CommandKind.Support,
        ["サポート"] = CommandKind.Support,
        ["deadletters"] = CommandKind.DeadLetters,
        ["配信失敗"] = CommandKind.DeadLetters,
    };

    /// <summary>The English command words, in the order help lists them.</summary>
    public static IReadOnlyList<(string Word, string JapaneseWord, CommandKind Kind)> Catalog { get; } =
    [
        ("help", "ヘルプ", CommandKind.Help),
        ("subscribe", "購読", CommandKind.Subscribe),
        ("unsubscribe", "購読解除", CommandKind.Unsubscribe),
        ("status", "状態", CommandKind.Status),
        ("customer", "顧客", CommandKind.Customer),
        ("subscription", "サブスクリプション", CommandKind.Subscription),
        ("reseller", "リセラー", CommandKind.Reseller),
        ("profile", "プロファイル", CommandKind.Profile),
        ("alert", "アラート", CommandKind.Alert),
        ("alerts", "アラート一覧", CommandKind.Alerts),
        ("summary", "サマリー", CommandKind.Summary),
        ("support", "サポート", CommandKind.Support),
        ("webhook", "ウェブフック", CommandKind.Webhook),
        ("deadletters", "配信失敗", CommandKind.DeadLetters),
    ];

    private const int MaxTypoLength = 32;

    /// <summary>Parses <paramref name="text"/> (mentions already removed).</summary>
    public static BotCommand Parse(string? text)
    {
        string normalized = TypedText.Normalize(text).Trim();
        if (normalized.Length == 0)
        {
            return new BotCommand(CommandKind.Empty, string.Empty, string.Empty);
        }

        int space = normalized.IndexOfAny([' ', '\t', '\n', '\r']);
        string word = space < 0 ? normalized : normalized[..space];
        string rest = space < 0 ? string.Empty : normalized[(space + 1)..].Trim();
        string key = word.ToLower(CultureInfo.InvariantCulture).TrimStart('/');
        if (Words.TryGetValue(key, out CommandKind kind))
        {
            return new BotCommand(kind, word, rest);
        }

        return new BotCommand(CommandKind.Unknown, word, rest) { Suggestion = Suggest(key) };
    }

    private static string? Suggest(string typed)
    {
        // Far longer than any command word is no typo of one; the edit distance is quadratic.
        if (typed.Length > MaxTypoLength)
        {
            return null;
        }

        string? best = null;
        int bestDistance = int.MaxValue;
        foreach ((string candidate, _, _) in Catalog)
        {
            int distance = Levenshtein(typed, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Close enough to be a typo: at most a third of the word wrong.
        return best is not null && bestDistance <= Math.Max(1, best.Length / 3) ? best : null;
    }

    /// <summary>Edit distance counting a swap of two adjacent letters as one edit (optimal string alignment).</summary>
    private static int Levenshtein(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
