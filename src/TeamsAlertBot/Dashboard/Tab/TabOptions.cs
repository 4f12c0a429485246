using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace TeamsAlertBot.Dashboard.Tab;

/// <summary>
/// Settings of the dashboard tab's static page (<c>Dashboard:Tab</c> section): who may frame it and
/// which host origins the page's teams-js accepts besides Microsoft's own list.
/// </summary>
public sealed partial class TabOptions : IValidatableObject
{
    public const string SectionName = "Dashboard:Tab";

    /// <summary>
    /// The Teams, Outlook and Microsoft 365 hosts that may frame a tab (Microsoft's tab guidance for the
    /// <c>frame-ancestors</c> directive); <c>'self'</c> is always added.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultFrameAncestors =
    [
        "https://teams.microsoft.com",
        "https://*.teams.microsoft.com",
        "https://teams.cloud.microsoft",
        "https://*.cloud.microsoft",
        "https://*.microsoft365.com",
        "https://*.office.com",
        "https://outlook.office.com",
        "https://outlook.office365.com",
        "https://*.skype.com",
    ];

    /// <summary>Replaces <see cref="DefaultFrameAncestors"/> when set (e.g. for a sovereign cloud).</summary>
    public string[]? FrameAncestors { get; set; }

    /// <summary>
    /// Full origins (<c>https://host[:port]</c>) of further hosts: added to <c>frame-ancestors</c> and
    /// handed to teams-js as valid message origins. Empty in production; the browser tests name their
    /// loopback fake Teams host here.
    /// </summary>
    public string[] AdditionalHostOrigins { get; set; } = [];

    /// <summary>The frame ancestors in force: the configured or default hosts and the additional origins.</summary>
    public IEnumerable<string> EffectiveFrameAncestors =>
        (FrameAncestors is { Length: > 0 } ? FrameAncestors : DefaultFrameAncestors).Concat(AdditionalHostOrigins).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Content-Security-Policy of every /tab/ response: own scripts and styles only, no inline code.</summary>
    public string ContentSecurityPolicy =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; " +
        "frame-ancestors 'self' " + string.Join(' ', EffectiveFrameAncestors);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string host in FrameAncestors ?? [])
        {
            if (!HostSource().IsMatch(host))
            {
                yield return new ValidationResult(
                    $"Dashboard:Tab:FrameAncestors: '{host}' is not a host source (https://host, https://*.domain, with an optional port).",
                    [nameof(FrameAncestors)]);
            }
        }

        foreach (string origin in AdditionalHostOrigins)
        {
            if (!Origin().IsMatch(origin))
            {
                yield return new ValidationResult(
                    $"Dashboard:Tab:AdditionalHostOrigins: '{origin}' is not an origin (https://host[:port], or http:// for loopback).",
                    [nameof(AdditionalHostOrigins)]);
            }
        }
    }

    [GeneratedRegex(@"^https://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$")]
    private static partial Regex HostSource();

    [GeneratedRegex(@"^(https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|http://(127\.0\.0\.1|localhost|\[::1\]))(:\d{1,5})?$")]
    private static partial Regex Origin();
}
