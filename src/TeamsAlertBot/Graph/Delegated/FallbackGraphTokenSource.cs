using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// App-only Graph tokens until Graph refuses one for want of an MFA claim; then delegated tokens
/// (the partner admin's grant) for <see cref="GraphDelegatedOptions.RetryAppOnlyAfter"/>, then
/// app-only again. <see cref="GraphMfaFallbackHandler"/> reports the refusals and pins the kind
/// for each request, so <see cref="AccessKind"/> always names the token that request carried.
/// </summary>
internal sealed class FallbackGraphTokenSource : IGraphTokenSource
{
    // The kind chosen for the request in flight on this async flow (set by the handler, scoped to its call).
    private static readonly AsyncLocal<GraphAccessKind?> Pinned = new();

    private readonly IGraphTokenSource _appOnly;
    private readonly IGraphTokenSource _delegated;
    private readonly IOptionsMonitor<GraphDelegatedOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FallbackGraphTokenSource> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset? _delegatedUntil;

    /// <summary>Creates the source over the app-only and the delegated sources.</summary>
    public FallbackGraphTokenSource(
        IGraphTokenSource appOnly,
        IGraphTokenSource delegated,
        IOptionsMonitor<GraphDelegatedOptions> options,
        TimeProvider time,
        ILogger<FallbackGraphTokenSource> logger)
    {
        ArgumentNullException.ThrowIfNull(appOnly);
        ArgumentNullException.ThrowIfNull(delegated);
        if (appOnly.AccessKind != GraphAccessKind.Application || delegated.AccessKind != GraphAccessKind.Delegated)
        {
            throw new ArgumentException("The fallback needs an app-only source and a delegated source, in that order.");
        }

        _appOnly = appOnly;
        _delegated = delegated;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The kind of token this request gets: the pinned kind inside a Graph request, otherwise the current mode.</summary>
    public GraphAccessKind AccessKind => Pinned.Value ?? CurrentKind;

    /// <summary>The kind a new request gets now: delegated while the fallback period runs, otherwise app-only.</summary>
    public GraphAccessKind CurrentKind
    {
        get
        {
            lock (_gate)
            {
                if (_delegatedUntil is not { } until)
                {
                    return GraphAccessKind.Application;
                }

                if (_time.GetUtcNow() < until)
                {
                    return GraphAccessKind.Delegated;
                }

                _delegatedUntil = null;
            }

            DelegatedLog.BackToAppOnly(_logger);
            return GraphAccessKind.Application;
        }
    }

    public Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken) =>
        (AccessKind == GraphAccessKind.Delegated ? _delegated : _appOnly).GetAuthorizationAsync(cancellationToken);

    /// <summary>
    /// Graph refused a token of kind <paramref name="refused"/> for want of an MFA claim. An app-only
    /// refusal starts the delegated period (a refusal from a request that started before an earlier
    /// switch does not prolong it). Returns true when a new request would now carry another kind of
    /// token than the refused one, i.e. when sending the request again is worth it.
    /// </summary>
    public bool ReportMfaRequired(GraphAccessKind refused)
    {
        if (refused != GraphAccessKind.Application)
        {
            // Delegated tokens were refused too: nothing else to fall back to.
            return false;
        }

        DateTimeOffset until;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_delegatedUntil is { } current && now < current)
            {
                return true;
            }

            until = now + _options.CurrentValue.RetryAppOnlyAfter;
            _delegatedUntil = until;
        }

        DelegatedLog.SwitchedToDelegated(_logger, until);
        return true;
    }

    /// <summary>
    /// Fixes the kind of token for the rest of the caller's async flow (the current Graph request,
    /// its retries included). Only <see cref="GraphMfaFallbackHandler"/> calls it, from an async method,
    /// so the pin ends when that method returns.
    /// </summary>
    internal static void PinForCurrentRequest(GraphAccessKind kind) => Pinned.Value = kind;
}
