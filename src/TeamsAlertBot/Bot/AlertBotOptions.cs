using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Bot;

/// <summary>Product settings (<c>TeamsAlertBot</c> section).</summary>
public sealed class AlertBotOptions
{
    public const string SectionName = "TeamsAlertBot";

    /// <summary>Language used when an activity has no locale, or one the bot does not speak: en or ja.</summary>
    [Required]
    [RegularExpression("^(en|ja)$")]
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>
    /// Whether personal and group chats may subscribe to alerts. Off: alert cards carry partner and
    /// customer data, and a chat can hold anyone (guests included) that its members add, while a
    /// team's channel has the team's membership.
    /// </summary>
    public bool AllowAlertsInChats { get; set; }
}
