using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Builds the MSAL confidential client of the delegated flow: the bot's app registration and
/// credential (<c>AzureAd</c> section), the configured authority, HTTP through
/// <see cref="IHttpClientFactory"/> and the encrypted distributed user token cache.
/// </summary>
internal sealed class DelegatedClientApplications(
    DelegatedAppRegistration registration,
    DelegatedTokenCache tokenCache,
    IHttpClientFactory httpClients,
    IServiceProvider services,
    ILogger<DelegatedClientApplications> logger) : IDisposable
{
    /// <summary>The named HTTP client MSAL talks to Entra ID with.</summary>
    public const string HttpClientName = "GraphDelegated.EntraId";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CredentialDescription? _credential;
    private IConfidentialClientApplication? _silent;

    /// <summary>The client for silent token requests, built once.</summary>
    public async Task<IConfidentialClientApplication> GetSilentClientAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _silent) is { } built)
        {
            return built;
        }

        IConfidentialClientApplication app = await CreateAsync(redirectUri: null, cancellationToken);
        return Interlocked.CompareExchange(ref _silent, app, null) ?? app;
    }

    /// <summary>
    /// A client for one code redemption: the token request must repeat the redirect URI of the
    /// authorize request, which may differ per request when it is derived from the host.
    /// </summary>
    public Task<IConfidentialClientApplication> CreateForRedemptionAsync(Uri redirectUri, CancellationToken cancellationToken) =>
        CreateAsync(redirectUri, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<IConfidentialClientApplication> CreateAsync(Uri? redirectUri, CancellationToken cancellationToken)
    {
        CredentialDescription credential = await LoadCredentialAsync(cancellationToken);
        ConfidentialClientApplicationBuilder builder = ConfidentialClientApplicationBuilder.Create(registration.ClientId)
            .WithAuthority(registration.Authority.AbsoluteUri)
            // The authority is operator configuration, not input; this also lets tests use a fake one.
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new MsalHttpClientFactory(httpClients));
        if (redirectUri is not null)
        {
            builder = builder.WithRedirectUri(redirectUri.AbsoluteUri);
        }

        builder = credential.CredentialType switch
        {
            CredentialType.Secret => builder.WithClientSecret(credential.ClientSecret),
            CredentialType.Certificate when credential.Certificate is { } certificate => builder.WithCertificate(certificate, registration.SendX5C),
            CredentialType.SignedAssertion when credential.CachedValue is ClientAssertionProviderBase assertion =>
                builder.WithClientAssertion((AssertionRequestOptions options) => assertion.GetSignedAssertionAsync(options)),
            _ => throw Unavailable($"credential type {credential.CredentialType} (source {credential.SourceType}) is not supported here"),
        };

        IConfidentialClientApplication app = builder.Build();
        tokenCache.Attach(app.UserTokenCache);
        return app;
    }

    private async Task<CredentialDescription> LoadCredentialAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _credential) is { } loaded)
        {
            return loaded;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_credential is not null)
            {
                return _credential;
            }

            // The same loader (Key Vault, certificate store, managed identity, ...) token acquisition uses.
            ICredentialsLoader loader = services.GetService<ICredentialsLoader>()
                ?? new DefaultCredentialsLoader(services.GetRequiredService<ILogger<DefaultCredentialsLoader>>());
            CredentialDescription? credential = await loader.LoadFirstValidCredentialsAsync(
                registration.Credentials,
                new CredentialSourceLoaderParameters(registration.ClientId, registration.Authority.AbsoluteUri));
            _credential = credential ?? throw Unavailable("no entry of AzureAd:ClientCredentials could be loaded");
            return credential;
        }
        finally
        {
            _gate.Release();
        }
    }

    private InvalidOperationException Unavailable(string reason)
    {
        DelegatedLog.CredentialUnavailable(logger, reason);
        return new InvalidOperationException($"Delegated Graph access cannot redeem or refresh tokens: {reason}.");
    }

    /// <summary>MSAL's HTTP through the host's handler pipeline (and its test doubles), never a client of its own.</summary>
    private sealed class MsalHttpClientFactory(IHttpClientFactory factory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(HttpClientName);
    }
}
