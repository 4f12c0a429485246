using Microsoft.Extensions.Options;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Decides whether the bot may call a service URL at all, and whether a token may travel with the
/// call. Entries are origins (<c>https://host[:port]</c>); a URL matches when scheme and host are equal
/// (case-insensitive) and so is the port — an entry without one means the scheme's default (443 for
/// https), never "any port": another port of a host can be another server.
/// </summary>
public sealed class ServiceUrlPolicy
{
    private readonly IReadOnlyList<Uri> _allowed;

    public ServiceUrlPolicy(IOptions<BotFrameworkOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = [.. options.Value.AllowedServiceUrls.Select(Parse)];
    }

    /// <summary>True when requests to <paramref name="url"/> are allowed.</summary>
    public bool IsAllowed(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        foreach (Uri entry in _allowed)
        {
            if (string.Equals(entry.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(entry.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)
                && entry.Port == url.Port)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a bearer token may be attached: allowed and HTTPS.</summary>
    public bool MayCarryToken(Uri url) => IsAllowed(url) && url.Scheme == Uri.UriSchemeHttps;

    /// <summary>Parses an activity's <c>serviceUrl</c>; null when it is not an absolute http(s) URL.</summary>
    public static Uri? TryParseServiceUrl(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    private static Uri Parse(string entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new OptionsValidationException(
                BotFrameworkOptions.SectionName,
                typeof(BotFrameworkOptions),
                [$"Bot:AllowedServiceUrls entry '{entry}' is not an absolute http(s) origin."]);
}
