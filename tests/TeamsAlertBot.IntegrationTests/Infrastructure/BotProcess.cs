using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The built bot (<c>TeamsAlertBot.dll</c>, as this project's build copies it next to the tests) run as a
/// real child process, configured only through environment variables — the settings a test would give
/// <see cref="BotApp"/>, with <c>:</c> written <c>__</c>. It inherits SSL_CERT_FILE, so it trusts the
/// fakes' test CA. Its console log (one line per entry) goes to <see cref="LogFile"/> and
/// <see cref="LogLines"/>. <see cref="KillAsync"/> is SIGKILL by PID; <see cref="StartAsync(CancellationToken)"/> starts
/// it again with the same settings and port. Only processes this class started are ever killed.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(100) };
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ForeignHostTrap _trap;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _logLock = new();
    private Process? _process;
    private int _starts;

    private BotProcess(string name, IReadOnlyDictionary<string, string?> settings, string directory, ForeignHostTrap trap)
    {
        Name = name;
        _settings = settings;
        _trap = trap;
        Directory.CreateDirectory(directory);
        WorkingDirectory = directory;
        LogFile = Path.Combine(directory, $"{name}.log");
        Port = UniquePort();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
    }

    /// <summary>Ports handed to bots in this test run: a free port is free only until someone binds it.</summary>
    private static readonly HashSet<int> Given = [];

    private static int UniquePort()
    {
        lock (Given)
        {
            while (true)
            {
                int port = RedisServer.FreePort();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public string Name { get; }

    /// <summary>The folder the process runs in (no appsettings.json there: environment variables only).</summary>
    public string WorkingDirectory { get; }

    /// <summary>Everything the process wrote, over all its starts.</summary>
    public string LogFile { get; }

    public int Port { get; }

    public Uri BaseUrl { get; }

    /// <summary>The PID of the running process (null when it is not running).</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Every console line so far, over all its starts.</summary>
    public IReadOnlyList<string> LogLines => [.. _lines];

    /// <summary>Where the built bot is: next to this test assembly (the project reference copies it there).</summary>
    public static string BotAssembly => Path.Combine(AppContext.BaseDirectory, "TeamsAlertBot.dll");

    /// <summary>Starts the bot and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<BotProcess> StartAsync(
        string name, IReadOnlyDictionary<string, string?> settings, string directory, ForeignHostTrap trap, CancellationToken cancellationToken = default)
    {
        var bot = new BotProcess(name, settings, directory, trap);
        try
        {
            await bot.StartAsync(cancellationToken);
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process (again) with the same settings and port, and waits until it is healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Pid is not null)
        {
            throw new InvalidOperationException($"{Name} is already running (PID {Pid}).");
        }

        var start = new ProcessStartInfo("dotnet", [BotAssembly])
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach ((string key, string? value) in Environment(_settings, Port, _trap))
        {
            start.Environment[key] = value;
        }

        _starts++;
        Append($"----- {Name}: start {_starts} -----");
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was healthy:{System.Environment.NewLine}{Tail()}");
            }

            try
            {
                using HttpResponseMessage health = await Http.GetAsync(new Uri(BaseUrl, "healthz"), cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK && !_process.HasExited)
                {
                    // Healthy, and it is this process that answers (another one on the port would be a harness bug).
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Name} was not healthy within 60 s:{System.Environment.NewLine}{Tail()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILL: the process dies at once, mid-send and mid-write, as a crashed or evicted instance does.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Append($"----- {Name}: SIGKILL (PID {process.Id}) -----");
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>POSTs an activity to the process's /api/messages.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity, string? authorization, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, "api/messages"))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string Tail(int lines = 60) => string.Join(System.Environment.NewLine, _lines.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    /// <summary>The environment of the child: the settings, where it listens, its logging, and the foreign-host trap.</summary>
    internal static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> settings, int port, ForeignHostTrap trap)
    {
        Dictionary<string, string?> environment = new(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            // A small process: three of them share two cores with the tests.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
            ["Logging__LogLevel__Polly"] = "Warning",
            ["Logging__LogLevel__Microsoft.Identity"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
            // Anything not on loopback goes to the trap (a dead end that records it) instead of leaving the machine.
            ["HTTP_PROXY"] = trap.ProxyUrl,
            ["HTTPS_PROXY"] = trap.ProxyUrl,
            ["ALL_PROXY"] = trap.ProxyUrl,
            ["NO_PROXY"] = "127.0.0.1,127.0.0.2,localhost",
        };
        foreach ((string key, string? value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        lock (_logLock)
        {
            File.AppendAllText(LogFile, line + System.Environment.NewLine);
        }
    }
}

/// <summary>
/// A loopback "proxy" the child bots are pointed at for every host but loopback: it records the
/// request line (e.g. <c>CONNECT graph.microsoft.com:443</c>) and closes the connection, so nothing
/// leaves the machine and a test can assert that nothing tried.
/// </summary>
public sealed class ForeignHostTrap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _attempts = new();
    private readonly Task _loop;

    public ForeignHostTrap()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string ProxyUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The first line of every request that tried to leave the machine.</summary>
    public IReadOnlyList<string> Attempts => [.. _attempts];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                _attempts.Enqueue(await reader.ReadLineAsync(timeout.Token) ?? "(no request line)");
            }
            catch (OperationCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
            catch (IOException)
            {
                // The client gave up; keep listening.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // Stopped while accepting.
        }
        catch (SocketException)
        {
            // Stopped while accepting.
        }

        _stop.Dispose();
    }
}
