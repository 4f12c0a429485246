namespace TeamsAlertBot.Core.Cards;

/// <summary>Why the alert pipeline is off: a setting that is missing, or one set to turn it off.</summary>
/// <param name="Setting">The configuration path, e.g. <c>Redis:ConnectionString</c>.</param>
/// <param name="TurnedOff">True when the setting is present and says off (<c>Alerts:Enabled=false</c>); false when it is missing.</param>
public sealed record PipelineOffReason(string Setting, bool TurnedOff);

/// <summary>What this instance last saw of a service it calls (Graph, Partner Center).</summary>
/// <param name="MissingSettings">Non-empty when the service has no credentials here: it is never called.</param>
public sealed record ServiceCallState(IReadOnlyList<string> MissingSettings)
{
    /// <summary>The status of the last answer, and when it came.</summary>
    public (int Status, DateTimeOffset At)? LastAnswer { get; init; }

    /// <summary>The last call that got no answer (timeout, transport error), and when.</summary>
    public (string Reason, DateTimeOffset At)? LastFailure { get; init; }
}

/// <summary>Who holds a role: a group, users on an allow-list, or everyone in Development.</summary>
public sealed record RoleHolders(string? GroupId, int Users, bool EveryoneInDevelopment)
{
    /// <summary>Nobody holds the role: every click and routing command is refused.</summary>
    public bool Nobody => GroupId is null && Users == 0 && !EveryoneInDevelopment;
}

/// <summary>The partner admin's delegated Graph grant (secure application model).</summary>
/// <param name="Username">Who consented; null when nobody has.</param>
/// <param name="ConsentedAt">When.</param>
public sealed record DelegatedGrantState(string? Username, DateTimeOffset? ConsentedAt);

/// <summary>
/// The operator's half of <c>status</c>: whether alerts flow here, who polls, how fresh the last poll
/// is, whether Graph and Partner Center answer, who may act, and the delegated grant.
/// </summary>
public sealed record OperatorStatus
{
    /// <summary>Empty when the pipeline runs.</summary>
    public required IReadOnlyList<PipelineOffReason> PipelineOff { get; init; }

    /// <summary>The instance holding the poll lease; null when none does (or the pipeline is off).</summary>
    public string? Poller { get; init; }

    /// <summary>True when <see cref="Poller"/> is the instance that answers.</summary>
    public bool PollerIsThisInstance { get; init; }

    /// <summary>When the last complete poll (by any instance) started.</summary>
    public DateTimeOffset? LastPoll { get; init; }

    /// <summary>The configured poll interval: a last poll older than three of them is late.</summary>
    public TimeSpan PollInterval { get; init; }

    /// <summary>Now, for ages.</summary>
    public DateTimeOffset Now { get; init; }

    public required ServiceCallState Graph { get; init; }

    public required ServiceCallState PartnerCenter { get; init; }

    public required RoleHolders Triage { get; init; }

    public required RoleHolders Mitigation { get; init; }

    /// <summary>Null when delegated Graph access is not in use.</summary>
    public DelegatedGrantState? DelegatedGrant { get; init; }

    /// <summary>True when the last poll is older than three poll intervals (or there is none while the pipeline runs).</summary>
    public bool PollLate => PipelineOff.Count == 0 && (LastPoll is not { } last || Now - last > 3 * PollInterval);
}
