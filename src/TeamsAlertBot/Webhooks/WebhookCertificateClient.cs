using System.Net;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Downloads a webhook signing certificate over a typed <see cref="HttpClient"/> whose primary
/// handler never follows redirects: anything but a 200 is a failure, and so is a body larger than
/// <see cref="PartnerCenterWebhookOptions.MaxCertificateBytes"/>.
/// </summary>
internal sealed class WebhookCertificateClient(HttpClient http, IOptions<PartnerCenterWebhookOptions> options)
{
    /// <summary>The name of the <see cref="HttpClient"/> this client uses.</summary>
    public const string HttpClientName = "PartnerCenterWebhookCertificates";

    /// <summary>The certificate's bytes (DER or PEM).</summary>
    /// <exception cref="WebhookCertificateDownloadException">Not a 200, too large, or no answer.</exception>
    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        int limit = options.Value.MaxCertificateBytes;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            throw new WebhookCertificateDownloadException($"no answer ({e.GetType().Name})", e);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // A 3xx lands here too: the handler does not follow redirects, and neither do we.
                throw new WebhookCertificateDownloadException($"answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > limit)
            {
                throw new WebhookCertificateDownloadException($"declared {response.Content.Headers.ContentLength} bytes, over {limit}");
            }

            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new WebhookCertificateDownloadException($"body over {limit} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}

/// <summary>The signing certificate could not be downloaded.</summary>
internal sealed class WebhookCertificateDownloadException : Exception
{
    public WebhookCertificateDownloadException()
    {
    }

    public WebhookCertificateDownloadException(string message)
        : base(message)
    {
    }

    public WebhookCertificateDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
