using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Alerts;

/// <summary>Settings of the alert pipeline (<c>Alerts</c> section).</summary>
public sealed class AlertPipelineOptions : IValidatableObject
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

    /// <summary>
    /// How long work may go without a sign of life from its dispatcher before another takes it over (a
    /// running dispatcher renews its hold every third of this), and the shortest wait before a retry.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan ReclaimAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for work when the stream is idle.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan DispatchIdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an alert's state (first sight, cards, triage record, mitigation, audit trail) is kept
    /// after the alert was last seen open or last changed. Long enough for the 60-day summary and audits.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan StateRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Retries and dead letters of card delivery.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>
    /// A conversation (e.g. an operations channel) that gets the notices about dead letters instead of
    /// the conversation whose delivery failed; it must be one the bot is installed in.
    /// </summary>
    public string? OperationsConversationId { get; set; }

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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        List<ValidationResult> results = [];
        Validator.TryValidateObject(Delivery, new ValidationContext(Delivery), results, validateAllProperties: true);
        foreach (ValidationResult result in results)
        {
            yield return new ValidationResult($"{SectionName}:Delivery: {result.ErrorMessage}", [.. result.MemberNames.Select(m => $"{nameof(Delivery)}.{m}")]);
        }

        if (Delivery.RetryDelay > Delivery.MaxRetryDelay)
        {
            yield return new ValidationResult(
                $"{SectionName}:Delivery:RetryDelay ({Delivery.RetryDelay}) must not be longer than {SectionName}:Delivery:MaxRetryDelay ({Delivery.MaxRetryDelay}).",
                [$"{nameof(Delivery)}.{nameof(DeliveryOptions.RetryDelay)}"]);
        }
    }
}

/// <summary>Retries and dead letters of card delivery (<c>Alerts:Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    /// <summary>Attempts of one piece of work (a card into one conversation) before it becomes a dead letter.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles with every further one (never shorter than Alerts:ReclaimAfter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Sends one instance runs at once (each conversation gets one at a time, in order).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;
}
