namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Every enrichment cache key, built in one place. They are <c>IDistributedCache</c> keys: the
/// Redis-backed cache adds its instance name (the bot's key prefix) in front. The version segment
/// lets a change of the cached shape start from a clean slate.
/// </summary>
internal static class PartnerCenterCacheKeys
{
    private const string Root = "pc:v1:";

    /// <summary>The customer's name, domain and relationship.</summary>
    public static string Customer(string tenantId) => $"{Root}customer:{Segment(tenantId)}";

    /// <summary>The customer's indirect resellers.</summary>
    public static string Resellers(string tenantId) => $"{Root}resellers:{Segment(tenantId)}";

    /// <summary>The customer's subscriptions and Azure subscriptions.</summary>
    public static string Subscriptions(string tenantId) => $"{Root}subscriptions:{Segment(tenantId)}";

    /// <summary>An answer of a query command (<paramref name="kind"/>: customer, search, resellers, subscription, profile).</summary>
    public static string Query(string kind, string id) => $"{Root}query:{kind}:{Segment(id)}";

    /// <summary>A trimmed id, GUIDs in their lower-case <c>D</c> form; null when blank.</summary>
    public static string? NormalizeId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        string trimmed = id.Trim();
        return Guid.TryParse(trimmed, out Guid guid) ? guid.ToString("D") : trimmed;
    }

    /// <summary>Ids compare as GUIDs when both are, otherwise case-insensitively.</summary>
    public static bool SameId(string? left, string? right) =>
        NormalizeId(left) is { } l && NormalizeId(right) is { } r && string.Equals(l, r, StringComparison.OrdinalIgnoreCase);

    private static string Segment(string id) => Uri.EscapeDataString(NormalizeId(id) ?? id);
}
