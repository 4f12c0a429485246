using StackExchange.Redis;

namespace TeamsAlertBot.State;

/// <summary>Every Redis key the bot uses, built in one place under a configurable prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>The prefix every key starts with (e.g. <c>tab:</c>).</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Hash of one conversation: field <c>ref</c> (JSON reference) and <c>v:{name}</c> values.</summary>
    public RedisKey Conversation(string conversationId) => $"{Prefix}conv:{conversationId}";

    /// <summary>Hash of subscriptions: field = conversation id, value = JSON subscription.</summary>
    public RedisKey Subscriptions => $"{Prefix}subscriptions";

    /// <summary>Set of the conversation ids the bot knows in a team.</summary>
    public RedisKey Team(string teamId) => $"{Prefix}team:{teamId}";

    /// <summary>The hash field of a conversation's reference.</summary>
    public static RedisValue ReferenceField => "ref";

    /// <summary>The hash field of a named conversation value.</summary>
    public static RedisValue ValueField(string name) => $"v:{name}";
}
