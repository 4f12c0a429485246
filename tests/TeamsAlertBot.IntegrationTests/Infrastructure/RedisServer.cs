using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(TeamsAlertBot.IntegrationTests.Infrastructure.RedisServer))]

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// A real redis-server for the tests: the one named by TEST_REDIS (the README's test command starts
/// it), or else one this fixture starts on a free loopback port and stops by PID.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    /// <summary>host:port of the server.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>A connection string that keeps tests from hanging on a dead server.</summary>
    public string ConnectionString => $"{Endpoint},abortConnect=false,connectTimeout=2000,syncTimeout=3000,asyncTimeout=3000";

    public async ValueTask InitializeAsync()
    {
        string? given = Environment.GetEnvironmentVariable("TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(given))
        {
            Endpoint = given;
        }
        else
        {
            int port = FreePort();
            try
            {
                _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                });
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("redis-server is not installed. Run the README's test command (./build/test.sh), which installs it.", e);
            }

            Endpoint = $"127.0.0.1:{port}";
        }

        // Wait until it answers.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await using ConnectionMultiplexer probe = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (attempt < 40)
            {
                await Task.Delay(100);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => $"t{Guid.NewGuid():N}:";

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
