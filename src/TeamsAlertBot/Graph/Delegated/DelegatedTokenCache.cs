using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Identity.Client;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Keeps MSAL's user token cache (the admin's refresh and access tokens) in the distributed cache,
/// encrypted with ASP.NET Core Data Protection, one entry per account.
/// </summary>
/// <remarks>
/// Written on MSAL's serialization callbacks rather than Microsoft.Identity.Web's
/// <c>AddDistributedTokenCaches</c>: that registration replaces the token cache of every MSAL client
/// in the process (the bot's app tokens included); its <c>Encrypt</c> silently stores plain text when
/// no Data Protection provider is registered and treats undecryptable bytes as plain text; and it
/// logs and swallows cache write failures, so a consent could report success without its refresh
/// token having been stored. Here encryption is mandatory, a failed write fails the operation, an
/// undecryptable entry is a typed error, and there is no in-process copy to go stale between instances.
/// </remarks>
internal sealed class DelegatedTokenCache(IDistributedCache cache, IDataProtectionProvider dataProtection, ILogger<DelegatedTokenCache> logger)
{
    /// <summary>Data Protection purpose: a protector for anything else cannot read these entries.</summary>
    public const string Purpose = "TeamsAlertBot.Graph.Delegated.TokenCache.v1";

    private static readonly byte[] EmptyCache = "{}"u8.ToArray();

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    /// <summary>Makes <paramref name="tokenCache"/> (a client application's user cache) read and write through this store.</summary>
    public void Attach(ITokenCache tokenCache)
    {
        tokenCache.SetBeforeAccessAsync(LoadAsync);
        tokenCache.SetAfterAccessAsync(SaveAsync);
    }

    /// <summary>Removes the stored tokens of one account.</summary>
    public Task RemoveAsync(string homeAccountId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(DelegatedCacheKeys.TokenCache(homeAccountId), cancellationToken);

    private async Task LoadAsync(TokenCacheNotificationArgs args)
    {
        if (string.IsNullOrEmpty(args.SuggestedCacheKey))
        {
            // An authorization code redemption: the account is not known yet, nothing to load.
            return;
        }

        byte[]? stored = await cache.GetAsync(DelegatedCacheKeys.TokenCache(args.SuggestedCacheKey), args.CancellationToken);
        byte[] plain;
        if (stored is null)
        {
            // Clear what an earlier call left in memory: a removed grant must not live on in this instance.
            plain = EmptyCache;
        }
        else
        {
            try
            {
                plain = _protector.Unprotect(stored);
            }
            catch (CryptographicException)
            {
                DelegatedLog.TokenCacheUnreadable(logger);
                throw new GraphDelegatedConsentRequiredException(DelegatedGrantProblem.CacheUnreadable);
            }
        }

        args.TokenCache.DeserializeMsalV3(plain, shouldClearExistingCache: true);
    }

    private async Task SaveAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged || string.IsNullOrEmpty(args.SuggestedCacheKey))
        {
            return;
        }

        string key = DelegatedCacheKeys.TokenCache(args.SuggestedCacheKey);
        if (args.HasTokens)
        {
            // No expiry: the refresh token slides with use, and an entry with a TTL is evictable.
            byte[] protectedBytes = _protector.Protect(args.TokenCache.SerializeMsalV3());
            await cache.SetAsync(key, protectedBytes, new DistributedCacheEntryOptions(), args.CancellationToken);
        }
        else
        {
            await cache.RemoveAsync(key, args.CancellationToken);
        }
    }
}
