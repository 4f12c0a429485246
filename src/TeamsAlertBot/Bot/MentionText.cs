using System.Net;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.Bot;

/// <summary>Removes the bot's own @mention from a message's text.</summary>
public static class MentionText
{
    /// <summary>
    /// The text without every <c>&lt;at&gt;…&lt;/at&gt;</c> span that mentions the recipient
    /// (ids compared with and without Teams' <c>28:</c> prefix), HTML entities decoded, trimmed.
    /// </summary>
    public static string StripBotMention(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string text = activity.Text ?? string.Empty;
        string? botId = activity.Recipient?.Id;
        foreach (Entity? entity in activity.Entities ?? [])
        {
            if (entity?.Type == "mention"
                && entity.Text is { Length: > 0 } mention
                && SameAccount(entity.Mentioned?.Id, botId))
            {
                text = text.Replace(mention, " ", StringComparison.Ordinal);
            }
        }

        return WebUtility.HtmlDecode(text).Replace('\u00a0', ' ').Trim();
    }

    private static bool SameAccount(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);

    private static string Bare(string id) => id.StartsWith("28:", StringComparison.Ordinal) ? id[3..] : id;
}
