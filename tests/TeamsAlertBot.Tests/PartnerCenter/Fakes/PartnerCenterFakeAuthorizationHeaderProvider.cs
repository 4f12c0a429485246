using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Identity.Abstractions;

namespace TeamsAlertBot.Tests.PartnerCenter.Fakes;

/// <summary>Stands in for Microsoft.Identity.Web: hands out a fixed app token (or fails) and records what was asked.</summary>
internal sealed class PartnerCenterFakeAuthorizationHeaderProvider : IAuthorizationHeaderProvider, TeamsAlertBot.PartnerCenter.IPartnerCenterUserTokens
{
    public const string Token = "partner-center-app-token";

    /// <summary>The App+User token (the partner admin's grant).</summary>
    public const string UserToken = "partner-center-user-token";

    private readonly ConcurrentQueue<string> _userRequests = new();

    /// <summary>The scopes App+User tokens were asked for.</summary>
    public IReadOnlyList<string> UserRequests => [.. _userRequests];

    public Task<System.Net.Http.Headers.AuthenticationHeaderValue> GetAuthorizationAsync(string scope, CancellationToken cancellationToken)
    {
        _userRequests.Enqueue(scope);
        return Task.FromResult(new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", UserToken));
    }

    private readonly ConcurrentQueue<(string Scope, string? OptionsName)> _appRequests = new();

    /// <summary>When set, token acquisition throws this (as MSAL would on a bad credential).</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<(string Scope, string? OptionsName)> AppRequests => [.. _appRequests];

    public Task<string> CreateAuthorizationHeaderForAppAsync(
        string scopes, AuthorizationHeaderProviderOptions? downstreamApiOptions = null, CancellationToken cancellationToken = default)
    {
        _appRequests.Enqueue((scopes, downstreamApiOptions?.AcquireTokenOptions?.AuthenticationOptionsName));
        return Failure is null ? Task.FromResult($"Bearer {Token}") : Task.FromException<string>(Failure);
    }

    public Task<string> CreateAuthorizationHeaderForUserAsync(
        IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? authorizationHeaderProviderOptions = null, ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Partner Center is called with app tokens only.");

    public Task<string> CreateAuthorizationHeaderAsync(
        IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? options = null, ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Partner Center is called with app tokens only.");
}
