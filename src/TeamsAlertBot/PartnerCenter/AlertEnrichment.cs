using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// What Partner Center adds to an alert for the card: the customer's name and domain, the indirect
/// reseller(s), and the subscription's friendly name and offer. Ids are always present; names are
/// null when unknown. <see cref="IsPartial"/> says a lookup failed, so names may appear next time.
/// </summary>
public sealed record AlertEnrichment
{
    public string? CustomerTenantId { get; init; }

    public string? CustomerName { get; init; }

    public string? CustomerDomain { get; init; }

    /// <summary><c>reseller</c>, <c>advisor</c>, … (Partner Center's open set).</summary>
    public string? RelationshipToPartner { get; init; }

    /// <summary>The alert's <c>valueAddedResellerTenantId</c>.</summary>
    public string? ValueAddedResellerTenantId { get; init; }

    /// <summary>
    /// The indirect reseller's name: the relationship matching <see cref="ValueAddedResellerTenantId"/>,
    /// or, when the alert names none, the customer's <c>associatedPartnerId</c>.
    /// </summary>
    public string? ValueAddedResellerName { get; init; }

    /// <summary>Every indirect reseller / provider relationship of the customer.</summary>
    public IReadOnlyList<ResellerInfo> Resellers { get; init; } = [];

    /// <summary>The alert's <c>subscriptionId</c> (normally the Azure subscription GUID).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The Azure subscription's name (entitlement), or the Partner Center subscription's.</summary>
    public string? SubscriptionFriendlyName { get; init; }

    /// <summary>The offer the subscription belongs to (<c>Azure plan</c> for entitlements).</summary>
    public string? OfferName { get; init; }

    public string? OfferId { get; init; }

    /// <summary>
    /// The Partner Center subscription: the Azure plan holding the Azure subscription, or the
    /// subscription itself when the alert's id is a Partner Center id. Needed to cancel or suspend.
    /// </summary>
    public string? PartnerCenterSubscriptionId { get; init; }

    /// <summary>How the alert's subscription id was found in Partner Center.</summary>
    public SubscriptionMatch SubscriptionMatch { get; init; }

    /// <summary>True when a lookup failed (timeout, 5xx, 403, throttling); the missing names are not known to be absent.</summary>
    public bool IsPartial { get; init; }

    /// <summary>The enrichment of an alert nothing could be added to: its ids only.</summary>
    public static AlertEnrichment IdsOnly(PartnerSecurityAlert alert, bool isPartial)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertEnrichment
        {
            CustomerTenantId = alert.CustomerTenantId,
            ValueAddedResellerTenantId = alert.ValueAddedResellerTenantId,
            SubscriptionId = alert.SubscriptionId,
            IsPartial = isPartial,
        };
    }
}

/// <summary>An indirect reseller (or provider) of a customer.</summary>
public sealed record ResellerInfo
{
    /// <summary>The reseller's tenant id.</summary>
    public string? TenantId { get; init; }

    public string? Name { get; init; }

    public string? RelationshipType { get; init; }

    public string? MpnId { get; init; }
}

/// <summary>How an alert's <c>subscriptionId</c> was matched.</summary>
public enum SubscriptionMatch
{
    /// <summary>Not looked up (no ids) or the lookup failed.</summary>
    Unknown,

    /// <summary>Partner Center has no such subscription for the customer.</summary>
    NotFound,

    /// <summary>An Azure subscription under the customer's Azure plan (the expected reading).</summary>
    AzureEntitlement,

    /// <summary>A Partner Center subscription id (legacy Azure offers use the Azure id as theirs).</summary>
    PartnerCenterSubscription,
}
