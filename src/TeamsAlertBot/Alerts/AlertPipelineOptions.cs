using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Alerts;

/// <summary>Settings of the alert pipeline (<c>Alerts</c> section).</summary>
public sealed class AlertPipelineOptions
{
    public const string SectionName = "Alerts";

    /// <summary>
    /// Run the poller and dispatcher. Unset: on when the bot has an app identity (AzureAd:ClientId).
    /// They always need Redis; without it they stay off and say so at start.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often Microsoft Graph is asked for alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How far before the last poll an alert's detection time may lie and still count as new:
    /// Graph can show an alert later than it was detected.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan OverlapWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>On the very first poll, alerts detected this long ago still count as new; older open ones are left to the backfill.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "60.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the poller lease lasts without renewal; another instance takes over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a work item may stay unacknowledged before another dispatcher reclaims it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan ReclaimAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for work when the stream is idle.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan DispatchIdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first sight of an alert is remembered (longer than any alert stays open).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan SeenRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>More new alerts than this for one customer within <see cref="StormWindow"/> form a storm.</summary>
    [Range(1, 1000)]
    public int StormThreshold { get; set; } = 5;

    /// <summary>The window of <see cref="StormThreshold"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StormWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Alerts per page when a subscriber posts the backfill.</summary>
    [Range(1, 50)]
    public int BackfillPageSize { get; set; } = 10;

    /// <summary>Time zone the cards show times in (IANA or Windows id).</summary>
    [Required]
    public string DisplayTimeZone { get; set; } = "UTC";
}
