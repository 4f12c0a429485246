using System.Collections.Concurrent;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Operations;

/// <summary>
/// What this instance last heard from each service it calls, as <c>status</c> shows it: the last
/// answer (any HTTP status) and the last call that got none. Fed by <see cref="ServiceCallRecorder"/>
/// on the typed clients, so the answer costs no extra request.
/// </summary>
public sealed class ServiceCalls(TimeProvider time)
{
    /// <summary>The name under which Graph's alert API calls are kept.</summary>
    public const string Graph = "graph";

    /// <summary>The name under which Partner Center calls are kept.</summary>
    public const string PartnerCenter = "partner-center";

    private readonly ConcurrentDictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    /// <summary>Records an answer from <paramref name="service"/>.</summary>
    public void Answered(string service, int status) =>
        _seen.AddOrUpdate(service, _ => new Seen((status, time.GetUtcNow()), null), (_, s) => s with { Answer = (status, time.GetUtcNow()) });

    /// <summary>Records a call to <paramref name="service"/> that got no answer.</summary>
    public void NotAnswered(string service, string reason) =>
        _seen.AddOrUpdate(service, _ => new Seen(null, (reason, time.GetUtcNow())), (_, s) => s with { Failure = (reason, time.GetUtcNow()) });

    /// <summary>The state of <paramref name="service"/>, with the settings it misses when it has no credentials.</summary>
    public ServiceCallState StateOf(string service, IReadOnlyList<string> missingSettings) =>
        _seen.TryGetValue(service, out Seen? seen)
            ? new ServiceCallState(missingSettings) { LastAnswer = seen.Answer, LastFailure = seen.Failure }
            : new ServiceCallState(missingSettings);

    private sealed record Seen((int Status, DateTimeOffset At)? Answer, (string Reason, DateTimeOffset At)? Failure);
}

/// <summary>
/// Innermost handler of a typed client: every attempt that reaches the network is recorded in
/// <see cref="ServiceCalls"/> (an answer's status, or the kind of failure — never a URL or a body).
/// </summary>
public sealed class ServiceCallRecorder(ServiceCalls calls, string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            calls.Answered(service, (int)response.StatusCode);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException)
        {
            calls.NotAnswered(service, e is HttpRequestException ? "transport error" : "timeout");
            throw;
        }
    }
}
