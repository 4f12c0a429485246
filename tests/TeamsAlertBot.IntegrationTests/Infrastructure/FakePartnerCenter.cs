using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>One customer of the fake Partner Center, with its resellers and subscriptions.</summary>
public sealed class FakeCustomer
{
    public required string TenantId { get; init; }

    public required string CompanyName { get; init; }

    public required string Domain { get; init; }

    public string RelationshipToPartner { get; init; } = "reseller";

    public string? AssociatedPartnerId { get; init; }

    /// <summary><c>PartnerRelationship</c> objects of <c>/relationships</c>.</summary>
    public List<JsonObject> Relationships { get; } = [];

    /// <summary>Subscription objects, by Partner Center subscription id.</summary>
    public Dictionary<string, JsonObject> Subscriptions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Azure entitlements (Azure subscriptions) by Azure plan subscription id.</summary>
    public Dictionary<string, List<JsonObject>> AzureEntitlements { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// A Partner Center REST fake with the shapes of the documented answers: customers by id and by
/// the customer search (<c>filter</c> = URL-encoded <c>{"Field","Value","Operator":"starts_with"}</c>
/// on CompanyName or Domain), relationships, subscriptions, Azure plan entitlements and the
/// organization profile, served (as Partner Center does) to App+User tokens only — an app-only
/// token gets 401; a switch for throttling (429 + Retry-After). Plugged in through <see cref="LoopbackFakes.PartnerCenterOverride"/>; anything it
/// does not know (webhook registration) falls through to the built-in routes.
/// </summary>
public sealed class FakePartnerCenter
{
    private const string Prefix = "/partnercenter/v1/";

    public ConcurrentDictionary<string, FakeCustomer> Customers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The answer of <c>GET /v1/profiles/organization</c> when allowed.</summary>
    public JsonObject OrganizationProfile { get; set; } = new()
    {
        ["id"] = "3b1d7c2e-0000-4000-8000-0000000000f0",
        ["companyName"] = "Fabrikam CSP KK",
        ["tenantId"] = LoopbackFakes.TenantId,
        ["domain"] = "fabrikam-csp.onmicrosoft.com",
        ["email"] = "partner-admin@fabrikam-csp.example",
        ["language"] = "ja",
        ["culture"] = "ja-JP",
        ["defaultAddress"] = new JsonObject
        {
            ["country"] = "JP",
            ["city"] = "Chiyoda-ku",
            ["state"] = "Tokyo",
            ["addressLine1"] = "1-2-3 Marunouchi",
            ["postalCode"] = "100-0005",
        },
        ["links"] = new JsonObject { ["self"] = new JsonObject { ["uri"] = "/profiles/organization", ["method"] = "GET", ["headers"] = new JsonArray() } },
        ["attributes"] = new JsonObject { ["objectType"] = "OrganizationProfile" },
    };

    /// <summary>When set, every <c>/v1</c> call answers 429 with this Retry-After (seconds).</summary>
    public int? ThrottleRetryAfterSeconds { get; set; }

    /// <summary>The status of the profile call with an App+User token (200 = the profile); an app-only token always gets 401.</summary>
    public int ProfileStatusForUser { get; set; } = StatusCodes.Status200OK;

    /// <summary>The Authorization header of every profile call.</summary>
    public ConcurrentQueue<string?> ProfileAuthorizations { get; } = new();

    /// <summary>Every customer search filter received, decoded.</summary>
    public ConcurrentQueue<JsonObject> SearchFilters { get; } = new();

    /// <summary>How many <c>/v1</c> calls it answered (throttled ones included).</summary>
    public int Calls => _calls;

    private int _calls;

    /// <summary>Answers the fake's routes on <paramref name="fakes"/>' Partner Center.</summary>
    public void Install(LoopbackFakes fakes)
    {
        ArgumentNullException.ThrowIfNull(fakes);
        fakes.PartnerCenterOverride = request => Task.FromResult(Handle(request));
    }

    /// <summary>Adds a customer (tenant id, name, domain) and returns it for more setup.</summary>
    public FakeCustomer AddCustomer(string tenantId, string companyName, string domain, string? associatedPartnerId = null)
    {
        var customer = new FakeCustomer { TenantId = tenantId, CompanyName = companyName, Domain = domain, AssociatedPartnerId = associatedPartnerId };
        Customers[tenantId] = customer;
        return customer;
    }

    /// <summary>Adds an indirect reseller relationship to <paramref name="customer"/>.</summary>
    public static void AddReseller(FakeCustomer customer, string resellerTenantId, string name, string mpnId) =>
        customer.Relationships.Add(new JsonObject
        {
            ["id"] = resellerTenantId,
            ["name"] = name,
            ["relationshipType"] = "IsIndirectResellerOf",
            ["state"] = "Active",
            ["mpnId"] = mpnId,
            ["location"] = "JP",
            ["attributes"] = new JsonObject { ["objectType"] = "PartnerRelationship" },
        });

    /// <summary>Adds an Azure plan with Azure subscriptions (id, name, status) to <paramref name="customer"/>.</summary>
    public static void AddAzurePlan(FakeCustomer customer, string planId, params (string Id, string Name, string Status)[] azureSubscriptions)
    {
        customer.Subscriptions[planId] = Subscription(planId, "Azure plan", "DZH318Z0BCZC:0001", "Azure plan", quantity: 1);
        customer.AzureEntitlements[planId] = [.. azureSubscriptions.Select(a => new JsonObject
        {
            ["id"] = a.Id,
            ["friendlyName"] = a.Name,
            ["status"] = a.Status,
            ["subscriptionId"] = planId,
            ["attributes"] = new JsonObject { ["objectType"] = "AzureEntitlement" },
        })];
    }

    /// <summary>Adds a licence-based subscription to <paramref name="customer"/>.</summary>
    public static void AddLicense(FakeCustomer customer, string subscriptionId, string name, int quantity) =>
        customer.Subscriptions[subscriptionId] = Subscription(subscriptionId, name, "CFQ7TTC0LH18:0001", name, quantity);

    private static JsonObject Subscription(string id, string friendlyName, string offerId, string offerName, int quantity) => new()
    {
        ["id"] = id,
        ["offerId"] = offerId,
        ["offerName"] = offerName,
        ["friendlyName"] = friendlyName,
        ["quantity"] = quantity,
        ["unitType"] = "Licenses",
        ["creationDate"] = "2025-04-01T00:00:00Z",
        ["effectiveStartDate"] = "2025-04-01T00:00:00Z",
        ["commitmentEndDate"] = "2026-03-31T00:00:00Z",
        ["status"] = "active",
        ["autoRenewEnabled"] = true,
        ["billingType"] = "license",
        ["billingCycle"] = "monthly",
        ["termDuration"] = "P1Y",
        ["contractType"] = "subscription",
        ["attributes"] = new JsonObject { ["etag"] = "\"1\"", ["objectType"] = "Subscription" },
    };

    /// <summary>True when <paramref name="authorization"/> carries a delegated (App+User) token: one with a <c>scp</c> claim.</summary>
    public static bool IsAppUser(string? authorization) =>
        authorization is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && new JsonWebToken(header["Bearer ".Length..]).TryGetPayloadValue("scp", out string scope) && !string.IsNullOrEmpty(scope);

    private IResult Profile(string? authorization)
    {
        ProfileAuthorizations.Enqueue(authorization);
        int status = IsAppUser(authorization) ? ProfileStatusForUser : StatusCodes.Status401Unauthorized;
        return status == StatusCodes.Status200OK
            ? Results.Json(OrganizationProfile.DeepClone())
            : Error(status, 900, "The operation is not allowed for this identity: App+User credentials are required.");
    }

    private IResult? Handle(RecordedRequest request)
    {
        var uri = new Uri("https://fake" + request.RawTarget);
        string path = uri.AbsolutePath;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || request.Method != "GET")
        {
            return null;
        }

        Interlocked.Increment(ref _calls);
        if (ThrottleRetryAfterSeconds is { } wait)
        {
            return new ThrottledResult(wait);
        }

        string[] segments = path[Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return segments switch
        {
            ["profiles", "organization"] => Profile(request.Authorization),
            ["customers"] => Search(uri.Query),
            ["customers", string id] => WithCustomer(id, c => Results.Json(CustomerJson(c, byId: true))),
            ["customers", string id, "relationships"] => WithCustomer(id, c => Collection(c.Relationships)),
            ["customers", string id, "subscriptions"] => WithCustomer(id, c => Collection(c.Subscriptions.Values)),
            ["customers", string id, "subscriptions", string sub] => WithCustomer(id, c => c.Subscriptions.TryGetValue(sub, out JsonObject? s)
                ? Results.Json(s.DeepClone())
                : Error(404, 800, "Subscription not found")),
            ["customers", string id, "subscriptions", string sub, "azureEntitlements"] => WithCustomer(id, c => c.AzureEntitlements.TryGetValue(sub, out List<JsonObject>? e)
                ? Collection(e)
                : Error(404, 800, "Subscription not found")),
            _ => Error(404, 600, "Resource not found"),
        };
    }

    private IResult Search(string query)
    {
        Dictionary<string, string> parameters = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty), StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("filter", out string? raw))
        {
            return Collection(Customers.Values.Select(c => CustomerJson(c, byId: false)));
        }

        JsonObject filter;
        try
        {
            filter = JsonNode.Parse(raw)!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return Error(400, 400, "The filter is not valid JSON");
        }

        SearchFilters.Enqueue(filter);
        string? field = (string?)filter["Field"];
        string value = (string?)filter["Value"] ?? string.Empty;
        if ((string?)filter["Operator"] != "starts_with" || field is not ("CompanyName" or "Domain"))
        {
            return Error(400, 400, "Unsupported filter");
        }

        int size = parameters.TryGetValue("size", out string? s) && int.TryParse(s, out int n) ? n : 500;
        FakeCustomer[] matches = [.. Customers.Values
            .Where(c => (field == "Domain" ? c.Domain : c.CompanyName).StartsWith(value, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.CompanyName, StringComparer.Ordinal)];
        return Results.Json(new JsonObject
        {
            ["totalCount"] = matches.Length,
            ["items"] = new JsonArray([.. matches.Take(size).Select(c => CustomerJson(c, byId: false))]),
            ["attributes"] = new JsonObject { ["objectType"] = "Collection" },
        });
    }

    private IResult WithCustomer(string id, Func<FakeCustomer, IResult> answer) =>
        Customers.TryGetValue(id, out FakeCustomer? customer) ? answer(customer) : Error(404, 600, "Customer not found");

    private static JsonObject CustomerJson(FakeCustomer customer, bool byId)
    {
        var json = new JsonObject
        {
            ["id"] = customer.TenantId,
            ["commerceId"] = "c0mmerce-" + customer.TenantId[..8],
            ["companyProfile"] = new JsonObject
            {
                ["tenantId"] = customer.TenantId,
                ["domain"] = customer.Domain,
                ["companyName"] = customer.CompanyName,
                ["attributes"] = new JsonObject { ["objectType"] = "CustomerCompanyProfile" },
            },
            ["relationshipToPartner"] = customer.RelationshipToPartner,
            ["attributes"] = new JsonObject { ["objectType"] = "Customer" },
        };
        if (customer.AssociatedPartnerId is { } partner)
        {
            json["associatedPartnerId"] = partner;
        }

        if (byId)
        {
            // Documented for the by-id call only.
            json["allowDelegatedAccess"] = true;
        }

        return json;
    }

    private static IResult Collection(IEnumerable<JsonObject> items)
    {
        JsonObject[] all = [.. items.Select(i => (JsonObject)i.DeepClone())];
        return Results.Json(new JsonObject
        {
            ["totalCount"] = all.Length,
            ["items"] = new JsonArray([.. all]),
            ["attributes"] = new JsonObject { ["objectType"] = "Collection" },
        });
    }

    private static IResult Error(int status, int code, string description) => Results.Json(
        new JsonObject { ["code"] = code, ["description"] = description, ["data"] = new JsonArray(), ["source"] = "PartnerFD" },
        statusCode: status);

    /// <summary>429 with Retry-After, Partner Center's throttling answer.</summary>
    private sealed class ThrottledResult(int retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.WriteAsync("{\"code\":429,\"description\":\"Rate limit is exceeded. Try again later.\",\"data\":[],\"source\":\"PartnerFD\"}");
        }
    }
}
