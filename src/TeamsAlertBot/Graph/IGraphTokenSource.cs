using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Graph;

/// <summary>The kind of access a Graph token stands for.</summary>
public enum GraphAccessKind
{
    /// <summary>App-only (client credentials): no user, so no MFA claim.</summary>
    Application,

    /// <summary>On behalf of a partner user who signed in with MFA (secure application model).</summary>
    Delegated,
}

/// <summary>
/// Where the Graph client's <c>Authorization</c> header comes from. The app-only source is the
/// default; a delegated source (a partner admin's secure-application-model grant, for tenants that
/// answer app tokens with <c>Unauthorized_MissingMFA</c>) can replace it by registering another
/// implementation before <c>AddPartnerSecurityGraph</c>.
/// </summary>
public interface IGraphTokenSource
{
    /// <summary>What kind of token this source hands out.</summary>
    GraphAccessKind AccessKind { get; }

    /// <summary>The header value for the next Graph request (tokens are cached by the source).</summary>
    Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken);
}

/// <summary>
/// App-only tokens for <see cref="GraphOptions.Scope"/> from Microsoft.Identity.Web, with the bot's
/// own app registration (the <c>AzureAd</c> section). MSAL caches them.
/// </summary>
internal sealed class AppGraphTokenSource(IOptions<GraphOptions> options, IServiceProvider services) : IGraphTokenSource
{
    public GraphAccessKind AccessKind => GraphAccessKind.Application;

    public async Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        // Resolved per call: token acquisition is only registered when AzureAd:ClientId is set.
        IAuthorizationHeaderProvider provider = (IAuthorizationHeaderProvider?)services.GetService(typeof(IAuthorizationHeaderProvider))
            ?? throw new Operations.NotConfiguredException("Microsoft Graph", Operations.NotConfiguredException.AppRegistrationSettings);
        string header = await provider.CreateAuthorizationHeaderForAppAsync(
            options.Value.Scope,
            new AuthorizationHeaderProviderOptions
            {
                AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = BotIdentity.SectionName },
            },
            cancellationToken);
        return AuthenticationHeaderValue.Parse(header);
    }
}
