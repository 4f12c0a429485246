using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Authenticates a Partner Center webhook delivery as Partner Center documents it: an RSA
/// PKCS#1 v1.5 SHA-256 signature over the raw body, made with the key of the certificate at
/// <c>X-MS-Certificate-Url</c>. The URL must pass <see cref="WebhookCertificateUrlPolicy"/> before
/// anything is fetched; the certificate must chain to a trusted root (revocation per
/// <see cref="PartnerCenterWebhookOptions.RevocationMode"/>) and its issuer's organization must be
/// <see cref="PartnerCenterWebhookOptions.RequiredIssuerOrganization"/>. Checked certificates are
/// reused per URL for a while; concurrent deliveries share one download.
/// </summary>
/// <remarks>
/// Nothing is authenticated before the download, so what anonymous traffic can cost is bounded:
/// at most <see cref="PartnerCenterWebhookOptions.CertificateFetchesPerMinute"/> downloads of URLs not
/// yet known to hold Partner Center's certificate, and at most <see cref="MaxCachedUrls"/> URLs
/// remembered (failures are forgotten first). A URL whose certificate verified is refreshed outside
/// that budget, so a flood never locks Partner Center's own deliveries out.
/// </remarks>
internal sealed class WebhookSignatureVerifier : IDisposable
{
    /// <summary>The only algorithm Partner Center uses and the only one accepted.</summary>
    public const string SupportedAlgorithm = "rsa-sha256";

    /// <summary>The most certificate URLs (verified, failed or being fetched) remembered at once.</summary>
    internal const int MaxCachedUrls = 64;
    private const int MaxSignatureChars = 4096;
    private const int MinimumRsaKeySize = 2048;
    private const string OrganizationOid = "2.5.4.10";

    private readonly ConcurrentDictionary<string, CertificateEntry> _certificates = new(StringComparer.Ordinal);
    private readonly SlidingWindowRateLimiter _unknownFetches;
    private readonly WebhookCertificateClient _client;
    private readonly WebhookCertificateUrlPolicy _policy;
    private readonly IWebhookCertificateTrust _trust;
    private readonly IOptions<PartnerCenterWebhookOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSignatureVerifier> _logger;

    public WebhookSignatureVerifier(
        WebhookCertificateClient client,
        WebhookCertificateUrlPolicy policy,
        IWebhookCertificateTrust trust,
        IOptions<PartnerCenterWebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookSignatureVerifier> logger)
    {
        _client = client;
        _policy = policy;
        _trust = trust;
        _options = options;
        _time = time;
        _logger = logger;
        // System.Threading.RateLimiting counts on its own clock, not the TimeProvider: the budget is
        // about real minutes of traffic, and the cache expiry the tests move the clock for is separate.
        _unknownFetches = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.CertificateFetchesPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        if (options.Value.RevocationMode == X509RevocationMode.NoCheck)
        {
            WebhookLog.RevocationCheckOff(logger);
        }
    }

    public void Dispose() => _unknownFetches.Dispose();

    /// <summary>How many certificate URLs are remembered now.</summary>
    internal int CachedUrlCount => _certificates.Count;

    /// <summary>Checks one delivery; <see cref="WebhookVerificationFailure.None"/> means authentic.</summary>
    public async Task<WebhookVerificationFailure> VerifyAsync(WebhookSignatureHeaders headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!string.Equals(headers.Algorithm.Trim(), SupportedAlgorithm, StringComparison.OrdinalIgnoreCase))
        {
            return WebhookVerificationFailure.UnsupportedAlgorithm;
        }

        byte[]? signature = DecodeSignature(headers.Signature);
        if (signature is null)
        {
            return WebhookVerificationFailure.MalformedSignature;
        }

        Uri? url = _policy.Check(headers.CertificateUrl);
        if (url is null)
        {
            return WebhookVerificationFailure.CertificateUrlNotAllowed;
        }

        CertificateLookup lookup = await GetCertificateAsync(url, cancellationToken);
        if (lookup.Certificate is null)
        {
            return lookup.Failure;
        }

        using RSA? key = lookup.Certificate.GetRSAPublicKey();
        return key is not null && Verifies(key, body.Span, signature)
            ? WebhookVerificationFailure.None
            : WebhookVerificationFailure.SignatureMismatch;
    }

    private static bool Verifies(RSA key, ReadOnlySpan<byte> body, byte[] signature)
    {
        try
        {
            return key.VerifyData(body, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A signature of the wrong shape is just another forgery.
            return false;
        }
    }

    private static byte[]? DecodeSignature(string value)
    {
        string text = value.Trim();
        if (text.Length is 0 or > MaxSignatureChars)
        {
            return null;
        }

        byte[] buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out int written) ? buffer[..written] : null;
    }

    private async Task<CertificateLookup> GetCertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        string key = url.AbsoluteUri;
        DateTimeOffset now = _time.GetUtcNow();
        if (!_certificates.TryGetValue(key, out CertificateEntry? entry) || entry.IsExpired(now))
        {
            // A URL whose certificate verified before is Partner Center's: its refresh never waits for
            // the budget that anonymous traffic shares. Any other URL needs a permit.
            if (entry?.Verified != true && !TryTakeFetchPermit())
            {
                WebhookLog.CertificateFetchLimited(_logger, url.Host, _options.Value.CertificateFetchesPerMinute);
                return new CertificateLookup(null, WebhookVerificationFailure.CertificateFetchLimited, now);
            }

            var fresh = new CertificateEntry(() => FetchAndValidateAsync(url));
            // Whoever replaces the missing or expired entry first wins; the others use theirs.
            entry = entry is not null && _certificates.TryUpdate(key, fresh, entry) ? fresh : _certificates.GetOrAdd(key, fresh);
            Prune(now);
        }

        // The download is shared and runs on its own timeouts; a caller that gives up only stops
        // waiting for it.
        return await entry.Task.WaitAsync(cancellationToken);
    }

    private bool TryTakeFetchPermit()
    {
        using RateLimitLease lease = _unknownFetches.AttemptAcquire();
        return lease.IsAcquired;
    }

    private async Task<CertificateLookup> FetchAndValidateAsync(Uri url)
    {
        try
        {
            return await FetchAndValidateCoreAsync(url);
        }
        catch (Exception e)
        {
            // The answer is shared and cached: a surprise must become a short-lived refusal, not a
            // faulted task every later delivery would trip over.
            WebhookLog.CertificateUnavailable(_logger, url.Host, url.AbsolutePath, e.GetType().Name);
            return new CertificateLookup(null, WebhookVerificationFailure.CertificateUnavailable, _time.GetUtcNow() + _options.Value.CertificateFailureCacheDuration);
        }
    }

    private async Task<CertificateLookup> FetchAndValidateCoreAsync(Uri url)
    {
        PartnerCenterWebhookOptions settings = _options.Value;
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset failureExpiry = now + settings.CertificateFailureCacheDuration;
        byte[] bytes;
        try
        {
            bytes = await _client.DownloadAsync(url, CancellationToken.None);
        }
        catch (WebhookCertificateDownloadException e)
        {
            WebhookLog.CertificateUnavailable(_logger, url.Host, url.AbsolutePath, e.Message);
            return new CertificateLookup(null, WebhookVerificationFailure.CertificateUnavailable, failureExpiry);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException)
        {
            WebhookLog.CertificateRejected(_logger, url.Host, url.AbsolutePath, "not an X.509 certificate");
            return new CertificateLookup(null, WebhookVerificationFailure.CertificateUntrusted, failureExpiry);
        }

        WebhookVerificationFailure failure = Validate(certificate, settings, now, url);
        if (failure != WebhookVerificationFailure.None)
        {
            certificate.Dispose();
            return new CertificateLookup(null, failure, failureExpiry);
        }

        DateTimeOffset reuseUntil = now + settings.CertificateCacheDuration;
        DateTimeOffset notAfter = new(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return new CertificateLookup(certificate, WebhookVerificationFailure.None, reuseUntil < notAfter ? reuseUntil : notAfter);
    }

    private WebhookVerificationFailure Validate(X509Certificate2 certificate, PartnerCenterWebhookOptions settings, DateTimeOffset now, Uri url)
    {
        using var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        policy.RevocationMode = settings.RevocationMode;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        policy.UrlRetrievalTimeout = settings.RevocationTimeout;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        _trust.Apply(policy);
        try
        {
            if (!chain.Build(certificate))
            {
                string statuses = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
                WebhookLog.CertificateRejected(_logger, url.Host, url.AbsolutePath, $"chain not valid: {statuses}");
                return WebhookVerificationFailure.CertificateUntrusted;
            }
        }
        finally
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }

        if (!IssuerOrganizationIs(certificate.IssuerName, settings.RequiredIssuerOrganization))
        {
            WebhookLog.CertificateRejected(_logger, url.Host, url.AbsolutePath, $"issuer '{certificate.Issuer}' is not O={settings.RequiredIssuerOrganization}");
            return WebhookVerificationFailure.IssuerNotAllowed;
        }

        using RSA? key = certificate.GetRSAPublicKey();
        if (key is null || key.KeySize < MinimumRsaKeySize)
        {
            WebhookLog.CertificateRejected(_logger, url.Host, url.AbsolutePath, "no RSA key of at least 2048 bits");
            return WebhookVerificationFailure.CertificateUntrusted;
        }

        return WebhookVerificationFailure.None;
    }

    /// <summary>
    /// An exact <c>O=</c> element of the issuer, rather than Microsoft's sample's substring test,
    /// which <c>OU=O=Microsoft Corporation</c> would also pass.
    /// </summary>
    internal static bool IssuerOrganizationIs(X500DistinguishedName issuer, string organization)
    {
        foreach (X500RelativeDistinguishedName name in issuer.EnumerateRelativeDistinguishedNames())
        {
            if (!name.HasMultipleElements
                && name.GetSingleElementType().Value == OrganizationOid
                && string.Equals(name.GetSingleElementValue(), organization, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Keeps at most <see cref="MaxCachedUrls"/> URLs: failures go first (expired ones before the rest),
    /// verified certificates last — knowing a URL verified is what exempts its refresh from the budget.
    /// A download under way is kept (the budget bounds them).
    /// </summary>
    private void Prune(DateTimeOffset now)
    {
        if (_certificates.Count <= MaxCachedUrls)
        {
            return;
        }

        IEnumerable<KeyValuePair<string, CertificateEntry>> evictable = _certificates
            .Where(e => e.Value.Result is not null)
            .OrderBy(e => e.Value.Verified)
            .ThenBy(e => !e.Value.IsExpired(now))
            .ThenBy(e => e.Value.Result!.ExpiresAt)
            .ToList();
        foreach (KeyValuePair<string, CertificateEntry> entry in evictable)
        {
            if (_certificates.Count <= MaxCachedUrls)
            {
                return;
            }

            _certificates.TryRemove(entry);
        }
    }

    private sealed record CertificateLookup(X509Certificate2? Certificate, WebhookVerificationFailure Failure, DateTimeOffset ExpiresAt);

    /// <summary>One URL's check: started on first use, shared by every delivery that names the URL.</summary>
    private sealed class CertificateEntry
    {
        private readonly Lazy<Task<CertificateLookup>> _task;
        private volatile CertificateLookup? _result;

        public CertificateEntry(Func<Task<CertificateLookup>> check)
        {
            _task = new Lazy<Task<CertificateLookup>>(async () =>
            {
                CertificateLookup result = await check();
                _result = result;
                return result;
            });
        }

        public Task<CertificateLookup> Task => _task.Value;

        /// <summary>The answer once the check finished; null while it runs.</summary>
        public CertificateLookup? Result => _result;

        /// <summary>Finished with a certificate that verified.</summary>
        public bool Verified => _result?.Certificate is not null;

        /// <summary>Finished, and past the time its answer may be reused.</summary>
        public bool IsExpired(DateTimeOffset now) => _result is { } result && result.ExpiresAt <= now;
    }
}

/// <summary>The three headers a signed delivery carries.</summary>
internal sealed record WebhookSignatureHeaders(string Signature, string CertificateUrl, string Algorithm)
{
    public const string CertificateUrlHeader = "X-MS-Certificate-Url";
    public const string AlgorithmHeader = "X-MS-Signature-Algorithm";
    public const string MsSignatureHeader = "x-ms-signature";
    private const string SignatureScheme = "Signature";

    /// <summary>
    /// The headers, or null when one is missing. The signature comes from
    /// <c>Authorization: Signature …</c>, or from <c>x-ms-signature</c> (with or without the
    /// <c>Signature </c> prefix) when the registration asked for that header.
    /// </summary>
    public static WebhookSignatureHeaders? From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? signature = StripScheme(headers.Authorization.ToString(), required: true)
            ?? StripScheme(headers[MsSignatureHeader].ToString(), required: false);
        string certificateUrl = headers[CertificateUrlHeader].ToString();
        string algorithm = headers[AlgorithmHeader].ToString();
        return string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(certificateUrl) || string.IsNullOrWhiteSpace(algorithm)
            ? null
            : new WebhookSignatureHeaders(signature, certificateUrl, algorithm);
    }

    private static string? StripScheme(string value, bool required)
    {
        string text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith(SignatureScheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return text[(SignatureScheme.Length + 1)..].Trim();
        }

        return required ? null : text;
    }
}

/// <summary>Why a delivery was not authentic.</summary>
internal enum WebhookVerificationFailure
{
    None,
    UnsupportedAlgorithm,
    MalformedSignature,
    CertificateUrlNotAllowed,
    CertificateUnavailable,

    /// <summary>The URL is not known to be Partner Center's and the download budget of this minute is spent.</summary>
    CertificateFetchLimited,
    CertificateUntrusted,
    IssuerNotAllowed,
    SignatureMismatch,
}
