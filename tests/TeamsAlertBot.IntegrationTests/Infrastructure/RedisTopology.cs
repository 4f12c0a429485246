using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>The Redis deployments the product must run on (issue 9: every Redis Azure offers).</summary>
public enum RedisKind
{
    /// <summary>One plain redis-server (Debian's 7.x): Azure Managed Redis non-clustered, Azure Cache 6.2+.</summary>
    Standalone,

    /// <summary>redis-server with every 6.2+ command renamed away: Azure Cache for Redis "version 6" (6.0.x).</summary>
    Redis60,

    /// <summary>A 3-shard Redis Cluster: Azure Managed Redis with the OSS clustering policy.</summary>
    Cluster,
}

/// <summary>
/// redis-servers this test process starts itself, of one <see cref="RedisKind"/>, in a folder of their
/// own, on free loopback ports; they can be restarted gracefully (same port, same data with AOF on),
/// stopped, started again and flushed, and are killed by PID on dispose. Tests that restart or flush
/// Redis use their own topology; the rest share the one <see cref="RedisServer"/> names.
/// </summary>
public sealed class RedisTopology : IAsyncDisposable
{
    /// <summary>The environment variable that chooses the topology of a test run (build/test.sh sets it).</summary>
    public const string TopologyVariable = "TEST_REDIS_TOPOLOGY";

    private static readonly Lock LogLock = new();
    private readonly Node[] _nodes;

    private RedisTopology(RedisKind kind, string directory, Node[] nodes)
    {
        Kind = kind;
        Directory = directory;
        _nodes = nodes;
    }

    public RedisKind Kind { get; }

    /// <summary>Where the servers keep their logs, AOF files and cluster configuration.</summary>
    public string Directory { get; }

    /// <summary>Every node as <c>host:port</c>, comma-separated (a cluster's seed list).</summary>
    public string Endpoints => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"));

    /// <summary>A connection string that keeps a client from hanging on a server that is down.</summary>
    public string ConnectionString => WithTimeouts(Endpoints);

    /// <summary>The topology this test run is about (TEST_REDIS_TOPOLOGY: standalone, redis60 or cluster).</summary>
    public static RedisKind KindUnderTest => Environment.GetEnvironmentVariable(TopologyVariable)?.Trim().ToUpperInvariant() switch
    {
        null or "" or "STANDALONE" or "PLAIN" => RedisKind.Standalone,
        "REDIS60" or "6.0" => RedisKind.Redis60,
        "CLUSTER" => RedisKind.Cluster,
        string other => throw new InvalidOperationException($"{TopologyVariable}={other} is not one of standalone, redis60, cluster."),
    };

    /// <summary>The client settings every test connection uses after the endpoints.</summary>
    public static string WithTimeouts(string endpoints) =>
        $"{endpoints},abortConnect=false,connectTimeout=2000,syncTimeout=3000,asyncTimeout=3000";

    /// <summary>Starts the servers of <paramref name="kind"/> and waits until they serve (a cluster: cluster_state:ok).</summary>
    public static async Task<RedisTopology> StartAsync(RedisKind kind, bool appendOnly, CancellationToken cancellationToken = default)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("tab-redis-").FullName;
        int count = kind == RedisKind.Cluster ? 3 : 1;
        Node[] nodes = [.. Enumerable.Range(0, count).Select(_ => new Node(kind == RedisKind.Cluster ? FreeClusterPort() : RedisServer.FreePort()))];
        var topology = new RedisTopology(kind, directory, nodes);
        try
        {
            foreach (Node node in nodes)
            {
                topology.Launch(node, appendOnly);
            }

            foreach (Node node in nodes)
            {
                await WaitForPingAsync(node.Port, cancellationToken);
            }

            if (kind == RedisKind.Cluster)
            {
                await RunCliAsync(["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Port}"), "--cluster-replicas", "0", "--cluster-yes"], cancellationToken);
                await topology.WaitUntilServingAsync(cancellationToken);
            }

            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A graceful restart of every node (SHUTDOWN, which writes the AOF, then the same command line on
    /// the same port), as an operator's restart or a patch would do it.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAgainAsync(cancellationToken);
    }

    /// <summary>Shuts every node down gracefully; clients see the connection drop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        foreach (Node node in _nodes)
        {
            try
            {
                await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "shutdown"], cancellationToken);
            }
            catch (InvalidOperationException)
            {
                // redis-cli reports the dropped connection of a successful shutdown as an error on some versions.
            }

            if (node.Process is { } process && !process.WaitForExit(10_000))
            {
                process.Kill();
                await process.WaitForExitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Starts the nodes again after <see cref="StopAsync"/> (same ports, same files) and waits until they serve.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        foreach (Node node in _nodes)
        {
            node.Process?.Dispose();
            Launch(node, node.AppendOnly);
        }

        foreach (Node node in _nodes)
        {
            await WaitForPingAsync(node.Port, cancellationToken);
        }

        await WaitUntilServingAsync(cancellationToken);
    }

    /// <summary>FLUSHALL on every node: Redis lost its state (a failover to an empty replica, a restart without persistence).</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken = default) =>
        // Every node at once: a whole-cluster loss, not one shard after another.
        await Task.WhenAll(_nodes.Select(node => RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "flushall"], cancellationToken)));

    /// <summary>
    /// Empties only the node that holds <paramref name="key"/> (on a cluster, one shard failing over to an
    /// empty replica; elsewhere the one server). Returns how many nodes were flushed.
    /// </summary>
    public async Task<int> FlushNodeHoldingAsync(string key, CancellationToken cancellationToken = default)
    {
        int flushed = 0;
        foreach (Node node in _nodes)
        {
            // Without -c a node answers MOVED for a key of another node's slots.
            string port = node.Port.ToString(CultureInfo.InvariantCulture);
            if ((await RunCliAsync(["-p", port, "exists", key], cancellationToken)).Trim() == "1")
            {
                await RunCliAsync(["-p", port, "flushall"], cancellationToken);
                flushed++;
            }
        }

        return flushed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Node node in _nodes)
        {
            if (node.Process is { HasExited: false } process)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            node.Process?.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A free port P whose cluster bus port (P + 10000) is free too, so P is at most 55535.</summary>
    private static int FreeClusterPort()
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int port = Random.Shared.Next(20000, 55536);
            if (IsFree(port) && IsFree(port + 10000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free port pair for a cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private void Launch(Node node, bool appendOnly)
    {
        string port = node.Port.ToString(CultureInfo.InvariantCulture);
        List<string> arguments = [];
        if (Kind == RedisKind.Redis60)
        {
            // The config file must come first on redis-server's command line.
            arguments.Add(StandInConfigFile);
        }

        arguments.AddRange(["--port", port, "--bind", "127.0.0.1", "--dir", Directory, "--save", "", "--appendonly", appendOnly ? "yes" : "no",
            "--appenddirname", $"aof-{port}", "--appendfilename", $"aof-{port}.aof"]);
        if (Kind == RedisKind.Cluster)
        {
            arguments.AddRange(["--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(Directory, $"nodes-{port}.conf")]);
        }

        var start = new ProcessStartInfo("redis-server", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            node.Process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed. Run the README's test command (./build/test.sh), which installs it.", e);
        }

        node.AppendOnly = appendOnly;
        string log = Path.Combine(Directory, $"redis-{port}.log");
        node.Process.OutputDataReceived += (_, e) => AppendLine(log, e.Data);
        node.Process.ErrorDataReceived += (_, e) => AppendLine(log, e.Data);
        node.Process.BeginOutputReadLine();
        node.Process.BeginErrorReadLine();
    }

    private static void AppendLine(string path, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (LogLock)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    /// <summary>build/redis-6.0-standin.conf: the one list of the commands a 6.0 server lacks.</summary>
    private static string StandInConfigFile
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "build", "redis-6.0-standin.conf");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("build/redis-6.0-standin.conf was not found above the test assembly.");
        }
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        if (Kind != RedisKind.Cluster)
        {
            return;
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (Node node in _nodes)
        {
            while (!(await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"], cancellationToken)).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Redis Cluster node {node.Port} did not reach cluster_state:ok within 30 s.");
                }

                await Task.Delay(100, cancellationToken);
            }
        }

        // Every node must also know where every slot is before clients are let loose on it.
        await using ConnectionMultiplexer probe = await ConnectionMultiplexer.ConnectAsync(WithTimeouts(Endpoints));
        while (probe.GetServers().Any(s => !s.IsConnected))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("Redis Cluster nodes did not all accept connections within 30 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task WaitForPingAsync(int port, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if ((await RunCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "ping"], cancellationToken)).Contains("PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                // Not listening yet.
            }

            if (attempt >= 100)
            {
                throw new InvalidOperationException($"redis-server on port {port} did not answer PING within 10 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Runs redis-cli and returns its output; throws when it exits with an error.</summary>
    private static async Task<string> RunCliAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("redis-cli", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        Task<string> output = cli.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = cli.StandardError.ReadToEndAsync(cancellationToken);
        await cli.WaitForExitAsync(cancellationToken);
        string text = await output + await error;
        if (cli.ExitCode != 0 || text.StartsWith("Could not connect", StringComparison.Ordinal) || text.Contains("Connection refused", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed: {text}");
        }

        return text;
    }

    private sealed class Node(int port)
    {
        public int Port { get; } = port;

        public Process? Process { get; set; }

        public bool AppendOnly { get; set; }
    }
}
