using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.State;

/// <summary>Settings of the state store (<c>Redis</c> section).</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis connection string; empty = the in-memory store.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key, so several bots can share one Redis.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_\-:.]{1,64}$")]
    public string KeyPrefix { get; set; } = "tab:";
}

/// <summary>Registers the conversation store.</summary>
public static class StateServiceCollectionExtensions
{
    /// <summary>Redis when <c>Redis:ConnectionString</c> is set, otherwise the in-memory store.</summary>
    public static IHostApplicationBuilder AddStateStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RedisOptions>()
            .BindSettings(RedisOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        string? connectionString = builder.Configuration[$"{RedisOptions.SectionName}:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddSingleton<IConversationStore, InMemoryConversationStore>();
            builder.Services.AddDistributedMemoryCache();
        }
        else
        {
            builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
            {
                ConfigurationOptions options = ConfigurationOptions.Parse(connectionString);
                // Start even while Redis is briefly away; commands fail until it is back.
                options.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(options);
            });
            builder.Services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
            builder.Services.AddSingleton<IConversationStore, RedisConversationStore>();
            builder.Services.AddSingleton<Webhooks.IWebhookDeduplicator, RedisWebhookDeduplicator>();

            // Caches (Partner Center enrichment) share the one multiplexer and the key prefix.
            builder.Services.AddStackExchangeRedisCache(_ => { });
            builder.Services.AddOptions<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions>()
                .Configure<IServiceProvider>((cache, sp) =>
                {
                    IConnectionMultiplexer multiplexer = sp.GetRequiredService<IConnectionMultiplexer>();
                    cache.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
                    cache.InstanceName = sp.GetRequiredService<RedisKeys>().CacheInstanceName;
                });

            // One Data Protection key ring for every instance (it encrypts the delegated token cache).
            builder.Services.AddDataProtection().SetApplicationName("TeamsAlertBot");
            builder.Services.AddOptions<KeyManagementOptions>()
                .Configure<IConnectionMultiplexer, RedisKeys>((options, redis, keys) =>
                    options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), keys.DataProtectionKeys));
        }

        // Its health check (Redis) is registered with the others: Diagnostics/HealthServiceCollectionExtensions.
        return builder;
    }
}

/// <summary>Webhook de-duplication shared by every instance (a key per delivery, set once, with expiry).</summary>
internal sealed class RedisWebhookDeduplicator(IConnectionMultiplexer redis, RedisKeys keys) : Webhooks.IWebhookDeduplicator
{
    public Task<bool> TryClaimAsync(string deliveryId, TimeSpan window, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.WebhookDelivery(deliveryId), 1, window, When.NotExists);

    public Task ReleaseAsync(string deliveryId, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.WebhookDelivery(deliveryId));
}
