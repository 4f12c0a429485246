using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Sla;

/// <summary>Settings of the SLA reminders (<c>Sla</c> section).</summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    private static readonly TimeSpan[] DefaultReminders = [TimeSpan.FromHours(4), TimeSpan.FromHours(12)];

    /// <summary>Post reminders. They run only where the alert pipeline runs (they need Graph and Redis).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Reminder thresholds after detection; unset = 4 h and 12 h. Each must be shorter than <see cref="EscalateAfter"/>.</summary>
    public TimeSpan[]? ReminderAfter { get; set; }

    /// <summary>The escalation threshold after detection (the 24-hour response target).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Who a reminder mentions.</summary>
    public List<SlaContact> OnCall { get; } = [];

    /// <summary>Who the escalation mentions; empty = <see cref="OnCall"/>.</summary>
    public List<SlaContact> Escalation { get; } = [];

    /// <summary>How often an instance looks for alerts past a threshold.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one instance's claim on a reminder lasts: if it dies mid-send, another posts it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The reminder thresholds in force, shortest first.</summary>
    public IReadOnlyList<TimeSpan> Reminders => [.. (ReminderAfter is { Length: > 0 } configured ? configured : DefaultReminders).Distinct().Order()];

    /// <summary>Who the escalation mentions in force.</summary>
    public IReadOnlyList<SlaContact> EscalationContacts => Escalation.Count > 0 ? Escalation : OnCall;

    /// <summary>Null when valid, else what is wrong (with the configuration path).</summary>
    public string? Problem()
    {
        if (Reminders.Any(r => r <= TimeSpan.Zero || r >= EscalateAfter))
        {
            return $"{SectionName}:ReminderAfter values must be positive and shorter than {SectionName}:EscalateAfter.";
        }

        foreach ((List<SlaContact> list, string name) in new[] { (OnCall, nameof(OnCall)), (Escalation, nameof(Escalation)) })
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(list[i].Id) || string.IsNullOrWhiteSpace(list[i].Name))
                {
                    return $"{SectionName}:{name}:{i} needs an Id (Entra object id or 29: id) and a Name.";
                }
            }
        }

        return null;
    }
}

/// <summary>A person a reminder mentions.</summary>
public sealed class SlaContact
{
    /// <summary>The user's Entra object id, or their Teams <c>29:</c> id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The name shown in the mention.</summary>
    public string Name { get; set; } = string.Empty;
}
