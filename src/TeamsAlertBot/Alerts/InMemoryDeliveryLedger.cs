using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IDeliveryLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only): each
/// step decides under the keyspace's lock what <see cref="RedisDeliveryLedger"/>'s script decides, on the
/// same keys, so a slot's extra reads see the other twins' records.
/// </summary>
public sealed class InMemoryDeliveryLedger(InMemoryKeyspace space) : IDeliveryLedger
{
    /// <inheritdoc />
    public Task<DeliveryBegin> BeginAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease, TimeSpan retention, string target)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Task.FromResult(space.Atomic(step =>
        {
            string?[] extra = [.. (slot.Extra ?? []).Select(k => step.Get(k) is { Length: > 0 } value ? value : null)];
            if (step.Hash(slot.Delivered)?.GetValueOrDefault(slot.ConversationId) is { } delivered)
            {
                return new DeliveryBegin(DeliveryStart.Delivered, delivered, null, extra);
            }

            Dictionary<string, string> sends = step.Hash(slot.Sends, create: true)!;
            SendRecord record = AlertStateJson.ParseSend(sends.GetValueOrDefault(slot.ConversationId)) ?? new SendRecord();
            if (sends.ContainsKey(slot.ConversationId) && record.Owner != owner && record.LeaseUntil > now.ToUnixTimeMilliseconds())
            {
                return new DeliveryBegin(DeliveryStart.Busy, null, record, extra);
            }

            DeliveryStart start = DeliveryStart.Unsettled;
            record = record with { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds() };
            if (record.Copies == 0)
            {
                record = record with { Copies = 1, StartedAt = now.ToUnixTimeMilliseconds(), Target = target };
                start = DeliveryStart.Send;
            }

            sends[slot.ConversationId] = AlertStateJson.Serialize(record);
            step.Expire(slot.Sends, retention);
            return new DeliveryBegin(start, null, record, extra);
        }));
    }

    /// <inheritdoc />
    public Task<bool> SendAgainAsync(DeliverySlot slot, string owner, DateTimeOffset now, string target)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Task.FromResult(Change(slot, owner, record => record with
        {
            Copies = record.Copies + 1,
            StartedAt = now.ToUnixTimeMilliseconds(),
            Target = target,
        }));
    }

    /// <inheritdoc />
    public Task<string?> DeliveredAsync(DeliverySlot slot, string owner, string deliveredJson, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Task.FromResult(space.Atomic(step =>
        {
            // The first delivery recorded stands; the send record goes (whoever holds it: the message is there).
            step.Hash(slot.Delivered, create: true)!.TryAdd(slot.ConversationId, deliveredJson);
            step.Expire(slot.Delivered, retention);
            step.Hash(slot.Sends)?.Remove(slot.ConversationId);
            return slot.ReadBack is { } readBack && step.Get(readBack) is { Length: > 0 } value ? value : null;
        }));
    }

    /// <inheritdoc />
    public Task FailedAsync(DeliverySlot slot, string owner, DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return outcome == DeliveryOutcome.NotDelivered
            ? TakeBackAsync(slot, owner, 1, keep: false)
            : ReleaseAsync(slot, owner);
    }

    /// <inheritdoc />
    public Task AbsentAsync(DeliverySlot slot, string owner, int copies) => TakeBackAsync(slot, owner, copies, keep: true);

    /// <inheritdoc />
    public Task<bool> RenewAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Task.FromResult(Change(slot, owner, record => record with { LeaseUntil = (now + lease).ToUnixTimeMilliseconds() }));
    }

    /// <inheritdoc />
    public Task ReleaseAsync(DeliverySlot slot, string owner)
    {
        ArgumentNullException.ThrowIfNull(slot);
        Change(slot, owner, record => record with { LeaseUntil = 0 });
        return Task.CompletedTask;
    }

    private Task TakeBackAsync(DeliverySlot slot, string owner, int copies, bool keep)
    {
        ArgumentNullException.ThrowIfNull(slot);
        Change(slot, owner, record =>
        {
            int left = record.Copies - copies;
            return left <= 0 && !keep ? null : record with { Copies = Math.Max(left, 0) };
        });
        return Task.CompletedTask;
    }

    /// <summary>Rewrites the owner's send record (null removes it); false when <paramref name="owner"/> does not hold it.</summary>
    private bool Change(DeliverySlot slot, string owner, Func<SendRecord, SendRecord?> change) => space.Atomic(step =>
    {
        Dictionary<string, string>? sends = step.Hash(slot.Sends);
        if (AlertStateJson.ParseSend(sends?.GetValueOrDefault(slot.ConversationId)) is not { } record || record.Owner != owner)
        {
            return false;
        }

        if (change(record) is { } changed)
        {
            sends![slot.ConversationId] = AlertStateJson.Serialize(changed);
        }
        else
        {
            sends!.Remove(slot.ConversationId);
        }

        return true;
    });
}
