using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Alerts;

/// <summary>Where alerts come from (Microsoft Graph in production).</summary>
public interface IAlertSource
{
    /// <summary>Every open alert (active or investigating), old ones included.</summary>
    Task<IReadOnlyList<PartnerSecurityAlert>> ListOpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The open alerts as they arrive, page by page, so a listing that fails half-way still yields what
    /// it read. The same alert may come twice (Graph's paging may repeat one); callers tolerate it.
    /// </summary>
    IAsyncEnumerable<PartnerSecurityAlert> StreamOpenAsync(CancellationToken cancellationToken);

    /// <summary>One alert as it is now; null when it no longer exists.</summary>
    Task<PartnerSecurityAlert?> GetAsync(string alertId, CancellationToken cancellationToken);
}

/// <summary>What a card shows besides the alert itself (customer, reseller, subscription names).</summary>
public interface IAlertContextProvider
{
    /// <summary>Never throws: unknown details come back empty and the card shows ids.</summary>
    Task<AlertCardContext> GetContextAsync(PartnerSecurityAlert alert, CancellationToken cancellationToken);
}
