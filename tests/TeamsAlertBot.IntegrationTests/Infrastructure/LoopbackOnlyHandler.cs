using System.Net;
using Microsoft.Extensions.Http;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// Added to every HttpClient of the bot under test: a request to a host that is not loopback fails
/// the test instead of leaving the machine, and is remembered so tests can assert there was none.
/// </summary>
public sealed class LoopbackOnlyHandler : DelegatingHandler
{
    private static readonly List<Uri> Refused = [];

    /// <summary>Non-loopback requests any bot under test attempted in this process.</summary>
    public static IReadOnlyList<Uri> RefusedRequests
    {
        get
        {
            lock (Refused)
            {
                return [.. Refused];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        if (uri.IsLoopback || IPAddress.TryParse(uri.Host, out IPAddress? ip) && IPAddress.IsLoopback(ip))
        {
            return base.SendAsync(request, cancellationToken);
        }

        lock (Refused)
        {
            Refused.Add(uri);
        }

        throw new HttpRequestException($"Test guard: the bot tried to reach {uri.Host}, which is not loopback.");
    }
}

/// <summary>Adds <see cref="LoopbackOnlyHandler"/> after every other handler of every client.</summary>
public sealed class LoopbackOnlyFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        builder.AdditionalHandlers.Add(new LoopbackOnlyHandler());
    };
}
