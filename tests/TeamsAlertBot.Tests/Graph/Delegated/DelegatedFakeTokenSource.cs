using System.Net.Http.Headers;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Tests.Graph.Delegated;

/// <summary>A Graph token source of one kind that hands out a fixed token (or throws) and counts the calls.</summary>
internal sealed class DelegatedFakeTokenSource(GraphAccessKind kind, string token, Exception? failure = null) : IGraphTokenSource
{
    private int _calls;

    public GraphAccessKind AccessKind => kind;

    public int Calls => Volatile.Read(ref _calls);

    public static DelegatedFakeTokenSource App() => new(GraphAccessKind.Application, "app-only-token");

    public static DelegatedFakeTokenSource Delegated(Exception? failure = null) => new(GraphAccessKind.Delegated, "delegated-token", failure);

    public Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return failure is null
            ? Task.FromResult(new AuthenticationHeaderValue("Bearer", token))
            : Task.FromException<AuthenticationHeaderValue>(failure);
    }
}
