using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Graph;

/// <summary>
/// The partner security alerts: list, read, and update (triage). <see cref="PartnerSecurityAlertClient"/> calls
/// Microsoft Graph (beta); <see cref="Demo.DemoAlertClient"/> serves the embedded demo tenant.
/// </summary>
public interface IPartnerSecurityAlertClient
{
    /// <summary>
    /// Every alert matching <paramref name="query"/>, page after page (<c>@odata.nextLink</c>, followed
    /// only on the configured Graph origin). The query goes to Graph as <c>$filter</c>; if Graph
    /// answers 400 to it, the list is read unfiltered and filtered here, and this process stops
    /// sending that filter. Alerts are checked against the query here in both cases.
    /// </summary>
    /// <exception cref="GraphException">Graph failed, or a page could not be read; alerts already yielded stand.</exception>
    /// <exception cref="GraphOriginRefusedException">A next link pointed elsewhere.</exception>
    IAsyncEnumerable<PartnerSecurityAlert> ListAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>One alert, or null when Graph does not know the id.</summary>
    /// <exception cref="GraphException">Any other failure, including a 404 that says the API itself is missing.</exception>
    Task<PartnerSecurityAlert?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the alert's status (and verdict) with <c>PATCH</c>, and returns the alert as Graph now has
    /// it: from the 200 body, or read back when Graph answers 204 or a body that is not an alert.
    /// </summary>
    /// <exception cref="GraphException">Graph refused the update (a 404 included: there is nothing to update).</exception>
    Task<PartnerSecurityAlert> UpdateAsync(string id, AlertUpdate update, CancellationToken cancellationToken = default);
}
