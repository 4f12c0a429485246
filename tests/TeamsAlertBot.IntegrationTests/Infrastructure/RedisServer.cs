using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(TeamsAlertBot.IntegrationTests.Infrastructure.RedisServer))]

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The Redis the tests share, of the topology this run is about (<see cref="RedisTopology.KindUnderTest"/>,
/// TEST_REDIS_TOPOLOGY): the server the README's test command started for it (TEST_REDIS, TEST_REDIS_60,
/// TEST_REDIS_CLUSTER), or else servers this fixture starts itself and stops by PID.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private RedisTopology? _own;

    /// <summary>The topology of this run.</summary>
    public RedisKind Kind { get; } = RedisTopology.KindUnderTest;

    /// <summary>host:port of the server (a cluster: its nodes, comma-separated).</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>A connection string that keeps tests from hanging on a dead server.</summary>
    public string ConnectionString => RedisTopology.WithTimeouts(Endpoint);

    public async ValueTask InitializeAsync()
    {
        string variable = Kind switch
        {
            RedisKind.Redis60 => "TEST_REDIS_60",
            RedisKind.Cluster => "TEST_REDIS_CLUSTER",
            _ => "TEST_REDIS",
        };
        string? given = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(given))
        {
            _own = await RedisTopology.StartAsync(Kind, appendOnly: false);
            given = _own.Endpoints;
        }

        Endpoint = given;

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

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
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
