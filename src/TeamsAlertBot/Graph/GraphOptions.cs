using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Graph;

/// <summary>Settings of the Microsoft Graph partner security alert client (<c>Graph</c> section).</summary>
public sealed class GraphOptions : IValidatableObject
{
    public const string SectionName = "Graph";

    /// <summary>
    /// Graph root including the version. The partner security alert API exists only in <c>/beta</c>.
    /// Must be https: the app token is sent to this origin and to no other.
    /// </summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/beta");

    /// <summary>
    /// Graph v1.0 root, where the bot reads back a channel's or chat's messages to learn whether a card
    /// whose send had no clear answer arrived (resource-specific consent: ChannelMessage.Read.Group,
    /// ChatMessage.Read.Chat). Must be https: the app token goes there too.
    /// </summary>
    [Required]
    public Uri V1BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Scope of the app token (client credentials take <c>{resource}/.default</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>Longest wait for one HTTP attempt before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest time one call (one page, one get, one update) may take, retries and
    /// <c>Retry-After</c> waits included.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The longest <c>Retry-After</c> worth waiting for inside one call: the wait plus one more attempt must fit.</summary>
    internal TimeSpan LongestRetryWait => RequestTimeout - AttemptTimeout;

    /// <summary>True when <paramref name="uri"/> has the scheme, host and port of <see cref="BaseUrl"/>.</summary>
    internal bool IsGraphOrigin(Uri uri) =>
        uri.IsAbsoluteUri
        && BaseUrl.IsAbsoluteUri
        && Uri.Compare(uri, BaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary><see cref="BaseUrl"/> without a trailing slash, for building request URLs.</summary>
    internal string Root => BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri || BaseUrl.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult(
                $"{SectionName}:BaseUrl must be an absolute https URL (got '{BaseUrl}'): the app token is only sent over https.",
                [nameof(BaseUrl)]);
        }
        else if (!string.IsNullOrEmpty(BaseUrl.Query) || !string.IsNullOrEmpty(BaseUrl.Fragment) || !string.IsNullOrEmpty(BaseUrl.UserInfo))
        {
            yield return new ValidationResult(
                $"{SectionName}:BaseUrl must be a plain root such as https://graph.microsoft.com/beta, without user info, query or fragment.",
                [nameof(BaseUrl)]);
        }

        if (!V1BaseUrl.IsAbsoluteUri || V1BaseUrl.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(V1BaseUrl.Query) || !string.IsNullOrEmpty(V1BaseUrl.Fragment) || !string.IsNullOrEmpty(V1BaseUrl.UserInfo))
        {
            yield return new ValidationResult(
                $"{SectionName}:V1BaseUrl must be a plain absolute https URL such as https://graph.microsoft.com/v1.0 (got '{V1BaseUrl}').",
                [nameof(V1BaseUrl)]);
        }

        if (AttemptTimeout >= RequestTimeout)
        {
            yield return new ValidationResult(
                $"{SectionName}:AttemptTimeout ({AttemptTimeout}) must be shorter than {SectionName}:RequestTimeout ({RequestTimeout}), which includes the retries.",
                [nameof(AttemptTimeout), nameof(RequestTimeout)]);
        }
    }
}
