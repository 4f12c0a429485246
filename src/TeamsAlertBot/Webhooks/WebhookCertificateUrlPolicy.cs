using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Decides whether the sender-chosen <c>X-MS-Certificate-Url</c> may be fetched at all: https,
/// no user info, no query or fragment, an allow-listed host (and port), a path under the configured
/// prefix with the configured ending, and nothing that a server might read as another path.
/// </summary>
internal sealed class WebhookCertificateUrlPolicy(IOptions<PartnerCenterWebhookOptions> options)
{
    /// <summary>Longer certificate URLs are refused outright.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The URL, when every rule holds; null otherwise.</summary>
    public Uri? Check(string? url)
    {
        // A query or fragment changes nothing about which certificate a blob store serves, but each
        // fresh one would be a new URL to fetch and cache: Microsoft's certificate URLs have neither.
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || url.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri))
        {
            return null;
        }

        PartnerCenterWebhookOptions settings = options.Value;
        bool allowed = uri.Scheme == Uri.UriSchemeHttps
            && string.IsNullOrEmpty(uri.UserInfo)
            && string.IsNullOrEmpty(uri.Query)
            && string.IsNullOrEmpty(uri.Fragment)
            && HostAllowed(uri, settings.EffectiveCertificateHosts)
            && PathAllowed(uri.AbsolutePath, settings);
        return allowed ? uri : null;
    }

    /// <summary>Parses <c>host</c> or <c>host:port</c>.</summary>
    public static bool TryParseHostEntry(string entry, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        if (string.IsNullOrWhiteSpace(entry) || !Uri.TryCreate($"https://{entry.Trim()}/", UriKind.Absolute, out Uri? parsed)
            || !string.IsNullOrEmpty(parsed.UserInfo) || parsed.AbsolutePath != "/")
        {
            return false;
        }

        host = parsed.IdnHost;
        port = parsed.IsDefaultPort ? null : parsed.Port;
        return true;
    }

    private static bool HostAllowed(Uri uri, IReadOnlyList<string> entries)
    {
        foreach (string entry in entries)
        {
            if (TryParseHostEntry(entry, out string host, out int? port)
                && string.Equals(uri.IdnHost, host, StringComparison.OrdinalIgnoreCase)
                && (port is null ? uri.IsDefaultPort : uri.Port == port))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PathAllowed(string path, PartnerCenterWebhookOptions settings) =>
        path.StartsWith(settings.CertificatePathPrefix, StringComparison.Ordinal)
        && path.EndsWith(settings.CertificatePathSuffix, StringComparison.OrdinalIgnoreCase)
        && path.Length > settings.CertificatePathPrefix.Length + settings.CertificatePathSuffix.Length
        // Escapes, dot segments and doubled slashes could name another blob than the one the
        // prefix check saw; Microsoft's certificate URLs have none of them.
        && !path.Contains('%', StringComparison.Ordinal)
        && !path.Contains("..", StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal);
}
