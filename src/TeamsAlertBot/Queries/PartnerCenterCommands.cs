using System.Net;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Queries;

/// <summary><c>customer &lt;tenant id | domain | name&gt;</c>: the customer, its indirect reseller(s) and open alerts.</summary>
public sealed class CustomerCommand(QueryServices services) : QueryCommand(services)
{
    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Customer;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        RequireInput(arguments, texts);
        CustomerView match = await ResolveCustomerAsync(arguments, texts, tenant => Rerun("customer", tenant), cancellationToken);
        // The by-id answer has more (delegated access); a search hit is enough when it is gone meanwhile.
        CustomerView customer = await Services.PartnerCenter.GetCustomerAsync(match.TenantId, cancellationToken) ?? match;
        List<ResellerView>? resellers = await Services.PartnerCenter.GetResellersAsync(customer.TenantId, cancellationToken);
        List<PartnerSecurityAlert>? open = await TryOpenAlertsAsync(a => PartnerCenterCacheKeys.SameId(a.CustomerTenantId, customer.TenantId), cancellationToken);
        return QueryCards.Customer(texts, customer, resellers, open, Services.Time.GetUtcNow());
    }
}

/// <summary><c>reseller &lt;customer&gt;</c>: the customer's indirect reseller(s) and its associated partner id.</summary>
public sealed class ResellerCommand(QueryServices services) : QueryCommand(services)
{
    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Reseller;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        RequireInput(arguments, texts);
        CustomerView match = await ResolveCustomerAsync(arguments, texts, tenant => Rerun("reseller", tenant), cancellationToken);
        CustomerView customer = await Services.PartnerCenter.GetCustomerAsync(match.TenantId, cancellationToken) ?? match;
        List<ResellerView> resellers = await Services.PartnerCenter.GetResellersAsync(customer.TenantId, cancellationToken) ?? [];
        return QueryCards.Resellers(texts, customer, resellers);
    }
}

/// <summary><c>profile</c>: the partner's organization profile (Partner Center allows it only for App+User).</summary>
public sealed class ProfileCommand(QueryServices services) : QueryCommand(services)
{
    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Profile;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        OrganizationProfileView profile = await Services.PartnerCenter.GetProfileAsync(cancellationToken)
            ?? throw new QueryProblemException(new QueryProblem(QueryProblemKind.PartnerCenterUnavailable));
        return QueryCards.Profile(texts, profile);
    }

    /// <inheritdoc />
    protected override QueryProblem PartnerCenterProblem(PartnerCenterException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // The call needs the partner admin's grant (App+User); no grant, or one Partner Center refuses,
        // each get their own explanation rather than "Partner Center refused".
        if (FindGrantProblem(exception) is { } grant)
        {
            return new QueryProblem(QueryProblemKind.ProfileNeedsAdminGrant) { Grant = grant };
        }

        return exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new QueryProblem(QueryProblemKind.ProfileNotAllowed) { StatusCode = (int)exception.StatusCode }
            : base.PartnerCenterProblem(exception);
    }

    private static AdminGrantIssue? FindGrantProblem(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is Graph.Delegated.GraphDelegatedConsentRequiredException consent)
            {
                return consent.Problem switch
                {
                    Graph.Delegated.DelegatedGrantProblem.GrantMissing => AdminGrantIssue.GrantMissing,
                    Graph.Delegated.DelegatedGrantProblem.GrantExpired => AdminGrantIssue.GrantExpired,
                    Graph.Delegated.DelegatedGrantProblem.CacheUnreadable => AdminGrantIssue.CacheUnreadable,
                    _ => AdminGrantIssue.NotConsented,
                };
            }
        }

        return null;
    }
}

/// <summary>
/// <c>subscription &lt;id&gt; [customer]</c>: the subscription (a Partner Center subscription, or an
/// Azure subscription under an Azure plan), the plan's Azure subscriptions, and its open alerts.
/// Without a customer, the customer is taken from the open alerts on that subscription.
/// </summary>
public sealed class SubscriptionCommand(QueryServices services) : QueryCommand(services)
{
    /// <inheritdoc />
    public override CommandKind Kind => CommandKind.Subscription;

    /// <inheritdoc />
    protected override async Task<AdaptiveCard> AnswerAsync(TurnContext turn, string arguments, QueryTexts texts, CancellationToken cancellationToken)
    {
        RequireInput(arguments, texts, QueryInput.MaxArgumentsLength);
        int space = arguments.IndexOf(' ', StringComparison.Ordinal);
        string subscriptionId = space < 0 ? arguments : arguments[..space];
        string customerText = space < 0 ? string.Empty : arguments[(space + 1)..].Trim();
        RequireInput(subscriptionId, texts);

        List<PartnerSecurityAlert>? open = null;
        CustomerView customer;
        if (customerText.Length > 0)
        {
            RequireInput(customerText, texts);
            customer = await ResolveCustomerAsync(customerText, texts, tenant => Rerun("subscription", subscriptionId + " " + tenant), cancellationToken);
        }
        else
        {
            open = await ListAlertsAsync(Graph.AlertQuery.Open, cancellationToken);
            string[] tenants = [.. open
                .Where(a => PartnerCenterCacheKeys.SameId(a.SubscriptionId, subscriptionId))
                .Select(a => PartnerCenterCacheKeys.NormalizeId(a.CustomerTenantId))
                .OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase)];
            if (tenants.Length == 0)
            {
                throw new QueryProblemException(new QueryProblem(QueryProblemKind.SubscriptionNeedsCustomer) { Subject = subscriptionId });
            }

            List<CustomerView> customers = [];
            foreach (string tenant in tenants)
            {
                customers.Add(await Services.PartnerCenter.GetCustomerAsync(tenant, cancellationToken) ?? new CustomerView { TenantId = tenant });
            }

            if (customers.Count > 1)
            {
                throw new CustomerChoiceException(QueryCards.CustomerChoice(texts, subscriptionId, customers, tenant => Rerun("subscription", subscriptionId + " " + tenant)));
            }

            customer = customers[0];
        }

        SubscriptionView subscription = await Services.PartnerCenter.GetSubscriptionAsync(customer, subscriptionId, cancellationToken)
            ?? throw new QueryProblemException(new QueryProblem(QueryProblemKind.SubscriptionNotFound) { Subject = subscriptionId, Context = customer.DisplayName });

        // Alerts name Azure subscriptions: the one asked for, or every one under the plan asked for.
        HashSet<string> ids = new(StringComparer.OrdinalIgnoreCase) { subscriptionId, subscription.Id };
        if (subscription.AskedAzureSubscriptionId is null)
        {
            ids.UnionWith(subscription.AzureSubscriptions.Select(a => a.Id));
        }

        bool Concerns(PartnerSecurityAlert a) =>
            PartnerCenterCacheKeys.SameId(a.CustomerTenantId, customer.TenantId)
            && ids.Any(id => PartnerCenterCacheKeys.SameId(a.SubscriptionId, id));
        List<PartnerSecurityAlert>? alerts = open is not null
            ? [.. open.Where(Concerns)]
            : await TryOpenAlertsAsync(Concerns, cancellationToken);
        return QueryCards.Subscription(texts, subscription, alerts, Services.Time.GetUtcNow(), Services.TimeZone);
    }
}
