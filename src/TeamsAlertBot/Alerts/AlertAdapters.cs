using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Alerts;

/// <summary>Alerts from Microsoft Graph (beta) partner security alerts.</summary>
internal sealed class GraphAlertSource(IPartnerSecurityAlertClient graph) : IAlertSource
{
    public async Task<IReadOnlyList<PartnerSecurityAlert>> ListOpenAsync(CancellationToken cancellationToken)
    {
        List<PartnerSecurityAlert> alerts = [];
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(AlertQuery.Open, cancellationToken))
        {
            alerts.Add(alert);
        }

        // Graph's paging can repeat an alert on two pages: one entry per id.
        return [.. alerts.DistinctBy(a => a.Id, StringComparer.Ordinal)];
    }

    public IAsyncEnumerable<PartnerSecurityAlert> StreamOpenAsync(CancellationToken cancellationToken) =>
        graph.ListAsync(AlertQuery.Open, cancellationToken);

    public Task<PartnerSecurityAlert?> GetAsync(string alertId, CancellationToken cancellationToken) =>
        graph.GetAsync(alertId, cancellationToken);
}

/// <summary>Card context from Partner Center (cached; ids only when Partner Center cannot tell).</summary>
internal sealed class PartnerCenterContextProvider(IAlertEnricher enricher) : IAlertContextProvider
{
    public async Task<AlertCardContext> GetContextAsync(PartnerSecurityAlert alert, CancellationToken cancellationToken)
    {
        AlertEnrichment enrichment = await enricher.EnrichAsync(alert, cancellationToken);
        List<string> resellers = [.. enrichment.Resellers.Select(r => r.Name).OfType<string>()];
        if (enrichment.ValueAddedResellerName is { Length: > 0 } var && !resellers.Contains(var, StringComparer.Ordinal))
        {
            resellers.Add(var);
        }

        return new AlertCardContext
        {
            CustomerName = enrichment.CustomerName,
            CustomerDomain = enrichment.CustomerDomain,
            CustomerTenantId = enrichment.CustomerTenantId,
            ResellerNames = resellers,
            SubscriptionName = enrichment.SubscriptionFriendlyName,
            SubscriptionOffer = enrichment.OfferName ?? enrichment.OfferId,
            AzurePlanSubscriptionId = enrichment.SubscriptionMatch == SubscriptionMatch.AzureEntitlement ? enrichment.PartnerCenterSubscriptionId : null,
        };
    }
}
