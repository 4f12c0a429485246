using System.Globalization;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IStormOverviewLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only),
/// on the keys <see cref="RedisStormOverviewLedger"/> uses, step for step as its scripts.
/// </summary>
public sealed class InMemoryStormOverviewLedger(InMemoryKeyspace space, RedisKeys keys) : IStormOverviewLedger
{
    private static readonly string[] Hashes = ["root", "act", "gen", "urgent", "tries", "run", "last", "gone"];
    private static readonly string[] Sets = ["due", "busy", "seen"];

    /// <inheritdoc />
    public Task RegisterAsync(StormRoot root, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(root);
        space.Atomic(step =>
        {
            string m = root.Member;
            if (Hash(step, "gone").GetValueOrDefault(m) == root.RootActivityId)
            {
                return;
            }

            if (Hash(step, "act").GetValueOrDefault(m) != root.RootActivityId)
            {
                Forget(step, m);
                Hash(step, "root")[m] = StormOverviewJsonContext.Serialize(root);
                Hash(step, "act")[m] = root.RootActivityId;
                Set(step, "seen")[m] = Ms(root.StartedAt);
            }

            Mark(step, m, Ms(due), urgent: false);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MarkAsync(string customerTenantId, DateTimeOffset due)
    {
        string prefix = StormOverviewMembers.CustomerPrefix(customerTenantId);
        space.Atomic(step =>
        {
            foreach (string m in Hash(step, "act").Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                Mark(step, m, Ms(due), urgent: false);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> ShowRunAsync(string customerTenantId, string conversationId, string rootActivityId, string runId, DateTimeOffset due, bool urgent) =>
        Task.FromResult(space.Atomic(step =>
        {
            string m = StormOverviewMembers.Of(customerTenantId, conversationId);
            if (Hash(step, "act").GetValueOrDefault(m) != rootActivityId)
            {
                return false;
            }

            Hash(step, "run")[m] = runId;
            Mark(step, m, Ms(due), urgent);
            return true;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<StormRenderClaim>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, DateTimeOffset forgetBefore) =>
        Task.FromResult<IReadOnlyList<StormRenderClaim>>(space.Atomic(step =>
        {
            foreach (string m in Set(step, "seen").Where(e => e.Value < Ms(forgetBefore)).Select(e => e.Key).ToList())
            {
                Forget(step, m);
            }

            Dictionary<string, double> due = Set(step, "due");
            Dictionary<string, double> busy = Set(step, "busy");
            foreach (string m in busy.Where(e => e.Value <= Ms(now)).Select(e => e.Key).ToList())
            {
                busy.Remove(m);
                due[m] = Ms(now);
            }

            List<StormRenderClaim> claims = [];
            foreach (string m in due.Where(e => e.Value <= Ms(now)).OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(max).Select(e => e.Key).ToList())
            {
                due.Remove(m);
                busy[m] = Ms(now + lease);
                Hash(step, "urgent").Remove(m);
                claims.Add(new StormRenderClaim(
                    m,
                    StormOverviewJsonContext.ParseRoot(Hash(step, "root").GetValueOrDefault(m)),
                    long.Parse(Hash(step, "gen").GetValueOrDefault(m) ?? "0", CultureInfo.InvariantCulture),
                    int.Parse(Hash(step, "tries").GetValueOrDefault(m) ?? "0", CultureInfo.InvariantCulture),
                    Hash(step, "run").GetValueOrDefault(m)));
            }

            return claims;
        }));

    /// <inheritdoc />
    public Task<bool> CompleteAsync(StormRenderClaim claim, StormOverview overview, DateTimeOffset now, DateTimeOffset nextDue)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(overview);
        return Task.FromResult(space.Atomic(step =>
        {
            string m = claim.Member;
            Set(step, "busy").Remove(m);
            if (!Hash(step, "act").ContainsKey(m))
            {
                return true;
            }

            Hash(step, "last")[m] = StormOverviewJsonContext.Serialize(overview);
            Hash(step, "tries").Remove(m);
            bool urgent = Hash(step, "urgent").Remove(m);
            if ((Hash(step, "gen").GetValueOrDefault(m) ?? "0") == claim.Generation.ToString(CultureInfo.InvariantCulture))
            {
                return true;
            }

            Set(step, "due")[m] = urgent ? Ms(now) : Ms(nextDue);
            return false;
        }));
    }

    /// <inheritdoc />
    public Task RetryAsync(StormRenderClaim claim, DateTimeOffset due, bool failed)
    {
        ArgumentNullException.ThrowIfNull(claim);
        space.Atomic(step =>
        {
            string m = claim.Member;
            Set(step, "busy").Remove(m);
            if (Hash(step, "act").ContainsKey(m))
            {
                Dictionary<string, string> tries = Hash(step, "tries");
                if (failed)
                {
                    tries[m] = (int.Parse(tries.GetValueOrDefault(m) ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                }

                Set(step, "due")[m] = Ms(due);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DropAsync(string member)
    {
        space.Atomic(step =>
        {
            string? act = Hash(step, "act").GetValueOrDefault(member);
            bool known = Set(step, "seen").TryGetValue(member, out double seen);
            Forget(step, member);
            if (act is not null && known)
            {
                Hash(step, "gone")[member] = act;
                Set(step, "seen")[member] = seen;
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StormRoot?> GetRootAsync(string customerTenantId, string conversationId) => Task.FromResult(space.Atomic(step =>
        StormOverviewJsonContext.ParseRoot(Hash(step, "root").GetValueOrDefault(StormOverviewMembers.Of(customerTenantId, conversationId)))));

    /// <inheritdoc />
    public Task<StormOverview?> GetOverviewAsync(string customerTenantId, string conversationId) => Task.FromResult(space.Atomic(step =>
        StormOverviewJsonContext.ParseOverview(Hash(step, "last").GetValueOrDefault(StormOverviewMembers.Of(customerTenantId, conversationId)))));

    /// <inheritdoc />
    public Task<bool> IsPendingAsync(string customerTenantId, string conversationId) => Task.FromResult(space.Atomic(step =>
    {
        string m = StormOverviewMembers.Of(customerTenantId, conversationId);
        return Set(step, "due").ContainsKey(m) || Set(step, "busy").ContainsKey(m);
    }));

    private void Mark(InMemoryKeyspace.View step, string m, double due, bool urgent)
    {
        Dictionary<string, string> generations = Hash(step, "gen");
        generations[m] = (long.Parse(generations.GetValueOrDefault(m) ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        if (Set(step, "busy").ContainsKey(m))
        {
            if (urgent)
            {
                Hash(step, "urgent")[m] = "1";
            }

            return;
        }

        Dictionary<string, double> dueSet = Set(step, "due");
        if (!dueSet.TryGetValue(m, out double current) || (urgent && current > due))
        {
            dueSet[m] = due;
        }
    }

    private void Forget(InMemoryKeyspace.View step, string m)
    {
        foreach (string hash in Hashes)
        {
            Hash(step, hash).Remove(m);
        }

        foreach (string set in Sets)
        {
            Set(step, set).Remove(m);
        }
    }

    private Dictionary<string, string> Hash(InMemoryKeyspace.View step, string part) => step.Hash(keys.StormOverview(part), create: true)!;

    private Dictionary<string, double> Set(InMemoryKeyspace.View step, string part) => step.SortedSet(keys.StormOverview(part), create: true)!;

    private static double Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
