using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Identity.Abstractions;

namespace TeamsAlertBot.Tests.Graph;

/// <summary>Stands in for Microsoft.Identity.Web's token acquisition: hands out a fixed app token and records what was asked.</summary>
internal sealed class GraphFakeAuthorizationHeaderProvider : IAuthorizationHeaderProvider
{
    public const string Token = "graph-app-token";

    private readonly ConcurrentQueue<(string Scope, string? OptionsName)> _appRequests = new();

    public IReadOnlyList<(string Scope, string? OptionsName)> AppRequests => [.. _appRequests];

    public Task<string> CreateAuthorizationHeaderForAppAsync(
        string scopes, AuthorizationHeaderProviderOptions? downstreamApiOptions = null, CancellationToken cancellationToken = default)
    {
        _appRequests.Enqueue((scopes, downstreamApiOptions?.AcquireTokenOptions?.AuthenticationOptionsName));
        return Task.FromResult($"Bearer {Token}");
    }

    public Task<string> CreateAuthorizationHeaderForUserAsync(
        IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? authorizationHeaderProviderOptions = null, ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The Graph client asks for app tokens only.");

    public Task<string> CreateAuthorizationHeaderAsync(
        IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? options = null, ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The Graph client asks for app tokens only.");
}
