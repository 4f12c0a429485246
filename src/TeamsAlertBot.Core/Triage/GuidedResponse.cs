using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Core.Triage;

/// <summary>
/// One step of the guided response. Stored by name (audit trail, Redis): never renumber or rename.
/// </summary>
public enum ResponseItem
{
    ResetCredentials,
    RecoveryContacts,
    RiskyUsers,
    SignInLogs,
    ActivityLog,
    RemoveAttackerResources,
    DeleteUnattachedDisks,
    LowerQuotas,
    SupportRequest,
    EnableDefender,
    SetBudgets,
    CancelSubscription,
    StopMiningWorkloads,
    ReviewMachineLearning,
    RecordConfirmation,
    RecordEvidence,
    ReportFalsePositive,
    RecordIgnoreReason,
    WatchForRecurrence,
}

/// <summary>Who ticked a step of an alert's checklist, and when.</summary>
public sealed record ResponseTick(string? ActorName, string? ActorObjectId, DateTimeOffset At);

/// <summary>
/// What the bot stores about an alert's checklist: the triage version (the verdict) it belongs to and
/// the ticked steps. A checklist belongs to one recorded verdict; a reopen or a new verdict starts
/// another (the ticks of the old one no longer count).
/// </summary>
/// <param name="TriageVersion">The triage record's version whose verdict the ticks belong to.</param>
/// <param name="Ticks">The ticked steps at that version.</param>
public sealed record ResponseChecklistTicks(int TriageVersion, IReadOnlyDictionary<ResponseItem, ResponseTick> Ticks)
{
    /// <summary>No tick.</summary>
    public static ResponseChecklistTicks None(int triageVersion) => new(triageVersion, new Dictionary<ResponseItem, ResponseTick>());
}

/// <summary>How far an alert's checklist is: steps done out of steps in it.</summary>
public sealed record ResponseProgress(TriageVerdict Verdict, int Done, int Total);

/// <summary>
/// The checklists of the guided response, from Partner Center's guidance for partners whose customer's
/// Azure subscription was compromised (fraud), and what to record after a legitimate or ignore verdict.
/// </summary>
public static class ResponseChecklist
{
    private static readonly ResponseItem[] Fraud =
    [
        ResponseItem.ResetCredentials,
        ResponseItem.RecoveryContacts,
        ResponseItem.RiskyUsers,
        ResponseItem.SignInLogs,
        ResponseItem.ActivityLog,
        ResponseItem.RemoveAttackerResources,
        ResponseItem.DeleteUnattachedDisks,
        ResponseItem.LowerQuotas,
        ResponseItem.SupportRequest,
        ResponseItem.EnableDefender,
        ResponseItem.SetBudgets,
        ResponseItem.CancelSubscription,
    ];

    /// <summary>
    /// The steps after <paramref name="verdict"/> on an alert of <paramref name="alertType"/>; empty for
    /// a verdict that has no checklist (Investigating, Reopen). Crypto-mining and Machine Learning
    /// alerts get one step of their own after a fraud verdict.
    /// </summary>
    public static IReadOnlyList<ResponseItem> For(TriageVerdict verdict, string? alertType) => verdict switch
    {
        TriageVerdict.Fraud => [.. Fraud.Take(6), .. TypeSpecific(alertType), .. Fraud.Skip(6)],
        TriageVerdict.Legitimate => [ResponseItem.RecordConfirmation, ResponseItem.RecordEvidence, ResponseItem.ReportFalsePositive],
        TriageVerdict.Ignore => [ResponseItem.RecordIgnoreReason, ResponseItem.WatchForRecurrence],
        _ => [],
    };

    /// <summary>The verdict whose checklist a triage record shows: a verdict recorded in Graph that has one; null otherwise.</summary>
    public static TriageVerdict? VerdictOf(TriageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record is { State: TriageState.Applied, Verdict: TriageVerdict.Fraud or TriageVerdict.Legitimate or TriageVerdict.Ignore } ? record.Verdict : null;
    }

    /// <summary>
    /// The progress of a checklist: ticks of the record's version that are steps of it, and the
    /// cancellation step when Partner Center accepted the cancellation. Null when the record has no checklist.
    /// </summary>
    public static ResponseProgress? Progress(TriageRecord record, string? alertType, ResponseChecklistTicks ticks, bool cancellationAccepted)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ticks);
        if (VerdictOf(record) is not { } verdict)
        {
            return null;
        }

        IReadOnlyList<ResponseItem> steps = For(verdict, alertType);
        int done = steps.Count(s => IsDone(s, ticks, record.Version, cancellationAccepted));
        return new ResponseProgress(verdict, done, steps.Count);
    }

    /// <summary>Whether a step counts as done.</summary>
    public static bool IsDone(ResponseItem item, ResponseChecklistTicks ticks, int triageVersion, bool cancellationAccepted)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        return (ticks.TriageVersion == triageVersion && ticks.Ticks.ContainsKey(item))
            || (item == ResponseItem.CancelSubscription && cancellationAccepted);
    }

    private static ResponseItem[] TypeSpecific(string? alertType)
    {
        string type = alertType ?? string.Empty;
        if (type.Contains("crypto", StringComparison.OrdinalIgnoreCase) || type.Contains("mining", StringComparison.OrdinalIgnoreCase))
        {
            return [ResponseItem.StopMiningWorkloads];
        }

        return type.Contains("MachineLearning", StringComparison.OrdinalIgnoreCase) || type.Contains("MLUsage", StringComparison.OrdinalIgnoreCase)
            ? [ResponseItem.ReviewMachineLearning]
            : [];
    }
}

/// <summary>The steps of the guided response's buttons.</summary>
public enum ResponseStep
{
    /// <summary>Show the checklist (to the clicking user).</summary>
    Show,

    /// <summary>Tick one step.</summary>
    Tick,

    /// <summary>Untick one step.</summary>
    Untick,

    /// <summary>Back to the alert card.</summary>
    Back,

    /// <summary>Show the customer notification draft.</summary>
    Notify,

    /// <summary>Show the false-positive support packet.</summary>
    Support,
}

/// <summary>
/// The data of a guided-response button. The signature covers the alert, the step, the item, the
/// language of a draft and the triage version (so a tick on the checklist of a reopened verdict is refused).
/// </summary>
public sealed record ResponseActionData
{
    public const string RespondVerb = "alert.respond";

    public required string AlertId { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<ResponseStep>))]
    public required ResponseStep Step { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<ResponseItem>))]
    public ResponseItem? Item { get; init; }

    /// <summary>The language of a notification draft (en or ja); null: the reader's.</summary>
    public string? Language { get; init; }

    public required int Version { get; init; }

    public required string Signature { get; init; }

    /// <summary>Set only in the Action.Submit fallback, which has no verb of its own.</summary>
    public string? Verb { get; init; }

    /// <summary>The signed action string.</summary>
    public static string Action(ResponseStep step, ResponseItem? item, string? language) =>
        $"{RespondVerb}:{step}:{item?.ToString() ?? "-"}:{language ?? "-"}";
}

/// <summary>Serializer metadata of the guided response.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResponseActionData))]
[JsonSerializable(typeof(ResponseTick))]
public sealed partial class ResponseJsonContext : JsonSerializerContext;

/// <summary>The portal addresses the checklist links to (configurable, e.g. for a sovereign cloud).</summary>
/// <param name="AzurePortal">The Azure portal, e.g. <c>https://portal.azure.com</c>.</param>
/// <param name="EntraAdminCenter">The Microsoft Entra admin center, e.g. <c>https://entra.microsoft.com</c>.</param>
/// <param name="Support">Where a support request is opened (the support packet's link).</param>
/// <param name="WindowMargin">How far before the first and after the last observed activity the log links reach.</param>
public sealed record ResponsePortals(Uri AzurePortal, Uri EntraAdminCenter, Uri Support, TimeSpan WindowMargin)
{
    /// <summary>The public cloud's portals, a day either side.</summary>
    public static ResponsePortals Default { get; } = new(
        new Uri("https://portal.azure.com"),
        new Uri("https://entra.microsoft.com"),
        new Uri("https://partner.microsoft.com/dashboard/v2/support/servicerequests"),
        TimeSpan.FromDays(1));

    /// <summary>
    /// The time window the log links are filtered to: from the first observed activity (or the
    /// detection) minus the margin to the last observed activity (or the detection) plus the margin,
    /// never past <paramref name="now"/>. Null when the alert has no time at all.
    /// </summary>
    public (DateTimeOffset From, DateTimeOffset To)? Window(PartnerSecurityAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        DateTimeOffset? first = alert.FirstObservedDateTime ?? alert.DetectedDateTime ?? alert.LastObservedDateTime;
        DateTimeOffset? last = alert.LastObservedDateTime ?? alert.DetectedDateTime ?? alert.FirstObservedDateTime;
        if (first is not { } from || last is not { } to)
        {
            return null;
        }

        if (to < from)
        {
            (from, to) = (to, from);
        }

        DateTimeOffset end = to + WindowMargin;
        return (from - WindowMargin, end > now && now > from ? now : end);
    }

    /// <summary>
    /// The link of a step, or null when it has none or an id it needs is not a GUID (only GUIDs go into
    /// links, so nothing the customer named can shape one).
    /// </summary>
    public Uri? Link(ResponseItem item, PartnerSecurityAlert alert, string? customerTenantId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        string? tenant = AlertCards.GuidOrNull(alert.CustomerTenantId ?? customerTenantId);
        string? subscription = AlertCards.GuidOrNull(alert.SubscriptionId);
        if (tenant is null)
        {
            return item == ResponseItem.ReportFalsePositive ? Support : null;
        }

        string portal = AzurePortal.AbsoluteUri.TrimEnd('/') + "/#@" + tenant;
        string entra = EntraAdminCenter.AbsoluteUri.TrimEnd('/') + "/" + tenant;
        string? sub = subscription is null ? null : portal + "/resource/subscriptions/" + subscription;
        (DateTimeOffset From, DateTimeOffset To)? window = Window(alert, now);
        string? link = item switch
        {
            ResponseItem.ResetCredentials => sub is null ? null : sub + "/users",
            ResponseItem.RecoveryContacts => entra + "/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers",
            ResponseItem.RiskyUsers => entra + "/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskyUsers",
            ResponseItem.SignInLogs => entra + "/#view/Microsoft_AAD_IAM/SignInEventsV3Blade"
                + (window is { } w ? "/timeRangeType/custom/startDateTime/" + Iso(w.From) + "/endDateTime/" + Iso(w.To) : string.Empty),
            ResponseItem.ActivityLog when subscription is not null => portal + "/blade/Microsoft_Azure_ActivityLog/ActivityLogBlade/queryInputs/"
                + Uri.EscapeDataString(ActivityLogQuery(subscription, window)),
            ResponseItem.RemoveAttackerResources => sub is null ? null : sub + "/resources",
            ResponseItem.DeleteUnattachedDisks => portal + "/browse/Microsoft.Compute%2Fdisks",
            ResponseItem.LowerQuotas => portal + "/view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas",
            ResponseItem.SupportRequest => portal + "/create/Microsoft.Support",
            ResponseItem.EnableDefender => portal + "/blade/Microsoft_Azure_Security/SecurityMenuBlade/~/EnvironmentSettings",
            ResponseItem.SetBudgets => sub is null ? null : sub + "/budgets",
            ResponseItem.StopMiningWorkloads or ResponseItem.ReviewMachineLearning => sub is null ? null : sub + "/resources",
            ResponseItem.ReportFalsePositive => Support.AbsoluteUri,
            _ => null,
        };
        return link is null ? null : new Uri(link);
    }

    /// <summary>The activity log blade's query: the subscription and a custom time span.</summary>
    private static string ActivityLogQuery(string subscription, (DateTimeOffset From, DateTimeOffset To)? window)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("query");
            json.WriteStartArray("subscriptions");
            json.WriteStringValue(subscription);
            json.WriteEndArray();
            if (window is { } w)
            {
                json.WriteString("timeSpan", "5");
                json.WriteString("startTime", Iso(w.From));
                json.WriteString("endTime", Iso(w.To));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>2026-06-02T09:15:00.000Z</c>.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
