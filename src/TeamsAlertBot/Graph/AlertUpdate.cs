using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Graph;

/// <summary>
/// The body of <c>PATCH …/securityAlerts/{id}</c>: the new status and, for a verdict, the reason.
/// Both are absolute values, so sending the same update twice leaves the alert as sending it once.
/// </summary>
public sealed record AlertUpdate
{
    /// <summary>An update to <paramref name="status"/>; <paramref name="resolvedReason"/> only with <see cref="AlertStatus.Resolved"/>.</summary>
    public AlertUpdate(AlertStatus status, AlertResolvedReason? resolvedReason = null)
    {
        if (status == AlertStatus.Unknown || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An alert can be set to active, investigating or resolved only.");
        }

        if (resolvedReason is { } reason && (reason == AlertResolvedReason.Unknown || !Enum.IsDefined(reason)))
        {
            throw new ArgumentOutOfRangeException(nameof(resolvedReason), reason, "A verdict is legitimate, ignore or fraud.");
        }

        if (resolvedReason is not null && status != AlertStatus.Resolved)
        {
            throw new ArgumentException($"A resolved reason goes with status resolved, not {status}.", nameof(resolvedReason));
        }

        Status = status;
        ResolvedReason = resolvedReason;
    }

    /// <summary>Marks the alert as being looked at.</summary>
    public static AlertUpdate Investigating { get; } = new(AlertStatus.Investigating);

    [JsonConverter(typeof(LenientEnumConverter<AlertStatus>))]
    public AlertStatus Status { get; }

    [JsonConverter(typeof(LenientEnumConverter<AlertResolvedReason>))]
    public AlertResolvedReason? ResolvedReason { get; }

    /// <summary>Resolves the alert with a verdict (legitimate, ignore or fraud).</summary>
    public static AlertUpdate Resolve(AlertResolvedReason reason) => new(AlertStatus.Resolved, reason);
}
