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
}
