using System.Collections.Concurrent;
using System.Net;

namespace TeamsAlertBot.Tests.Webhooks.Fakes;

/// <summary>
/// The certificate download's primary handler: serves the files it was given by absolute URL,
/// answers 404 otherwise, and records every URL asked for, so a test can prove no fetch happened.
/// </summary>
internal sealed class WebhookFakeCertificateHost : HttpMessageHandler
{
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly ConcurrentDictionary<string, Func<HttpResponseMessage>> _files = new(StringComparer.Ordinal);

    public IReadOnlyList<Uri> Requests => [.. _requests];

    public WebhookFakeCertificateHost Serve(string url, byte[] content)
    {
        _files[new Uri(url).AbsoluteUri] = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
        return this;
    }

    public WebhookFakeCertificateHost Redirect(string url, string location)
    {
        _files[new Uri(url).AbsoluteUri] = () =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri(location);
            return response;
        };
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request.RequestUri!);
        HttpResponseMessage response = _files.TryGetValue(request.RequestUri!.AbsoluteUri, out Func<HttpResponseMessage>? file)
            ? file()
            : new HttpResponseMessage(HttpStatusCode.NotFound);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
