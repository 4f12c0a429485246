using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Dashboard;

/// <summary>Settings of the dashboard tab's API (<c>Dashboard</c> section), validated at start.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// The Entra authority whose tokens the API accepts; empty = <c>{AzureAd:Instance}{AzureAd:TenantId}/v2.0</c>
    /// (<c>https://login.microsoftonline.com/&lt;tenant&gt;/v2.0</c>).
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>OpenID metadata of the authority (signing keys); empty = <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// Accepted token issuers; empty = the partner tenant's v2 issuer (<see cref="Authority"/>) and its v1
    /// issuer <c>https://sts.windows.net/&lt;tenant&gt;/</c>.
    /// </summary>
    public List<string> ValidIssuers { get; set; } = [];

    /// <summary>How long the list of alerts read from Graph is reused before Graph is asked again (a change the bot sees clears it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan AlertListCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the partner security score read from Graph is reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ScoreCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Live event streams (<c>GET /api/dashboard/events</c>) one instance serves at once; more get 503.</summary>
    [Range(1, 10_000)]
    public int MaxEventStreams { get; set; } = 200;

    /// <summary>Events buffered per stream for a slow reader; beyond it the oldest are dropped (the page reloads on a gap).</summary>
    [Range(8, 10_000)]
    public int EventBufferPerStream { get; set; } = 256;

    /// <summary>How often a stream sends a <c>: ping</c> comment.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most alert ids one bulk request may name (at most the bulk selection's 1,000).</summary>
    [Range(1, 1000)]
    public int MaxBulkAlerts { get; set; } = 1000;

    /// <summary>How many first verdicts the time-to-verdict index keeps (the oldest go first).</summary>
    [Range(10, 1_000_000)]
    public int VerdictIndexCap { get; set; } = 20_000;

    /// <summary>How long a first verdict stays in the time-to-verdict index.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "730.00:00:00")]
    public TimeSpan VerdictRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How many weeks of time-to-verdict the score endpoint shows.</summary>
    [Range(1, 104)]
    public int ScoreWeeks { get; set; } = 12;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach ((string name, string? value) in new[] { (nameof(Authority), Authority), (nameof(MetadataAddress), MetadataAddress) })
        {
            if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"{SectionName}:{name} must be an absolute https URL (got '{value}').", [name]);
            }
        }
    }
}
