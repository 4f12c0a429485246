using System.Globalization;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Commands;

namespace TeamsAlertBot.Core.Triage;

/// <summary>How a bulk action chooses its alerts.</summary>
public enum BulkSelectionKind
{
    /// <summary>The open alerts of a storm's customer (optionally of one Azure subscription).</summary>
    Storm,

    /// <summary>The open alerts that match an <c>alerts …</c> list's filter (every page of it).</summary>
    AlertList,

    /// <summary>The open alerts detected more than N days ago.</summary>
    OlderThan,

    /// <summary>An explicit list of alert ids (at most <see cref="BulkSelection.MaxAlertIds"/>).</summary>
    AlertIds,
}

/// <summary>Why a selection cannot be used.</summary>
public enum BulkSelectionError
{
    None,

    /// <summary>A storm selection without a customer.</summary>
    MissingCustomer,

    /// <summary>An alert-list selection whose filter does not parse, or names a customer that is not a tenant id.</summary>
    BadFilter,

    /// <summary>An age outside 1 … <see cref="BulkSelection.MaxDays"/> days.</summary>
    BadAge,

    /// <summary>No alert ids, more than <see cref="BulkSelection.MaxAlertIds"/>, or one that is not an alert id.</summary>
    BadAlertIds,
}

/// <summary>
/// Which alerts a bulk verdict covers: a storm's customer (and subscription), the filter of an
/// <c>alerts …</c> list, the open alerts detected more than N days ago, or explicit alert ids. It is
/// evaluated against Microsoft Graph when the verdict is proposed (only open alerts ever count), so
/// the confirmation states the count the run will decide.
/// </summary>
public sealed record BulkSelection
{
    /// <summary>The most alert ids an explicit selection may name.</summary>
    public const int MaxAlertIds = 1000;

    /// <summary>The longest age an "older than N days" selection accepts.</summary>
    public const int MaxDays = 365;

    /// <summary>The longest alert id accepted.</summary>
    public const int MaxAlertIdLength = 200;

    [JsonConverter(typeof(JsonStringEnumConverter<BulkSelectionKind>))]
    public required BulkSelectionKind Kind { get; init; }

    /// <summary>Storm: the customer's tenant id.</summary>
    public string? Customer { get; init; }

    /// <summary>Storm: the customer's name as its card shows it (display only).</summary>
    public string? CustomerName { get; init; }

    /// <summary>Storm: only this Azure subscription's alerts.</summary>
    public string? Subscription { get; init; }

    /// <summary>
    /// Alert list: the list's filter as <see cref="AlertListRequest.ToArguments"/> writes it, without
    /// a page (e.g. <c>open customer 6a1d… type VM older than 24h</c>); its customer is a tenant id.
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>Older than: the age in days.</summary>
    public int? Days { get; init; }

    /// <summary>Alert ids: the alerts.</summary>
    public IReadOnlyList<string>? AlertIds { get; init; }

    /// <summary>The open alerts of a storm's customer, or of one subscription of it.</summary>
    public static BulkSelection Storm(string customer, string? customerName, string? subscription = null) =>
        new() { Kind = BulkSelectionKind.Storm, Customer = customer, CustomerName = customerName, Subscription = subscription };

    /// <summary>Every open alert an <c>alerts …</c> request matches (all pages; its page is dropped).</summary>
    public static BulkSelection AlertList(AlertListRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new() { Kind = BulkSelectionKind.AlertList, Filter = (request with { Page = 1 }).ToArguments() };
    }

    /// <summary>The open alerts detected more than <paramref name="days"/> days ago.</summary>
    public static BulkSelection OlderThan(int days) => new() { Kind = BulkSelectionKind.OlderThan, Days = days };

    /// <summary>These alerts (those of them still open).</summary>
    public static BulkSelection Ids(IEnumerable<string> alertIds)
    {
        ArgumentNullException.ThrowIfNull(alertIds);
        return new() { Kind = BulkSelectionKind.AlertIds, AlertIds = [.. alertIds.Distinct(StringComparer.Ordinal)] };
    }

    /// <summary>The alert-list filter parsed; null unless this is a valid alert-list selection.</summary>
    public AlertListRequest? ListRequest() =>
        Kind == BulkSelectionKind.AlertList && AlertListRequest.Parse(Filter).Request is { } request ? request with { Page = 1 } : null;

    /// <summary>Whether the selection can be evaluated, and why not.</summary>
    public BulkSelectionError Check() => Kind switch
    {
        BulkSelectionKind.Storm => Customer is { Length: > 0 } ? BulkSelectionError.None : BulkSelectionError.MissingCustomer,
        BulkSelectionKind.AlertList => ListRequest() is { } request && (request.Customer is null || QueryInput.IsGuid(request.Customer))
            ? BulkSelectionError.None
            : BulkSelectionError.BadFilter,
        BulkSelectionKind.OlderThan => Days is >= 1 and <= MaxDays ? BulkSelectionError.None : BulkSelectionError.BadAge,
        BulkSelectionKind.AlertIds => AlertIds is { Count: > 0 and <= MaxAlertIds } ids && ids.All(IsAlertId)
            ? BulkSelectionError.None
            : BulkSelectionError.BadAlertIds,
        _ => BulkSelectionError.BadFilter,
    };

    /// <summary>
    /// Whether an alert belongs to the selection at <paramref name="now"/>. Only open alerts do: a
    /// verdict is for alerts that wait for one, whatever status an <c>alerts all</c> list shows.
    /// </summary>
    public bool Matches(PartnerSecurityAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!alert.IsOpen)
        {
            return false;
        }

        switch (Kind)
        {
            case BulkSelectionKind.Storm:
                return alert.CustomerTenantId == Customer && (Subscription is null || alert.SubscriptionId == Subscription);
            case BulkSelectionKind.AlertList:
                return ListRequest() is { } request && request.Matches(alert, now);
            case BulkSelectionKind.OlderThan:
                return Days is { } days && alert.DetectedDateTime is { } detected && detected <= now - TimeSpan.FromDays(days);
            case BulkSelectionKind.AlertIds:
                return AlertIds is { } ids && ids.Contains(alert.Id, StringComparer.Ordinal);
            default:
                return false;
        }
    }

    /// <summary>What the signature of a button carrying this selection binds (stable text).</summary>
    [JsonIgnore]
    public string Subject => Kind switch
    {
        BulkSelectionKind.Storm => $"storm|{Customer}|{CustomerName}|{Subscription}",
        BulkSelectionKind.AlertList => $"list|{Filter}",
        BulkSelectionKind.OlderThan => $"older|{Days?.ToString(CultureInfo.InvariantCulture)}",
        _ => $"ids|{string.Join(',', AlertIds ?? [])}",
    };

    /// <summary>Graph alert ids are opaque, but every one seen is letters, digits, '.', '_' and '-'.</summary>
    public static bool IsAlertId(string? id) =>
        id is { Length: > 0 and <= MaxAlertIdLength }
        && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
