using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TeamsAlertBot.IntegrationTests.Playground;

/// <summary>
/// Microsoft 365 Agents Playground (Microsoft's local Teams emulator, npm, pinned in tests/js),
/// run headless and driven over its internal HTTP API. What the bot posts through the Playground's
/// connector is read from the web UI's WebSocket feed.
/// </summary>
public sealed class PlaygroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonObject> _frames = Channel.CreateUnbounded<JsonObject>();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _workDirectory;
    private Task _reader = Task.CompletedTask;

    private PlaygroundProcess(Process process, string workDirectory, int port)
    {
        _process = process;
        _workDirectory = workDirectory;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>A loopback port free right now, for the Playground to listen on.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The settings that let a bot call the Playground's connector on <paramref name="port"/>: an
    /// allow-list entry is an exact origin, port included.
    /// </summary>
    public static Dictionary<string, string?> ConnectorOrigins(int port) => new()
    {
        ["Bot:AllowedServiceUrls:0"] = $"http://localhost:{port}",
        ["Bot:AllowedServiceUrls:1"] = $"http://127.0.0.1:{port}",
    };

    /// <summary>Starts the Playground on <paramref name="port"/> against <paramref name="botEndpoint"/> and connects to its message feed.</summary>
    public static async Task<PlaygroundProcess> StartAsync(string botEndpoint, int port, CancellationToken cancellationToken)
    {
        string cli = Path.Combine(RepositoryRoot(), "tests", "js", "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"The Agents Playground is not installed ({cli}). Run the README's test command (build/test.sh), which runs npm ci in tests/js.");
        }

        // Its log and recordings go into the working directory; the built-in mock team is used.
        string work = Directory.CreateTempSubdirectory("teamsalertbot-playground-").FullName;
        var start = new ProcessStartInfo("node", [cli, "-e", botEndpoint, "-c", "msteams", "--dt", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");

        int listening = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (listening == 0)
        {
            string? line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The Playground exited before listening: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                listening = int.Parse(line["Listening on ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (listening != port)
        {
            // It picks another port when the asked one is busy; the bot would then not be allowed to answer.
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The Playground listens on {listening}, not on the port {port} the bot allows.");
        }

        var playground = new PlaygroundProcess(process, work, port);
        await playground._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/_ws_conversation/v1/conversations/stream"), timeout.Token);
        playground._reader = playground.ReadFramesAsync();
        return playground;
    }

    /// <summary>
    /// Starts <paramref name="bot"/> on a loopback port and the Playground against it, on
    /// <paramref name="port"/> (the bot's settings allow it: <see cref="ConnectorOrigins"/>).
    /// </summary>
    public static async Task<PlaygroundProcess> StartForAsync(Infrastructure.BotApp bot, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        bot.UseKestrel(0);
        bot.StartServer();
        string address = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(bot.Services)
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        return await StartAsync($"{address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)}/api/messages", port, cancellationToken);
    }

    /// <summary>The ids of the mock team the tests use.</summary>
    public async Task<PlaygroundTeam> GetTeamAsync(CancellationToken cancellationToken)
    {
        JsonObject config = await GetConfigAsync(cancellationToken);
        JsonNode team = config["teams"]!.AsArray()[0]!;
        return new PlaygroundTeam(
            BotId: (string)config["bot"]!["id"]!,
            BotName: (string)config["bot"]!["name"]!,
            UserId: (string)config["currentUser"]!["id"]!,
            TeamId: (string)team["id"]!,
            ChannelId: (string)team["channels"]!.AsArray().Last()!["id"]!);
    }

    /// <summary>The resolved mock data (bot, team, channels, users).</summary>
    public async Task<JsonObject> GetConfigAsync(CancellationToken cancellationToken) =>
        (JsonObject)(await Http.GetFromJsonAsync<JsonObject>("_internal/v1/testConfig", cancellationToken))!["config"]!;

    /// <summary>Installs the bot into a conversation of the mock team (installationUpdate + conversationUpdate).</summary>
    public async Task InstallAsync(string conversationId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync($"_debug/conversation/{Uri.EscapeDataString(conversationId)}/installation", new JsonObject(), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A user posts into a channel, @mentioning the bot.</summary>
    public async Task<JsonObject> PostMentionAsync(string conversationId, string userId, string botId, string botName, string text, CancellationToken cancellationToken)
    {
        string mention = $"<at>{botName}</at>";
        var body = new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = userId },
            ["text"] = $"{mention} {text}",
            ["textFormat"] = "plain",
            ["mentions"] = new JsonArray(new JsonObject { ["mentioned"] = new JsonObject { ["id"] = botId }, ["text"] = mention }),
        };
        using HttpResponseMessage response = await Http.PostAsJsonAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(conversationId)}/messages", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
    }

    /// <summary>A user clicks an Action.Execute button on a card.</summary>
    public async Task<(int Status, JsonObject? Body)> InvokeAsync(string conversationId, string userId, string replyToId, string verb, JsonObject data, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["from"] = new JsonObject { ["id"] = userId },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["replyToId"] = replyToId,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
                ["trigger"] = "manual",
            },
        };
        using HttpResponseMessage response = await Http.PostAsJsonAsync("_conversation/v1/invoke", body, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject);
    }

    /// <summary>The next message the bot created or updated that matches <paramref name="match"/>.</summary>
    public Task<JsonObject> WaitForBotMessageAsync(Func<JsonObject, bool> match, CancellationToken cancellationToken) =>
        WaitForBotMessageAsync(match, TimeSpan.FromSeconds(20), cancellationToken);

    /// <summary>The next message the bot created or updated that matches <paramref name="match"/>, within <paramref name="within"/>.</summary>
    public async Task<JsonObject> WaitForBotMessageAsync(Func<JsonObject, bool> match, TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        while (true)
        {
            JsonObject frame = await _frames.Reader.ReadAsync(timeout.Token);
            if (frame["action"]?.GetValue<string>() is "createMessage" or "updateMessage" && match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>
    /// The messages the bot creates or updates from now on, gathered until <paramref name="enough"/> holds
    /// for them (within <paramref name="within"/>).
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> GatherBotMessagesAsync(Func<IReadOnlyList<JsonObject>, bool> enough, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enough);
        List<JsonObject> gathered = [];
        while (!enough(gathered))
        {
            gathered.Add(await WaitForBotMessageAsync(_ => true, within, cancellationToken));
        }

        return gathered;
    }

    /// <summary>The data of the card's <c>Action.Execute</c> button titled <paramref name="title"/> (null when there is none).</summary>
    public static JsonObject? FindAction(JsonNode? node, string title) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title => (JsonObject)o["data"]!.DeepClone(),
        JsonObject o => o.Select(p => FindAction(p.Value, title)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(n => FindAction(n, title)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    private async Task ReadFramesAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    if (JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray())) is JsonObject frame)
                    {
                        await _frames.Writer.WriteAsync(frame);
                    }

                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open is no reason to fail a test.
        }
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamsAlertBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TeamsAlertBot.sln not found above the test binaries.");
    }
}

/// <summary>The Playground's mock team: who the bot and the user are, and where to talk.</summary>
public sealed record PlaygroundTeam(string BotId, string BotName, string UserId, string TeamId, string ChannelId);
