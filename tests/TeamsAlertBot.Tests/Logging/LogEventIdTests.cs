using System.Reflection;
using Microsoft.Extensions.Logging;

namespace TeamsAlertBot.Tests.Logging;

/// <summary>Operators filter and alert on event ids: each must name one message only.</summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(TeamsAlertBot.Bot.AlertBot).Assembly,
        typeof(BotFramework.Hosting.BotEndpoint).Assembly,
    ];

    [Fact]
    public void EveryLoggerMessage_HasItsOwnEventId()
    {
        var messages = Assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, Name: $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))
            .ToList();

        Assert.True(messages.Count > 50, $"found only {messages.Count} logger messages");
        string[] duplicates = [.. messages
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")];
        Assert.Empty(duplicates);
    }
}
