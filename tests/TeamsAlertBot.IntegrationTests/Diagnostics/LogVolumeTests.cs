using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Diagnostics;

/// <summary>
/// What a routine reply costs in logs at the levels the app ships with (appsettings.json): Application
/// Insights bills every line, and a busy channel gets hundreds of thousands of replies.
/// </summary>
public sealed class LogVolumeTests(RedisServer redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommandReply_ShippedLogLevels_WritesAtMostOneInformationLine()
    {
        await using LoopbackFakes fakes = await LoopbackFakes.StartAsync();
        var lines = new RecordingLoggerProvider();
        await using var bot = new BotApp(
            BotApp.Authenticated(fakes, redis),
            testServices: services => services.AddSingleton<ILoggerProvider>(lines),
            shippedLogLevels: true);

        // The first reply starts what runs once (token cache, metadata, Redis connection).
        await ReplyAsync(bot, fakes, 1);
        lines.Clear();

        await ReplyAsync(bot, fakes, 2);

        string[] written = [.. lines.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => $"{e.Level} {e.Category}: {e.Message}")];
        Assert.True(written.Length <= 1, $"{written.Length} lines at Information or above:\n{string.Join('\n', written)}");
    }

    private static async Task ReplyAsync(BotApp bot, LoopbackFakes fakes, int replies)
    {
        using HttpResponseMessage response = await bot.PostActivityAsync(TeamsActivities.ChannelMessage(fakes.ServiceUrl, "help"), BotApp.ChannelAuthorization(fakes));
        response.EnsureSuccessStatusCode();
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (fakes.Connector.Delivered.Count < replies && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.Equal(replies, fakes.Connector.Delivered.Count);
    }

    private sealed record Entry(string Category, LogLevel Level, string Message);

    /// <summary>Keeps every entry the app's log filters let through.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyList<Entry> Entries => [.. _entries];

        public void Clear() => _entries.Clear();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)));
        }
    }
}
