using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Tests.PartnerCenter;

/// <summary>Real-shaped Partner Center answers (shapes from the REST reference; the values are ours).</summary>
internal static class PartnerCenterSamples
{
    public const string CustomerTenantId = "6a1d2c3b-0000-4000-8000-00000000c001";
    public const string ResellerTenantId = "4d3c2b1a-0000-4000-8000-0000000000aa";
    public const string AzurePlanId = "a1b2c3d4-0000-4000-8000-00000000b001";
    public const string Microsoft365Id = "a1b2c3d4-0000-4000-8000-00000000b002";
    public const string LegacyAzureId = "a1b2c3d4-0000-4000-8000-00000000b0ff";
    public const string AzureSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a001";
    public const string OtherAzureSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a002";
    public const string NewAzureSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a003";

    public const string CustomerPath = $"/v1/customers/{CustomerTenantId}";
    public const string RelationshipsPath = $"/v1/customers/{CustomerTenantId}/relationships";
    public const string SubscriptionsPath = $"/v1/customers/{CustomerTenantId}/subscriptions";
    public const string EntitlementsPath = $"/v1/customers/{CustomerTenantId}/subscriptions/{AzurePlanId}/azureEntitlements";

    public const string Customer = $$"""
        {
          "id": "{{CustomerTenantId}}",
          "commerceId": "0f2b7c9e-1111-4a2b-9c3d-000000000001",
          "companyProfile": {
            "tenantId": "{{CustomerTenantId}}",
            "domain": "fabrikam-ltd.onmicrosoft.com",
            "companyName": "Fabrikam Ltd",
            "links": { "self": { "uri": "/customers/{{CustomerTenantId}}/profiles/company", "method": "GET", "headers": [] } },
            "attributes": { "objectType": "CustomerCompanyProfile" }
          },
          "billingProfile": {
            "id": "b7c1d2e3-2222-4a2b-9c3d-000000000002",
            "firstName": "Ana",
            "lastName": "Lima",
            "email": "ana@fabrikam.example",
            "culture": "en-US",
            "language": "en",
            "companyName": "Fabrikam Ltd",
            "defaultAddress": { "country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Main St", "postalCode": "98052" },
            "attributes": { "objectType": "CustomerBillingProfile" }
          },
          "relationshipToPartner": "reseller",
          "allowDelegatedAccess": true,
          "associatedPartnerId": "{{ResellerTenantId}}",
          "customDomains": [ "fabrikam.example" ],
          "links": { "self": { "uri": "/customers/{{CustomerTenantId}}", "method": "GET", "headers": [] } },
          "attributes": { "objectType": "Customer" }
        }
        """;

    public const string Relationships = $$"""
        {
          "totalCount": 1,
          "items": [
            {
              "id": "{{ResellerTenantId}}",
              "name": "Northwind Reseller",
              "relationshipType": "IsIndirectResellerOf",
              "state": "Active",
              "mpnId": "4812345",
              "location": "US",
              "attributes": { "objectType": "PartnerRelationship" }
            }
          ],
          "attributes": { "objectType": "Collection" }
        }
        """;

    public const string AzurePlan = $$"""
        {
          "id": "{{AzurePlanId}}",
          "offerId": "DZH318Z0BCZC:0001",
          "offerName": "Azure plan",
          "friendlyName": "Azure plan",
          "quantity": 1,
          "unitType": "Licenses",
          "hasPurchasableAddons": false,
          "creationDate": "2024-03-01T10:00:00Z",
          "effectiveStartDate": "2024-03-01T00:00:00Z",
          "commitmentEndDate": "9999-12-14T00:00:00Z",
          "status": "active",
          "autoRenewEnabled": false,
          "isTrial": false,
          "billingType": "usage",
          "billingCycle": "monthly",
          "termDuration": "",
          "contractType": "subscription",
          "partnerId": "4812345",
          "attributes": { "etag": "\"eyJ2ZXJzaW9uIjoyfQ==\"", "objectType": "Subscription" }
        }
        """;

    public const string Microsoft365 = $$"""
        {
          "id": "{{Microsoft365Id}}",
          "offerId": "CFQ7TTC0LH18:0001",
          "offerName": "Microsoft 365 Business Basic",
          "friendlyName": "Fabrikam M365",
          "quantity": 25,
          "unitType": "Licenses",
          "creationDate": "2025-01-15T08:30:00Z",
          "effectiveStartDate": "2025-01-15T00:00:00Z",
          "commitmentEndDate": "2026-01-14T00:00:00Z",
          "status": "active",
          "autoRenewEnabled": true,
          "billingType": "license",
          "billingCycle": "monthly",
          "termDuration": "P1Y",
          "contractType": "subscription",
          "attributes": { "objectType": "Subscription" }
        }
        """;

    public const string LegacyAzure = $$"""
        {
          "id": "{{LegacyAzureId}}",
          "offerId": "MS-AZR-0145P",
          "offerName": "Microsoft Azure",
          "friendlyName": "Fabrikam legacy Azure",
          "quantity": 1,
          "unitType": "Usage-based",
          "creationDate": "2019-05-20T12:00:00Z",
          "status": "active",
          "billingType": "usage",
          "contractType": "subscription",
          "attributes": { "objectType": "Subscription" }
        }
        """;

    public const string Subscriptions = $$"""
        { "totalCount": 3, "items": [ {{AzurePlan}}, {{Microsoft365}}, {{LegacyAzure}} ], "links": { "self": { "uri": "/customers/{{CustomerTenantId}}/subscriptions", "method": "GET", "headers": [] } }, "attributes": { "objectType": "Collection" } }
        """;

    public const string Entitlements = $$"""
        {
          "totalCount": 2,
          "items": [
            { "id": "{{AzureSubscriptionId}}", "friendlyName": "fabrikam-prod", "status": "active", "subscriptionId": "{{AzurePlanId}}", "attributes": { "objectType": "AzureEntitlement" } },
            { "id": "{{OtherAzureSubscriptionId}}", "friendlyName": "fabrikam-dev", "status": "active", "subscriptionId": "{{AzurePlanId}}", "attributes": { "objectType": "AzureEntitlement" } }
          ],
          "attributes": { "objectType": "Collection" }
        }
        """;

    public static string EntitlementsWithNewSubscription => $$"""
        {
          "totalCount": 3,
          "items": [
            { "id": "{{AzureSubscriptionId}}", "friendlyName": "fabrikam-prod", "status": "active", "subscriptionId": "{{AzurePlanId}}" },
            { "id": "{{OtherAzureSubscriptionId}}", "friendlyName": "fabrikam-dev", "status": "active", "subscriptionId": "{{AzurePlanId}}" },
            { "id": "{{NewAzureSubscriptionId}}", "friendlyName": "mining-rig-7", "status": "active", "subscriptionId": "{{AzurePlanId}}" }
          ]
        }
        """;

    public static PartnerSecurityAlert Alert(
        string? subscriptionId = AzureSubscriptionId, string? customerTenantId = CustomerTenantId, string? resellerTenantId = null) => new()
        {
            Id = "0b6f7a52-3c41-4e0e-9d55-2f1f6b1d7a10",
            DisplayName = "Action Required: Unusual VM deployment detected",
            AlertType = "VM_AnomalousDeployment",
            Status = AlertStatus.Active,
            Severity = AlertSeverity.High,
            CustomerTenantId = customerTenantId,
            SubscriptionId = subscriptionId,
            ValueAddedResellerTenantId = resellerTenantId,
        };
}
