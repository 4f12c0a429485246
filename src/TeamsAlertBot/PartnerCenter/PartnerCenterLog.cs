using System.Net;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>Log messages of the Partner Center client and enrichment (event ids 3100–3139).</summary>
internal static partial class PartnerCenterLog
{
    [LoggerMessage(3100, LogLevel.Warning,
        "Partner Center {Operation} answered {StatusCode} (code {ErrorCode}); MS-RequestId {RequestId}, MS-CorrelationId {CorrelationId}")]
    public static partial void CallFailed(
        ILogger logger, string operation, HttpStatusCode statusCode, string? errorCode, string requestId, string correlationId);

    [LoggerMessage(3101, LogLevel.Warning,
        "Partner Center {Operation} got no answer ({Reason}); MS-RequestId {RequestId}, MS-CorrelationId {CorrelationId}")]
    public static partial void CallNotAnswered(
        ILogger logger, Exception exception, string operation, string reason, string requestId, string correlationId);

    [LoggerMessage(3102, LogLevel.Warning,
        "Partner Center {Operation} answered with a body that is not the expected JSON; MS-RequestId {RequestId}, MS-CorrelationId {CorrelationId}")]
    public static partial void MalformedAnswer(ILogger logger, Exception exception, string operation, string requestId, string correlationId);

    [LoggerMessage(3103, LogLevel.Debug, "Partner Center {Operation}: not found (404)")]
    public static partial void NotFound(ILogger logger, string operation);

    [LoggerMessage(3110, LogLevel.Warning,
        "Enrichment of alert {AlertId} lookup {Lookup} failed; the card shows ids only for it ({Reason})")]
    public static partial void EnrichmentLookupFailed(ILogger logger, string alertId, string lookup, string reason);

    [LoggerMessage(3111, LogLevel.Warning, "Enrichment of alert {AlertId} ran out of its {BudgetSeconds} s budget; returning what is known")]
    public static partial void EnrichmentTimedOut(ILogger logger, string alertId, double budgetSeconds);

    [LoggerMessage(3112, LogLevel.Warning, "The enrichment cache failed during {Operation} of {Key}; carrying on without it")]
    public static partial void CacheFailed(ILogger logger, Exception exception, string operation, string key);

    [LoggerMessage(3113, LogLevel.Debug, "Enrichment cache {Outcome} for {Key}")]
    public static partial void CacheOutcome(ILogger logger, string outcome, string key);

    [LoggerMessage(3114, LogLevel.Information,
        "Subscription {SubscriptionId} of customer {CustomerTenantId} is not in the cached list; reading the list again")]
    public static partial void DirectoryRefresh(ILogger logger, string subscriptionId, string customerTenantId);

    [LoggerMessage(3115, LogLevel.Warning,
        "Customer {CustomerTenantId} has {PlanCount} Azure plans; only the first {Limit} are searched for subscription ids")]
    public static partial void TooManyAzurePlans(ILogger logger, string customerTenantId, int planCount, int limit);

    [LoggerMessage(3116, LogLevel.Warning,
        "Partner Center returned {ItemCount} of {TotalCount} items for {Operation}; paging is not followed")]
    public static partial void CollectionTruncated(ILogger logger, string operation, int itemCount, int totalCount);
}
