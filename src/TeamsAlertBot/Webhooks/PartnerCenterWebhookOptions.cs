using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Settings of the Partner Center webhook receiver, bound from <c>PartnerCenter:Webhook</c> and
/// validated at start. The certificate rules are our policy, not Microsoft's: the sender names the
/// certificate URL, so fetching it unchecked would let anyone make the bot fetch anything.
/// </summary>
public sealed class PartnerCenterWebhookOptions
{
    /// <summary>The configuration section this class is bound from.</summary>
    public const string SectionName = "PartnerCenter:Webhook";

    /// <summary>
    /// Hosts the signing certificate may be downloaded from (exact names; <c>host:port</c> pins a
    /// port, otherwise only 443). Empty = Microsoft's <c>3psostorageacct.blob.core.windows.net</c>.
    /// </summary>
    public List<string> CertificateHosts { get; set; } = [];

    /// <summary>
    /// This bot's public webhook URL (<c>https://&lt;host&gt;/api/partnercenter/webhook</c>), which the
    /// <c>webhook register</c> command registers with Partner Center.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>The certificate URL's path must start with this (case-sensitive).</summary>
    [Required]
    [RegularExpression("^/.*")]
    public string CertificatePathPrefix { get; set; } = "/cert/";

    /// <summary>The certificate URL's path must end with this (case-insensitive).</summary>
    [Required]
    public string CertificatePathSuffix { get; set; } = ".cer";

    /// <summary>The <c>O=</c> of the certificate's issuer, compared exactly.</summary>
    [Required]
    public string RequiredIssuerOrganization { get; set; } = "Microsoft Corporation";

    /// <summary>
    /// Revocation check of the signing certificate's chain. <c>Online</c> (default) fetches CRLs or
    /// OCSP answers as the certificate names them, and fails closed when none can be had: an
    /// undeliverable event costs latency only, since Partner Center redelivers and the poller still
    /// runs. <c>Offline</c> uses only cached revocation data; <c>NoCheck</c> skips it (logged as a
    /// warning when the verifier is created) and is meant for test certificates that name no
    /// revocation endpoint.
    /// </summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.Online;

    /// <summary>The longest the chain build may spend fetching revocation data.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RevocationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a validated certificate is reused per URL (never past its expiry).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CertificateCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a URL whose certificate could not be fetched or trusted is not tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CertificateFailureCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most downloads of certificates not yet known to be Partner Center's, in any minute. The
    /// sender names the certificate URL before anything is authenticated, so this is what anonymous
    /// traffic can make the bot fetch. Refreshing a certificate that verified before does not count
    /// and is never refused.
    /// </summary>
    [Range(1, 100)]
    public int CertificateFetchesPerMinute { get; set; } = 5;

    /// <summary>The largest certificate download accepted.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxCertificateBytes { get; set; } = 64 * 1024;

    /// <summary>Timeout of the certificate download.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CertificateFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest webhook body accepted (Partner Center's events are well under 1 KB).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long a delivered body is remembered, so a redelivery of it is acknowledged and dropped.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The certificate hosts in effect.</summary>
    internal IReadOnlyList<string> EffectiveCertificateHosts => CertificateHosts.Count > 0 ? CertificateHosts : ["3psostorageacct.blob.core.windows.net"];
}

/// <summary>Checks the host entries, which data annotations cannot.</summary>
internal sealed class PartnerCenterWebhookOptionsValidator : IValidateOptions<PartnerCenterWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, PartnerCenterWebhookOptions options)
    {
        List<string> failures = [];
        foreach (string entry in options.CertificateHosts)
        {
            if (!WebhookCertificateUrlPolicy.TryParseHostEntry(entry, out _, out _))
            {
                failures.Add($"{PartnerCenterWebhookOptions.SectionName}:CertificateHosts entry '{entry}' is not a host name or host:port.");
            }
        }

        if (!Enum.IsDefined(options.RevocationMode))
        {
            failures.Add($"{PartnerCenterWebhookOptions.SectionName}:RevocationMode must be Online, Offline or NoCheck.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
