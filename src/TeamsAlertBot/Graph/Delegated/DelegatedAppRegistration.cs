using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// The bot's app registration as the delegated flow uses it: the <c>AzureAd</c> section (client id,
/// partner tenant, instance, credentials), bound under its own options name so the token
/// acquisition's binding of the same section is left alone.
/// </summary>
internal sealed class DelegatedAppRegistration(IOptionsMonitor<MicrosoftIdentityApplicationOptions> options)
{
    /// <summary>The options name of this binding of the <c>AzureAd</c> section.</summary>
    public const string OptionsName = "GraphDelegated";

    private MicrosoftIdentityApplicationOptions Identity => options.Get(OptionsName);

    /// <summary>The bot's application (client) id.</summary>
    public string ClientId => Identity.ClientId ?? string.Empty;

    /// <summary>The partner tenant; the callback checks every signed-in account against it.</summary>
    public Guid TenantId => Guid.TryParse(Identity.TenantId, out Guid tenant) ? tenant : Guid.Empty;

    /// <summary>
    /// <c>{Instance}{TenantId}/</c>: the authority MSAL redeems codes and refresh tokens at, and the
    /// base of the authorize URL.
    /// </summary>
    public Uri Authority => new(new Uri(Instance.EndsWith('/') ? Instance : Instance + "/"), TenantId.ToString("D") + "/");

    /// <summary><c>AzureAd:SendX5C</c>: send the certificate chain (subject name + issuer registrations).</summary>
    public bool SendX5C => Identity.SendX5C;

    /// <summary>The <c>AzureAd:ClientCredentials</c> descriptions (secret, certificate, managed identity).</summary>
    public IEnumerable<CredentialDescription> Credentials => Identity.ClientCredentials ?? [];

    private string Instance => string.IsNullOrWhiteSpace(Identity.Instance) ? "https://login.microsoftonline.com/" : Identity.Instance;

    /// <summary>What is missing or wrong for the delegated flow; empty when it can run.</summary>
    public IEnumerable<string> Problems()
    {
        string section = BotIdentity.SectionName;
        if (string.IsNullOrWhiteSpace(Identity.ClientId))
        {
            yield return $"{section}:ClientId is not set: delegated Graph access uses the bot's app registration.";
        }

        if (TenantId == Guid.Empty)
        {
            yield return $"{section}:TenantId must be the partner tenant's id (a GUID, not a domain name): the consent callback compares it with the signed-in account's tid.";
        }

        if (!Uri.TryCreate(Instance, UriKind.Absolute, out Uri? instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{section}:Instance must be an absolute https URL such as https://login.microsoftonline.com/ (got '{Instance}').";
        }

        if (!Credentials.Any())
        {
            yield return $"{section}:ClientCredentials holds no credential: redeeming the admin's sign-in needs the bot's secret, certificate or managed identity.";
        }
    }
}

/// <summary>Checks at start that the <c>AzureAd</c> section can serve delegated access, when that is on.</summary>
internal sealed class GraphDelegatedOptionsValidator(DelegatedAppRegistration registration) : IValidateOptions<GraphDelegatedOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphDelegatedOptions options)
    {
        if (!options.IsInUse)
        {
            return ValidateOptionsResult.Success;
        }

        List<string> problems = [.. registration.Problems()];
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{GraphDelegatedOptions.SectionName} is on ({nameof(GraphDelegatedOptions.Mode)} {options.Mode}, {nameof(GraphDelegatedOptions.Enabled)} {options.Enabled}), but {p}"));
    }
}
