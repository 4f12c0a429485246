using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Demo;

/// <summary>
/// Settings of the embedded demo partner tenant (<c>Demo</c> section): made-up alerts and Partner Center
/// data served in-process instead of Microsoft Graph and Partner Center, so the bot's main job can be
/// tried without Azure. On in <c>appsettings.Development.json</c>; refused in Production.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Serve the demo tenant instead of Graph and Partner Center; every card says it shows demo data.</summary>
    public bool Enabled { get; set; }

    /// <summary>How often a new demo alert arrives while the bot runs.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan NewAlertInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether <paramref name="config"/> turns the demo tenant on.</summary>
    public static bool IsEnabled(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetValue<bool>($"{SectionName}:{nameof(Enabled)}");
    }
}
