using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>Decides whether the user who clicked a card button may act in a role.</summary>
public interface ITriageAuthorizer
{
    /// <summary>
    /// Allowed when the user's Entra object id is on the role's allow-list, or when the user is in the
    /// partner tenant and a (transitive) member of the role's group. Fails closed: a role with nothing
    /// configured, a user who cannot be identified, or a Graph that cannot be asked all refuse.
    /// </summary>
    Task<TriageDecision> AuthorizeAsync(TriageActor actor, TriageRole role, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="ITriageAuthorizer"/> over the configured allow-lists, Microsoft Graph group membership
/// (cached briefly) and, for a click without <c>aadObjectId</c>, the Bot Connector's member look-up.
/// </summary>
/// <remarks>
/// The membership cache is this instance's own <see cref="MemoryCache"/>: bounded, on the injected
/// <see cref="TimeProvider"/>, and not shared with other features' keys. Per instance is enough: each
/// answer is a cheap read of Entra, the staleness bound (<see cref="TriageAuthorizationOptions.CacheDuration"/>)
/// is the same whether one instance or all share it, and a shared store would add a round trip to
/// every click and a place where an authorization answer could be planted.
/// </remarks>
public sealed class TriageAuthorizer : ITriageAuthorizer, IDisposable
{
    private const int MaxCachedAnswers = 10_000;

    private readonly TriageGroupMembershipClient _graph;
    private readonly ConnectorClient _connector;
    private readonly TriageAuthorizationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TriageAuthorizer> _logger;
    private readonly TriageRoleRule _triage;
    private readonly TriageRoleRule _mitigate;
    private readonly string? _partnerTenantId;
    private readonly bool _openInDevelopment;
    private readonly MemoryCache _memberships;

    public TriageAuthorizer(
        TriageGroupMembershipClient graph,
        ConnectorClient connector,
        IOptions<TriageAuthorizationOptions> options,
        IOptions<BotIdentity> identity,
        IHostEnvironment environment,
        TimeProvider time,
        ILogger<TriageAuthorizer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(environment);
        _graph = graph;
        _connector = connector;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _triage = _options.RuleFor(TriageRole.Triage);
        _mitigate = _options.RuleFor(TriageRole.Mitigate);
        _partnerTenantId = TriageIds.Normalize(identity.Value.TenantId);
        // The validator refuses the switch outside Development at start; checked again so that a
        // host that skipped validation still never opens up outside Development.
        _openInDevelopment = _options.AllowEveryoneInDevelopment && environment.IsDevelopment();
        _memberships = new MemoryCache(Options.Create(new MemoryCacheOptions
        {
            Clock = new TimeProviderClock(time),
            SizeLimit = MaxCachedAnswers,
        }));
    }

    /// <inheritdoc />
    public async Task<TriageDecision> AuthorizeAsync(TriageActor actor, TriageRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        TriageRoleRule rule = role switch
        {
            TriageRole.Triage => _triage,
            TriageRole.Mitigate => _mitigate,
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown triage role."),
        };

        if (!rule.IsConfigured)
        {
            string? claimed = TriageIds.Normalize(actor.AadObjectId);
            if (_openInDevelopment)
            {
                TriageAuthorizationLog.AllowedInDevelopment(_logger, claimed, actor.Name, role);
                return TriageDecision.Allow(TriageDecisionReason.AllowedInDevelopment, claimed);
            }

            (string groupKey, string usersKey) = TriageAuthorizationOptions.KeysFor(role);
            TriageAuthorizationLog.NotConfigured(_logger, role, groupKey, usersKey, actor.UserId);
            return TriageDecision.Refuse(TriageDecisionReason.NotConfigured, claimed);
        }

        using var timeout = new CancellationTokenSource(_options.VerificationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        TriageDecision decision;
        try
        {
            decision = await DecideAsync(actor, rule, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            TriageAuthorizationLog.TimedOut(_logger, _options.VerificationTimeout, actor.UserId, role);
            return TriageDecision.Refuse(TriageDecisionReason.VerificationFailed, TriageIds.Normalize(actor.AadObjectId));
        }

        if (decision.IsAllowed)
        {
            TriageAuthorizationLog.Allowed(_logger, decision.ObjectId, actor.Name, role, decision.Reason);
        }
        else
        {
            TriageAuthorizationLog.Refused(_logger, decision.ObjectId, actor.Name, actor.TenantId, role, decision.Reason);
        }

        return decision;
    }

    /// <summary>Drops the cached membership answers.</summary>
    public void Dispose() => _memberships.Dispose();

    private async Task<TriageDecision> DecideAsync(TriageActor actor, TriageRoleRule rule, CancellationToken cancellationToken)
    {
        ResolvedUser user = await ResolveAsync(actor, cancellationToken);
        if (user.Failed)
        {
            return TriageDecision.Refuse(TriageDecisionReason.VerificationFailed, null);
        }

        if (user.ObjectId is not { } objectId)
        {
            // Teams sends no object id for users outside Entra (and the connector does not know them):
            // nothing to find on a list or in a group.
            return TriageDecision.Refuse(TriageDecisionReason.NotMember, null);
        }

        // The explicit list wins over the tenant: listing a guest's object id is how a guest is let in.
        if (rule.AllowList.Contains(objectId))
        {
            return TriageDecision.Allow(TriageDecisionReason.AllowListed, objectId);
        }

        if (_partnerTenantId is not null
            && (!IsPartnerTenant(actor.TenantId) || (user.TenantId is not null && !IsPartnerTenant(user.TenantId))))
        {
            return TriageDecision.Refuse(TriageDecisionReason.WrongTenant, objectId);
        }

        if (rule.GroupId is not { } groupId)
        {
            return TriageDecision.Refuse(TriageDecisionReason.NotMember, objectId);
        }

        return await IsMemberAsync(groupId, objectId, cancellationToken) switch
        {
            true => TriageDecision.Allow(TriageDecisionReason.GroupMember, objectId),
            false => TriageDecision.Refuse(TriageDecisionReason.NotMember, objectId),
            null => TriageDecision.Refuse(TriageDecisionReason.VerificationFailed, objectId),
        };
    }

    private bool IsPartnerTenant(string? tenantId) => TriageIds.Normalize(tenantId) == _partnerTenantId;

    private async Task<ResolvedUser> ResolveAsync(TriageActor actor, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(actor.AadObjectId))
        {
            return new ResolvedUser(TriageIds.Normalize(actor.AadObjectId), TenantId: null, Failed: false);
        }

        if (actor.ServiceUrl is null || string.IsNullOrEmpty(actor.RosterConversationId) || string.IsNullOrEmpty(actor.UserId))
        {
            return new ResolvedUser(null, null, Failed: false);
        }

        TeamsChannelAccount? member;
        try
        {
            member = await _connector.GetMemberAsync(actor.ServiceUrl, actor.RosterConversationId, actor.UserId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TriageAuthorizationLog.ConnectorFailed(_logger, e, actor.UserId, actor.RosterConversationId);
            return new ResolvedUser(null, null, Failed: true);
        }

        string? objectId = TriageIds.Normalize(member?.AadObjectId ?? RawObjectId(member));
        TriageAuthorizationLog.ObjectIdResolved(_logger, actor.UserId, objectId);
        return new ResolvedUser(objectId, member?.TenantId, Failed: false);
    }

    /// <summary>Teams names the field <c>objectId</c> on the wire; SDKs map it to <c>aadObjectId</c>.</summary>
    private static string? RawObjectId(TeamsChannelAccount? member) =>
        member?.AdditionalProperties?.TryGetValue("objectId", out JsonElement value) == true && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>True or false from cache or Graph; null when Graph could not answer (not cached).</summary>
    private async Task<bool?> IsMemberAsync(string groupId, string objectId, CancellationToken cancellationToken)
    {
        string key = $"{groupId}/{objectId}";
        if (_memberships.TryGetValue(key, out bool cached))
        {
            TriageAuthorizationLog.CacheHit(_logger, objectId, groupId, cached);
            return cached;
        }

        bool isMember;
        try
        {
            isMember = await _graph.IsTransitiveMemberAsync(groupId, objectId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TriageAuthorizationLog.GraphFailed(_logger, e, objectId, groupId, (e as ApiException)?.ResponseStatusCode, (e as ODataError)?.Error?.Code);
            return null;
        }

        TimeSpan keep = isMember ? _options.CacheDuration : _options.NegativeCacheDuration;
        if (keep > TimeSpan.Zero)
        {
            _memberships.Set(key, isMember, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep, Size = 1 });
        }

        return isMember;
    }

    private readonly record struct ResolvedUser(string? ObjectId, string? TenantId, bool Failed);

    /// <summary>Lets the cache expire entries on the injected clock (and so on a fake one in tests).</summary>
    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
