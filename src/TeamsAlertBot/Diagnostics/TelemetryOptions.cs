using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Diagnostics;

/// <summary>Settings of the bot's own telemetry (<c>Telemetry</c> section); exporters use the OTEL_* and APPLICATIONINSIGHTS_* settings.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>How often the queued work is counted for the backlog gauge (one Redis read per work stream).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Telemetry:BacklogInterval must be between 100 ms and 1 hour.")]
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(30);
}
