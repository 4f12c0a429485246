using TeamsAlertBot.State;

namespace TeamsAlertBot.Tests.State;

public sealed class RedisKeysTests
{
    [Theory]
    [InlineData("tab:")]
    [InlineData("tab-7f3e:")]
    public void Epoch_SameHashSlotAsTheSubscriptions_ALostShardTakesBothOrNeither(string prefix)
    {
        var keys = new RedisKeys(prefix);

        // Redis Cluster hashes the first non-empty {tag} of a key, or else the whole key.
        Assert.Equal(SlotInput(keys.Subscriptions!), SlotInput(keys.Epoch!));
    }

    private static string SlotInput(string key)
    {
        int open = key.IndexOf('{', StringComparison.Ordinal);
        int close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }
}
