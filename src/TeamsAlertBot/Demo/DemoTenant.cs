using System.Globalization;
using System.Text.Json;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Demo;

/// <summary>
/// The embedded demo partner tenant: made-up customers (English and Japanese names), indirect resellers,
/// Azure plans with their Azure subscriptions, and partner security alerts of the Partner Center reference
/// guide's types — an old backlog for the backfill, a few recent ones, verdicts of yesterday for the daily
/// summary, a storm for one customer when a channel subscribes, and a new alert every so often. Alerts
/// change when triaged and Azure subscriptions when cancelled, so the bot sees its own actions. Nothing is
/// persisted: every start begins with the same tenant, dated from the start.
/// </summary>
public sealed class DemoTenant
{
    /// <summary>The customer whose alerts come in a storm.</summary>
    public const string StormCustomerTenantId = "de000000-0000-4000-8000-0000000000c2";

    /// <summary>The Azure plan offer (the prefix <c>PartnerCenter:AzurePlanOfferIds</c> recognises).</summary>
    private const string AzurePlanOffer = "DZH318Z0BCZC";

    private static readonly DemoCustomer[] Customers =
    [
        new("de000000-0000-4000-8000-0000000000c1", "Contoso Ltd", "contoso-demo.onmicrosoft.com", null,
            [("de000000-0000-4000-8000-0000000000a1", "Contoso Production"), ("de000000-0000-4000-8000-0000000000a2", "Contoso Dev/Test")]),
        new(StormCustomerTenantId, "株式会社さくら商事", "sakurashoji-demo.onmicrosoft.com", Resellers.Mirai,
            [("de000000-0000-4000-8000-0000000000a3", "本番環境"), ("de000000-0000-4000-8000-0000000000a4", "機械学習 検証")]),
        new("de000000-0000-4000-8000-0000000000c3", "Fabrikam, Inc.", "fabrikam-demo.onmicrosoft.com", Resellers.Adatum,
            [("de000000-0000-4000-8000-0000000000a5", "Fabrikam Analytics")]),
        new("de000000-0000-4000-8000-0000000000c4", "北海道ロジスティクス株式会社", "hokkaido-logi-demo.onmicrosoft.com", null,
            [("de000000-0000-4000-8000-0000000000a6", "物流システム")]),
        new("de000000-0000-4000-8000-0000000000c5", "Northwind Traders", "northwind-demo.onmicrosoft.com", Resellers.Adatum,
            [("de000000-0000-4000-8000-0000000000a7", "Northwind Web")]),
        new("de000000-0000-4000-8000-0000000000c6", "東京デザイン工房", "tokyo-design-demo.onmicrosoft.com", Resellers.Mirai,
            [("de000000-0000-4000-8000-0000000000a8", "レンダリング")]),
    ];

    /// <summary>The alert types of the Partner Center reference guide, with what the demo says about each.</summary>
    private static readonly DemoAlertType[] Types =
    [
        new("CryptoMining", "Crypto-mining activity detected", "Processes on a virtual machine connect to known crypto-mining pools.", "Microsoft.Compute/virtualMachines", "vm-batch"),
        new("ARM_AnomalousResourceConsumption", "Anomalous resource consumption", "Compute usage in the subscription rose far above its usual level within hours.", "Microsoft.Compute/virtualMachineScaleSets", "vmss-render"),
        new("VM_AnomalousDeployment", "Unusual VM deployment detected", "Many large GPU virtual machines were deployed in regions the subscription never used.", "Microsoft.Compute/virtualMachines", "vm-gpu"),
        new("AzureMachineLearning_AnomalousDeployment", "Anomalous Azure Machine Learning deployment", "Compute clusters of an Azure Machine Learning workspace were scaled out unusually.", "Microsoft.MachineLearningServices/workspaces", "aml-ws"),
        new("ARM_SuspiciousOperations", "Suspicious management operations", "A new identity created role assignments and deployments from an unfamiliar location.", "Microsoft.Resources/deployments", "deploy"),
    ];

    private static readonly string[] Regions = ["japaneast", "eastus", "westeurope", "southeastasia", "japanwest", "brazilsouth"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PartnerSecurityAlert> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entitlementStatus = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private int _next;
    private bool _stormReleased;

    public DemoTenant(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        DateTimeOffset now = time.GetUtcNow();

        // The backlog: open alerts days old (the first poll leaves them to the backfill summary).
        int[] backlogDays = [26, 19, 14, 11, 9, 6, 4, 3, 2];
        for (int i = 0; i < backlogDays.Length; i++)
        {
            AlertStatus status = i % 4 == 1 ? AlertStatus.Investigating : AlertStatus.Active;
            Add(Create(Customers[i % Customers.Length], Types[i % Types.Length], (AlertSeverity)(2 + (i % 3)), now - TimeSpan.FromDays(backlogDays[i]) - TimeSpan.FromHours(i), status));
        }

        // A few hours old: still within the first poll's look-back.
        Add(Create(Customers[3], Types[0], AlertSeverity.High, now - TimeSpan.FromHours(5), AlertStatus.Active));
        Add(Create(Customers[4], Types[4], AlertSeverity.Medium, now - TimeSpan.FromHours(2), AlertStatus.Active));

        // Decided yesterday (the daily summary lists yesterday's verdicts; `alerts all` shows them).
        AlertResolvedReason[] verdicts = [AlertResolvedReason.Fraud, AlertResolvedReason.Legitimate, AlertResolvedReason.Ignore];
        for (int i = 0; i < verdicts.Length; i++)
        {
            PartnerSecurityAlert alert = Create(Customers[(i + 2) % Customers.Length], Types[(i + 1) % Types.Length], AlertSeverity.Medium, now - TimeSpan.FromDays(2 + i), AlertStatus.Active);
            Add(Resolve(alert, verdicts[i], now - TimeSpan.FromDays(1), "analyst@demo-partner.example"));
        }
    }

    /// <summary>The demo customers as Partner Center describes them.</summary>
    public IReadOnlyList<PartnerCenterCustomer> ListCustomers() => [.. Customers.Select(c => c.ToPartnerCenter())];

    /// <summary>Every alert as it is now.</summary>
    public IReadOnlyList<PartnerSecurityAlert> ListAlerts()
    {
        lock (_gate)
        {
            return [.. _alerts.Values.OrderBy(a => a.DetectedDateTime).ThenBy(a => a.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>One alert, or null.</summary>
    public PartnerSecurityAlert? GetAlert(string id)
    {
        lock (_gate)
        {
            return _alerts.GetValueOrDefault(id);
        }
    }

    /// <summary>Applies a triage update (status and verdict) as Graph would, with an activity log entry; null when unknown.</summary>
    public PartnerSecurityAlert? Update(string id, AlertStatus status, AlertResolvedReason? reason)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_alerts.TryGetValue(id, out PartnerSecurityAlert? alert))
            {
                return null;
            }

            PartnerSecurityAlert updated = status == AlertStatus.Resolved && reason is { } verdict
                ? Resolve(alert, verdict, now, "analyst@demo-partner.example")
                : alert with
                {
                    Status = status,
                    ResolvedReason = null,
                    ResolvedOnDateTime = null,
                    ResolvedBy = null,
                    ActivityLogs = [.. alert.ActivityLogs ?? [], Log(alert.Status, status, now)],
                };
            _alerts[id] = updated;
            return updated;
        }
    }

    /// <summary>
    /// What a channel's subscription sets off: two new alerts of different customers and, the first time,
    /// a storm of one customer's alerts (more than the storm threshold within minutes).
    /// </summary>
    public int ReleaseWave(int stormSize)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            int added = 0;
            Add(Create(Customers[0], Types[2], AlertSeverity.High, now - TimeSpan.FromMinutes(3), AlertStatus.Active));
            Add(Create(Customers[2], Types[3], AlertSeverity.Medium, now - TimeSpan.FromMinutes(2), AlertStatus.Active));
            added += 2;
            if (!_stormReleased)
            {
                _stormReleased = true;
                for (int i = 0; i < stormSize; i++)
                {
                    Add(Create(Customers[1], Types[i % 2], i % 3 == 0 ? AlertSeverity.High : AlertSeverity.Medium, now - TimeSpan.FromSeconds(90 - i), AlertStatus.Active));
                    added++;
                }
            }

            return added;
        }
    }

    /// <summary>One new alert, as one arrives every so often while the bot runs.</summary>
    public PartnerSecurityAlert ReleaseOne()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            int n = _next;
            PartnerSecurityAlert alert = Create(Customers[n % Customers.Length], Types[(n / 2) % Types.Length], (AlertSeverity)(2 + (n % 3)), now, AlertStatus.Active);
            Add(alert);
            return alert;
        }
    }

    /// <summary>The customer's subscriptions: its Azure plan, and a Microsoft 365 subscription.</summary>
    public IReadOnlyList<PartnerCenterSubscription>? ListSubscriptions(string customerTenantId) =>
        Find(customerTenantId) is { } customer ? [customer.AzurePlan(), customer.Microsoft365()] : null;

    /// <summary>The Azure subscriptions under one of the customer's Azure plans.</summary>
    public IReadOnlyList<AzureEntitlement>? ListEntitlements(string customerTenantId, string planId)
    {
        if (Find(customerTenantId) is not { } customer || !string.Equals(customer.AzurePlan().Id, planId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        lock (_gate)
        {
            return [.. customer.AzureSubscriptions.Select(s => new AzureEntitlement
            {
                Id = s.Id,
                SubscriptionId = s.Id,
                FriendlyName = s.Name,
                Status = _entitlementStatus.GetValueOrDefault(s.Id, "active"),
            })];
        }
    }

    /// <summary>Cancels an Azure subscription under the customer's Azure plan; false when there is no such one.</summary>
    public bool CancelEntitlement(string customerTenantId, string planId, string azureSubscriptionId)
    {
        if (ListEntitlements(customerTenantId, planId)?.Any(e => string.Equals(e.Id, azureSubscriptionId, StringComparison.OrdinalIgnoreCase)) != true)
        {
            return false;
        }

        lock (_gate)
        {
            _entitlementStatus[azureSubscriptionId] = "canceled";
        }

        return true;
    }

    /// <summary>The customer's indirect reseller relationships (empty when it buys directly); null when unknown.</summary>
    public IReadOnlyList<PartnerRelationship>? Relationships(string customerTenantId) =>
        Find(customerTenantId) is { } customer
            ? customer.Reseller is { } reseller ? [reseller] : []
            : null;

    /// <summary>A demo customer by tenant id.</summary>
    public PartnerCenterCustomer? Customer(string customerTenantId) => Find(customerTenantId)?.ToPartnerCenter();

    private static DemoCustomer? Find(string tenantId) =>
        Array.Find(Customers, c => string.Equals(c.TenantId, tenantId.Trim(), StringComparison.OrdinalIgnoreCase));

    private void Add(PartnerSecurityAlert alert) => _alerts[alert.Id] = alert;

    private PartnerSecurityAlert Create(DemoCustomer customer, DemoAlertType type, AlertSeverity severity, DateTimeOffset detected, AlertStatus status)
    {
        int n = ++_next;
        string id = string.Create(CultureInfo.InvariantCulture, $"de000000-0000-4000-8000-{n:x12}");
        (string subscriptionId, _) = customer.AzureSubscriptions[n % customer.AzureSubscriptions.Length];
        string region = Regions[n % Regions.Length];
        string resource = string.Create(
            CultureInfo.InvariantCulture,
            $"/subscriptions/{subscriptionId}/resourceGroups/rg-{region}/providers/{type.ResourceType}/{type.ResourcePrefix}-{n:00}");
        using JsonDocument details = JsonDocument.Parse(JsonSerializer.Serialize(
            new Dictionary<string, string>
            {
                ["Region"] = region,
                ["VM_Size"] = n % 2 == 0 ? "Standard_NC24ads_A100_v4" : "Standard_D64s_v5",
                ["InstanceCount"] = (8 + (n % 5 * 6)).ToString(CultureInfo.InvariantCulture),
                ["ConnectionCount"] = (3 + n % 17).ToString(CultureInfo.InvariantCulture),
            },
            DemoJsonContext.Default.DictionaryStringString));
        return new PartnerSecurityAlert
        {
            Id = id,
            DisplayName = "Action Required: " + type.DisplayName,
            Description = type.Description,
            AlertType = type.Name,
            Status = status,
            Severity = severity,
            ConfidenceLevel = (AlertConfidence)(1 + (n % 3)),
            CustomerTenantId = customer.TenantId,
            SubscriptionId = subscriptionId,
            ValueAddedResellerTenantId = customer.Reseller?.Id,
            CatalogOfferId = AzurePlanOffer,
            DetectedDateTime = detected,
            FirstObservedDateTime = detected - TimeSpan.FromMinutes(40),
            LastObservedDateTime = detected - TimeSpan.FromMinutes(5),
            AffectedResources = [new AffectedResource { ResourceId = resource, ResourceType = "AzureResource" }],
            ActivityLogs = status == AlertStatus.Investigating ? [Log(AlertStatus.Active, AlertStatus.Investigating, detected + TimeSpan.FromHours(3))] : [],
            AdditionalDetails = details.RootElement.Clone(),
        };
    }

    private static PartnerSecurityAlert Resolve(PartnerSecurityAlert alert, AlertResolvedReason verdict, DateTimeOffset at, string by) => alert with
    {
        Status = AlertStatus.Resolved,
        ResolvedReason = verdict,
        ResolvedOnDateTime = at,
        ResolvedBy = by,
        ActivityLogs = [.. alert.ActivityLogs ?? [], Log(alert.Status, AlertStatus.Resolved, at)],
    };

    private static AlertActivityLog Log(AlertStatus from, AlertStatus to, DateTimeOffset at) =>
        new() { StatusFrom = from, StatusTo = to, UpdatedBy = "analyst@demo-partner.example", UpdatedDateTime = at };

    private static class Resellers
    {
        public static readonly PartnerRelationship Mirai = new()
        {
            Id = "de000000-0000-4000-8000-0000000000b1",
            Name = "株式会社みらいリセール",
            RelationshipType = "IsIndirectResellerOf",
            State = "Active",
            MpnId = "6543210",
        };

        public static readonly PartnerRelationship Adatum = new()
        {
            Id = "de000000-0000-4000-8000-0000000000b2",
            Name = "Adatum Cloud Solutions",
            RelationshipType = "IsIndirectResellerOf",
            State = "Active",
            MpnId = "7654321",
        };
    }

    private sealed record DemoAlertType(string Name, string DisplayName, string Description, string ResourceType, string ResourcePrefix);

    private sealed record DemoCustomer(string TenantId, string Name, string Domain, PartnerRelationship? Reseller, (string Id, string Name)[] AzureSubscriptions)
    {
        private static readonly DateTimeOffset Since = new(2024, 4, 1, 0, 0, 0, TimeSpan.Zero);

        public PartnerCenterCustomer ToPartnerCenter() => new()
        {
            Id = TenantId,
            CommerceId = TenantId,
            CompanyProfile = new CustomerCompanyProfile { TenantId = TenantId, Domain = Domain, CompanyName = Name },
            RelationshipToPartner = Reseller is null ? "reseller" : "advisor",
            AllowDelegatedAccess = true,
            AssociatedPartnerId = Reseller?.Id,
        };

        public PartnerCenterSubscription AzurePlan() => new()
        {
            Id = TenantId[..^4] + "f0" + TenantId[^2..],
            OfferId = AzurePlanOffer + ":0001",
            OfferName = "Azure plan",
            FriendlyName = "Azure plan",
            Quantity = 1,
            UnitType = "Usage-based",
            CreationDate = Since,
            EffectiveStartDate = Since,
            Status = "active",
            AutoRenewEnabled = false,
            BillingType = "usage",
            BillingCycle = "monthly",
            PartnerId = Reseller?.MpnId,
        };

        public PartnerCenterSubscription Microsoft365() => new()
        {
            Id = TenantId[..^4] + "f1" + TenantId[^2..],
            OfferId = "CFQ7TTC0LF8Q:0001",
            OfferName = "Microsoft 365 E3",
            FriendlyName = "Microsoft 365 E3",
            Quantity = 25,
            UnitType = "Licenses",
            CreationDate = Since,
            EffectiveStartDate = Since,
            CommitmentEndDate = Since.AddYears(3),
            Status = "active",
            AutoRenewEnabled = true,
            BillingType = "license",
            BillingCycle = "monthly",
            TermDuration = "P1Y",
            PartnerId = Reseller?.MpnId,
        };
    }
}

/// <summary>Serializer metadata of the demo tenant's alert details.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DemoJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
