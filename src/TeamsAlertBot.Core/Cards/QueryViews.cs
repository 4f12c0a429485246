using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Core.Cards;

/// <summary>A Partner Center customer as the query cards show it.</summary>
public sealed record CustomerView
{
    public required string TenantId { get; init; }

    public string? CompanyName { get; init; }

    public string? Domain { get; init; }

    /// <summary><c>reseller</c>, <c>advisor</c>, … (Partner Center's open set).</summary>
    public string? RelationshipToPartner { get; init; }

    /// <summary>Only the by-id call returns it.</summary>
    public bool? AllowDelegatedAccess { get; init; }

    /// <summary>The indirect reseller's id on the customer record, if any.</summary>
    public string? AssociatedPartnerId { get; init; }

    /// <summary>The name to show: company, else domain, else tenant id.</summary>
    [JsonIgnore]
    public string DisplayName => AlertCards.OneLine(CompanyName) ?? AlertCards.OneLine(Domain) ?? TenantId;
}

/// <summary>An indirect reseller (or provider) of a customer.</summary>
public sealed record ResellerView
{
    public string? TenantId { get; init; }

    public string? Name { get; init; }

    /// <summary><c>IsIndirectResellerOf</c>, <c>IsIndirectCloudSolutionProviderOf</c>, …</summary>
    public string? RelationshipType { get; init; }

    public string? State { get; init; }

    public string? MpnId { get; init; }
}

/// <summary>An Azure subscription under an Azure plan.</summary>
public sealed record AzureSubscriptionView
{
    public required string Id { get; init; }

    public string? FriendlyName { get; init; }

    public string? Status { get; init; }
}

/// <summary>A Partner Center subscription, with its Azure subscriptions when it is an Azure plan.</summary>
public sealed record SubscriptionView
{
    public required CustomerView Customer { get; init; }

    /// <summary>The Partner Center subscription id.</summary>
    public required string Id { get; init; }

    public string? FriendlyName { get; init; }

    public string? OfferId { get; init; }

    public string? OfferName { get; init; }

    public string? Status { get; init; }

    public int? Quantity { get; init; }

    public string? BillingCycle { get; init; }

    public string? TermDuration { get; init; }

    public bool? AutoRenewEnabled { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? EffectiveStartDate { get; init; }

    public DateTimeOffset? CommitmentEndDate { get; init; }

    /// <summary>True for an Azure plan: <see cref="AzureSubscriptions"/> lists what is under it.</summary>
    public bool IsAzurePlan { get; init; }

    public IReadOnlyList<AzureSubscriptionView> AzureSubscriptions { get; init; } = [];

    /// <summary>When the user asked for an Azure subscription id: that subscription (under this plan).</summary>
    public string? AskedAzureSubscriptionId { get; init; }
}

/// <summary>The partner's organization profile.</summary>
public sealed record OrganizationProfileView
{
    public string? Id { get; init; }

    public string? CompanyName { get; init; }

    public string? TenantId { get; init; }

    public string? Domain { get; init; }

    public string? Email { get; init; }

    public string? Language { get; init; }

    public string? Culture { get; init; }

    /// <summary>The default address on one line.</summary>
    public string? Address { get; init; }
}

/// <summary>One line of the bot's own audit trail of an alert.</summary>
public sealed record AuditLine(DateTimeOffset At, string Action, string? Actor, string? Comment, string Outcome);

/// <summary>One page of the <c>alerts</c> list.</summary>
public sealed record AlertListPage
{
    /// <summary>The request, with the customer already resolved to a tenant id.</summary>
    public required AlertListRequest Request { get; init; }

    /// <summary>The customer the list is filtered on (for the header), when there is one.</summary>
    public string? CustomerLabel { get; init; }

    /// <summary>The alerts of this page.</summary>
    public required IReadOnlyList<PartnerSecurityAlert> Alerts { get; init; }

    /// <summary>How many alerts match, on every page.</summary>
    public required int Total { get; init; }

    public required int PageSize { get; init; }

    /// <summary>Customer names by tenant id (the tenant id is shown when missing).</summary>
    public IReadOnlyDictionary<string, string> CustomerNames { get; init; } = new Dictionary<string, string>();

    /// <summary>How many pages there are (at least 1).</summary>
    [JsonIgnore]
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What kind of problem a query answer explains.</summary>
public enum QueryProblemKind
{
    /// <summary>Bad or missing input: the detail says what, the usage says how.</summary>
    Usage,
    CustomerNotFound,
    SubscriptionNotFound,
    AlertNotFound,

    /// <summary>A subscription id no open alert names, given without a customer.</summary>
    SubscriptionNeedsCustomer,

    /// <summary>Partner Center answered 429 after the retries.</summary>
    PartnerCenterBusy,

    /// <summary>Partner Center failed (5xx, timeout, transport, unreadable answer).</summary>
    PartnerCenterUnavailable,

    /// <summary>Partner Center answered 401 or 403.</summary>
    PartnerCenterRefused,

    /// <summary>Partner Center refused the App+User token of the consented admin (401/403).</summary>
    ProfileNotAllowed,

    /// <summary>The organization profile needs App+User, and no partner admin's grant is usable (<see cref="QueryProblem.Grant"/>).</summary>
    ProfileNeedsAdminGrant,

    /// <summary>Graph answered 429.</summary>
    GraphBusy,

    /// <summary>Graph failed.</summary>
    GraphUnavailable,

    /// <summary>The service has no credentials on this deployment: nothing was asked.</summary>
    NotConfigured,
}

/// <summary>Why the partner admin's grant (the secure application model) cannot be used.</summary>
public enum AdminGrantIssue
{
    /// <summary>No partner admin has consented yet.</summary>
    NotConsented,

    /// <summary>The grant's tokens are no longer stored.</summary>
    GrantMissing,

    /// <summary>Entra ID refused the stored refresh token (expired, revoked, policy changed).</summary>
    GrantExpired,

    /// <summary>The stored grant cannot be decrypted on this instance.</summary>
    CacheUnreadable,
}

/// <summary>A problem to explain instead of an answer.</summary>
public sealed record QueryProblem(QueryProblemKind Kind)
{
    /// <summary>The command whose usage to show (for <see cref="QueryProblemKind.Usage"/>).</summary>
    public CommandKind Command { get; init; }

    /// <summary>The already-worded detail of a usage problem.</summary>
    public string? Detail { get; init; }

    /// <summary>What was looked for (customer, subscription, alert id).</summary>
    public string? Subject { get; init; }

    /// <summary>A second subject (the customer of a subscription).</summary>
    public string? Context { get; init; }

    /// <summary>How long to wait, from Retry-After when the service said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>Partner Center's request and correlation ids, for support.</summary>
    public string? RequestIds { get; init; }

    /// <summary>The service that is not set up (for <see cref="QueryProblemKind.NotConfigured"/>).</summary>
    public string? Service { get; init; }

    /// <summary>The settings that would set it up (for <see cref="QueryProblemKind.NotConfigured"/>).</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>Why the admin's grant is unusable (for <see cref="QueryProblemKind.ProfileNeedsAdminGrant"/>).</summary>
    public AdminGrantIssue Grant { get; init; }
}

/// <summary>
/// The data of a query card's button: re-run <see cref="Command"/> with <see cref="Arguments"/>
/// (pick one of several customers, next page of a list). <c>Action.Submit</c> also carries the verb.
/// </summary>
public sealed record QueryActionData(string Command, string Arguments)
{
    /// <summary>Set only in the <c>Action.Submit</c> fallback.</summary>
    public string? Verb { get; init; }

    /// <summary>
    /// The server's signature over the command, its arguments and the conversation the card was posted
    /// in; the host adds it when it posts the card (a card builder has no key).
    /// </summary>
    public string? Signature { get; init; }
}

/// <summary>Serializer metadata for the query buttons' data (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QueryActionData))]
public sealed partial class QueryCardJsonContext : JsonSerializerContext;
