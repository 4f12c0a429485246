using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>
/// Who may triage and who may mitigate (<c>Triage:Authorization</c> section), checked at start. A
/// role with neither an allow-list nor a group admits nobody.
/// </summary>
public sealed class TriageAuthorizationOptions
{
    /// <summary>The configuration section this class is bound from.</summary>
    public const string SectionName = "Triage:Authorization";

    /// <summary>Entra group whose direct and nested members may triage (mark legitimate, fraud, ignore, investigating).</summary>
    public string? TriageGroupId { get; set; }

    /// <summary>Entra object ids of users who may triage whatever their groups.</summary>
    public List<string> TriageUserObjectIds { get; set; } = [];

    /// <summary>Entra group whose direct and nested members may mitigate (cancel an Azure subscription).</summary>
    public string? MitigationGroupId { get; set; }

    /// <summary>Entra object ids of users who may mitigate whatever their groups.</summary>
    public List<string> MitigationUserObjectIds { get; set; } = [];

    /// <summary>Microsoft Graph root including the version (https; the app token goes to this origin only).</summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Scope of the app token for <see cref="GraphBaseUrl"/> (national clouds have their own).</summary>
    public string GraphScope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>How long a "member" answer from Graph is reused.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a "not a member" answer is reused (short, so a user just added is not kept waiting).</summary>
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest one check may wait for the Bot Connector and Graph together; then the click is
    /// refused as unverified. Teams shows an error when a card action is not answered within ~5 s.
    /// </summary>
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// In the Development environment only: a role with nothing configured admits everyone (for the
    /// Agents Playground). Refused at start in any other environment.
    /// </summary>
    public bool AllowEveryoneInDevelopment { get; set; }

    /// <summary><see cref="GraphBaseUrl"/> without a trailing slash, as the Graph SDK wants its base URL.</summary>
    internal string GraphRoot => GraphBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>True when <paramref name="uri"/> has the scheme, host and port of <see cref="GraphBaseUrl"/>.</summary>
    internal bool IsGraphOrigin(Uri uri) =>
        uri.IsAbsoluteUri
        && GraphBaseUrl.IsAbsoluteUri
        && Uri.Compare(uri, GraphBaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The parsed allow-list and group of <paramref name="role"/>.</summary>
    internal TriageRoleRule RuleFor(TriageRole role) => role switch
    {
        TriageRole.Triage => TriageRoleRule.Parse(TriageUserObjectIds, TriageGroupId),
        TriageRole.Mitigate => TriageRoleRule.Parse(MitigationUserObjectIds, MitigationGroupId),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown triage role."),
    };

    /// <summary>The configuration keys of <paramref name="role"/>, for messages.</summary>
    internal static (string Group, string Users) KeysFor(TriageRole role) => role == TriageRole.Mitigate
        ? ($"{SectionName}:{nameof(MitigationGroupId)}", $"{SectionName}:{nameof(MitigationUserObjectIds)}")
        : ($"{SectionName}:{nameof(TriageGroupId)}", $"{SectionName}:{nameof(TriageUserObjectIds)}");
}

/// <summary>One role's allow-list (normalised object ids) and group, parsed once.</summary>
internal sealed record TriageRoleRule(IReadOnlySet<string> AllowList, string? GroupId)
{
    public bool IsConfigured => AllowList.Count > 0 || GroupId is not null;

    public static TriageRoleRule Parse(IEnumerable<string> objectIds, string? groupId) => new(
        objectIds.Select(TriageIds.Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal),
        TriageIds.Normalize(groupId));
}

/// <summary>Entra ids compared as GUIDs: one spelling (lower-case, hyphens) for keys and comparisons.</summary>
internal static class TriageIds
{
    public static string? Normalize(string? id) =>
        Guid.TryParse(id?.Trim(), out Guid guid) && guid != Guid.Empty ? guid.ToString("D") : null;
}

/// <summary>
/// Checks the section at start: well-formed ids, an https Graph origin, sane durations, the
/// Development-only switch outside Development, and the app registration a group check needs.
/// </summary>
internal sealed class TriageAuthorizationOptionsValidator(IHostEnvironment environment, IOptions<BotIdentity> identity)
    : IValidateOptions<TriageAuthorizationOptions>
{
    public ValidateOptionsResult Validate(string? name, TriageAuthorizationOptions options)
    {
        List<string> failures = [];
        const string path = TriageAuthorizationOptions.SectionName;
        foreach (TriageRole role in Enum.GetValues<TriageRole>())
        {
            (string groupKey, string usersKey) = TriageAuthorizationOptions.KeysFor(role);
            string? group = role == TriageRole.Mitigate ? options.MitigationGroupId : options.TriageGroupId;
            if (!string.IsNullOrWhiteSpace(group) && TriageIds.Normalize(group) is null)
            {
                failures.Add($"{groupKey} '{group}' is not an Entra group object id (a GUID).");
            }

            List<string> users = role == TriageRole.Mitigate ? options.MitigationUserObjectIds : options.TriageUserObjectIds;
            for (int i = 0; i < users.Count; i++)
            {
                if (TriageIds.Normalize(users[i]) is null)
                {
                    failures.Add($"{usersKey}:{i} '{users[i]}' is not an Entra user object id (a GUID).");
                }
            }
        }

        Uri graph = options.GraphBaseUrl;
        if (!graph.IsAbsoluteUri || graph.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{path}:GraphBaseUrl must be an absolute https URL (got '{graph}'): the app token is only sent over https.");
        }
        else if (!string.IsNullOrEmpty(graph.UserInfo) || !string.IsNullOrEmpty(graph.Query) || !string.IsNullOrEmpty(graph.Fragment))
        {
            failures.Add($"{path}:GraphBaseUrl must be a plain root such as https://graph.microsoft.com/v1.0, without user info, query or fragment.");
        }

        if (string.IsNullOrWhiteSpace(options.GraphScope))
        {
            failures.Add($"{path}:GraphScope must name the Graph app scope, e.g. https://graph.microsoft.com/.default.");
        }

        if (options.CacheDuration < TimeSpan.FromSeconds(1) || options.CacheDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{path}:CacheDuration ({options.CacheDuration}) must be between 00:00:01 and 01:00:00: a removed user keeps access that long.");
        }

        if (options.NegativeCacheDuration < TimeSpan.Zero || options.NegativeCacheDuration > options.CacheDuration)
        {
            failures.Add($"{path}:NegativeCacheDuration ({options.NegativeCacheDuration}) must be between 00:00:00 and {path}:CacheDuration ({options.CacheDuration}).");
        }

        if (options.VerificationTimeout < TimeSpan.FromMilliseconds(500) || options.VerificationTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{path}:VerificationTimeout ({options.VerificationTimeout}) must be between 00:00:00.5 and 00:00:30.");
        }

        if (options.AllowEveryoneInDevelopment && !environment.IsDevelopment())
        {
            failures.Add(
                $"{path}:AllowEveryoneInDevelopment is refused in the {environment.EnvironmentName} environment: it lets anyone who can click a card triage alerts. Configure {path}:TriageGroupId or {path}:TriageUserObjectIds instead.");
        }

        bool groupConfigured = !string.IsNullOrWhiteSpace(options.TriageGroupId) || !string.IsNullOrWhiteSpace(options.MitigationGroupId);
        if (groupConfigured && !identity.Value.IsConfigured)
        {
            failures.Add(
                $"A triage group is configured, but {BotIdentity.SectionName}:ClientId is not: the membership check calls Microsoft Graph with the bot's app registration (application permission GroupMember.Read.All).");
        }

        if (groupConfigured && TriageIds.Normalize(identity.Value.TenantId) is null)
        {
            failures.Add(
                $"A triage group is configured, but {BotIdentity.SectionName}:TenantId is not a tenant id (GUID): only users of the partner tenant are checked against the group.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
