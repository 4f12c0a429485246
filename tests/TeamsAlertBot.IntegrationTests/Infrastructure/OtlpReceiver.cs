using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// A tiny OTLP/HTTP receiver on loopback: keeps the protobuf body of every export to
/// <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c> and answers 200. Span, metric and
/// attribute names are plain UTF-8 strings inside protobuf, so the tests look for them in the bytes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _exports = new(StringComparer.Ordinal);

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base endpoint to set as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return receiver;
    }

    /// <summary>How many exports of <paramref name="signal"/> (traces, metrics, logs) arrived.</summary>
    public int Count(string signal) => _exports.TryGetValue(signal, out ConcurrentQueue<byte[]>? queue) ? queue.Count : 0;

    /// <summary>The names among <paramref name="names"/> that no export of <paramref name="signal"/> contains yet.</summary>
    public IReadOnlyList<string> Missing(string signal, IEnumerable<string> names)
    {
        byte[][] bodies = _exports.TryGetValue(signal, out ConcurrentQueue<byte[]>? queue) ? [.. queue] : [];
        return [.. names.Where(name => !bodies.Any(body => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)) >= 0))];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
