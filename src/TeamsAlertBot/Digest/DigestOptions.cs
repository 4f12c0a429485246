using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Digest;

/// <summary>Settings of the daily summary (<c>Digest</c> section).</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Digest";

    /// <summary>Send the daily summary. It runs only where the alert pipeline runs (it needs Graph and Redis).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local wall-clock time of the send, in <see cref="TimeZone"/>.</summary>
    public TimeOnly SendAt { get; set; } = new(8, 30);

    /// <summary>IANA (or Windows) time zone id of <see cref="SendAt"/> and of "yesterday"; empty = Alerts:DisplayTimeZone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Open alerts detected this recently are summarised.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(60);

    /// <summary>How many of the oldest alerts without a verdict are listed.</summary>
    [Range(1, 20)]
    public int TopCount { get; set; } = 5;

    /// <summary>How often an instance looks again (a failed send is retried, a new subscriber picked up).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one instance's claim on a (day, conversation) send lasts: if it dies mid-send, another
    /// instance sends after this. Keep it longer than a send can take (Bot:SendLimits:MaxWait).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);
}
