using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Delegated Graph tokens for the partner admin who consented at <c>/admin/graph-consent</c>: the
/// admin's grant (<see cref="AdminGrantTokens"/>) for <c>Graph:Delegated:Scope</c>.
/// </summary>
internal sealed class DelegatedGraphTokenSource(AdminGrantTokens tokens, IOptionsMonitor<GraphDelegatedOptions> options) : IGraphTokenSource
{
    public GraphAccessKind AccessKind => GraphAccessKind.Delegated;

    public Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken) =>
        tokens.GetAuthorizationAsync(options.CurrentValue.Scope, cancellationToken);
}
