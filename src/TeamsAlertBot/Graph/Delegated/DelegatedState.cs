using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Distributed;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Every delegated-access cache key, built in one place. They are <c>IDistributedCache</c> keys: the
/// Redis-backed cache adds its instance name (the bot's key prefix) in front. The version segment
/// lets a change of the stored shape start from a clean slate.
/// </summary>
internal static class DelegatedCacheKeys
{
    private const string Root = "graph:delegated:v1:";

    /// <summary>The consented account (<see cref="DelegatedAccount"/>). No expiry: it is the grant's anchor.</summary>
    public const string Account = Root + "account";

    /// <summary>MSAL's user token cache of one account, encrypted. No expiry: it holds the refresh token.</summary>
    public static string TokenCache(string homeAccountId) => $"{Root}msal:{Uri.EscapeDataString(homeAccountId)}";
}

/// <summary>The partner admin whose grant the bot uses: MSAL's account id and who it is (not secret).</summary>
/// <param name="HomeAccountId">MSAL's <c>{oid}.{tid}</c> identifier, the key of the token cache.</param>
/// <param name="ObjectId">The admin's object id in the partner tenant.</param>
/// <param name="Username">The admin's sign-in name, for messages.</param>
/// <param name="ConsentedAt">When the admin completed the consent.</param>
internal sealed record DelegatedAccount(string HomeAccountId, string ObjectId, string? Username, DateTimeOffset ConsentedAt);

/// <summary>
/// What the callback needs from the start of a consent. It travels in the browser's Data-Protected
/// cookie (encrypted and authenticated), so an anonymous visitor costs the server no state.
/// </summary>
/// <param name="State">The <c>state</c> sent to the authorize endpoint; the callback must bring it back.</param>
/// <param name="CodeVerifier">The PKCE verifier whose S256 challenge went to the authorize endpoint.</param>
/// <param name="Nonce">The nonce the id token must carry back.</param>
/// <param name="RedirectUri">The redirect URI the code was issued for (the redemption must repeat it).</param>
/// <param name="StartedAt">When the consent was started; the callback refuses it after the consent timeout.</param>
internal sealed record PendingConsent(string State, string CodeVerifier, string Nonce, Uri RedirectUri, DateTimeOffset StartedAt);

/// <summary>Reads and writes the consented account in the distributed cache.</summary>
internal sealed class DelegatedAccountStore(IDistributedCache cache)
{
    public async Task<DelegatedAccount?> GetAsync(CancellationToken cancellationToken)
    {
        byte[]? json = await cache.GetAsync(DelegatedCacheKeys.Account, cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize(json, DelegatedJsonContext.Default.DelegatedAccount);
    }

    public Task SetAsync(DelegatedAccount account, CancellationToken cancellationToken) =>
        cache.SetAsync(
            DelegatedCacheKeys.Account,
            JsonSerializer.SerializeToUtf8Bytes(account, DelegatedJsonContext.Default.DelegatedAccount),
            new DistributedCacheEntryOptions(),
            cancellationToken);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DelegatedAccount))]
[JsonSerializable(typeof(PendingConsent))]
internal sealed partial class DelegatedJsonContext : JsonSerializerContext;
