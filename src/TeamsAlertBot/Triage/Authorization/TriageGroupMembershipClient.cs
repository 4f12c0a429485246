using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>
/// Asks Microsoft Graph whether a user is a direct or nested member of a group, with the Graph SDK
/// over a typed <see cref="HttpClient"/> whose handler adds the app token.
/// </summary>
/// <remarks>
/// The call is <c>GET /groups/{group}/transitiveMembers/{user}?$select=id</c>: 200 means member, 404
/// means not. It reads the group's side of the relationship, for which Graph's least privileged
/// application permission is <c>GroupMember.Read.All</c> (what the app registration already asks
/// for); the user-side calls (<c>POST /users/{id}/checkMemberGroups</c>, <c>/users/{id}/transitiveMemberOf</c>)
/// need <c>User.Read.All</c> on top. One small request whatever the group's size, no paging, and no
/// <c>ConsistencyLevel: eventual</c> index that lags behind membership changes. Groups with hidden
/// membership also need <c>Member.Read.Hidden</c>.
/// </remarks>
public sealed class TriageGroupMembershipClient(HttpClient http, IOptions<TriageAuthorizationOptions> options) : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> this client uses.</summary>
    public const string HttpClientName = "TriageGraph";

    // The token is the handler's business, so the SDK itself authenticates nothing.
    private readonly GraphServiceClient _graph = new(http, new AnonymousAuthenticationProvider(), options.Value.GraphRoot);

    /// <summary>True when <paramref name="objectId"/> is a direct or nested member of <paramref name="groupId"/>.</summary>
    /// <exception cref="ApiException">Graph answered anything but 200 or 404.</exception>
    /// <exception cref="HttpRequestException">Graph could not be reached.</exception>
    public async Task<bool> IsTransitiveMemberAsync(string groupId, string objectId, CancellationToken cancellationToken)
    {
        try
        {
            DirectoryObject? member = await _graph.Groups[groupId].TransitiveMembers[objectId].GetAsync(
                request => request.QueryParameters.Select = ["id"],
                cancellationToken);
            return string.Equals(member?.Id, objectId, StringComparison.OrdinalIgnoreCase);
        }
        catch (ApiException e) when (e.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            // "Resource does not exist or one of its queried reference-property objects are not present":
            // not a member (a wrong group id reads the same, and refuses everyone, which is the safe side).
            return false;
        }
    }

    /// <summary>Releases the SDK's request adapter (the <see cref="HttpClient"/> belongs to the factory).</summary>
    public void Dispose() => _graph.Dispose();
}
