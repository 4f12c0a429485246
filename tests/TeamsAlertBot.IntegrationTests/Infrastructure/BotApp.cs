using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The bot under test, configured only through configuration — exactly the keys an operator sets —
/// to talk to the loopback fakes and a real redis-server.
/// </summary>
public sealed class BotApp(
    IReadOnlyDictionary<string, string?> settings,
    string environment = "Production",
    Action<IServiceCollection>? testServices = null,
    bool shippedLogLevels = false)
    : WebApplicationFactory<Program>
{
    public const string AppId = "3f1c2b7a-5d4e-4a8b-9c0d-1e2f3a4b5c6d";

    /// <summary>Settings of a fully authenticated bot (Production) against <paramref name="fakes"/>.</summary>
    public static Dictionary<string, string?> Authenticated(LoopbackFakes fakes, RedisServer redis, string? keyPrefix = null) =>
        Authenticated(fakes, redis.ConnectionString, keyPrefix);

    /// <summary>Settings of a fully authenticated bot (Production) against <paramref name="fakes"/> and the Redis at <paramref name="redisConnectionString"/>.</summary>
    public static Dictionary<string, string?> Authenticated(LoopbackFakes fakes, string redisConnectionString, string? keyPrefix = null) => new()
    {
        ["AzureAd:Instance"] = fakes.BaseUrl.ToString(),
        ["AzureAd:TenantId"] = LoopbackFakes.TenantId,
        ["AzureAd:ClientId"] = AppId,
        ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
        ["AzureAd:ClientCredentials:0:ClientSecret"] = "integration-test-secret",
        ["Bot:OpenIdMetadataUrl"] = fakes.OpenIdMetadataUrl,
        ["Bot:MetadataRefreshInterval"] = "00:00:01",
        ["Bot:AllowedServiceUrls:0"] = fakes.BaseUrl.GetLeftPart(UriPartial.Authority),
        ["Redis:ConnectionString"] = redisConnectionString,
        ["Redis:KeyPrefix"] = keyPrefix ?? RedisServer.UniquePrefix(),
        ["Triage:ActionSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        // The user of the test activities may triage, and so subscribe; tests of refusals replace index 0.
        ["Triage:Authorization:TriageUserObjectIds:0"] = TeamsActivities.AnalystObjectId,
        // Tests that exercise the alert pipeline turn it on and point Graph and Partner Center at the fakes.
        ["Alerts:Enabled"] = "false",
        // The daily summary and SLA reminders post on their own schedule; tests of them turn them on.
        ["Digest:Enabled"] = "false",
        ["Sla:Enabled"] = "false",
    };

    /// <summary>
    /// <see cref="Authenticated(LoopbackFakes, string, string?)"/> with the alert pipeline on against the fakes
    /// (Graph beta alerts, Graph v1.0 messages, Partner Center), quick timers, and the test user allowed
    /// to triage and mitigate (commands keep working when they need the triage role).
    /// </summary>
    public static Dictionary<string, string?> WithAlertPipeline(LoopbackFakes fakes, string redisConnectionString, string keyPrefix)
    {
        Dictionary<string, string?> settings = Authenticated(fakes, redisConnectionString, keyPrefix);
        settings["Alerts:Enabled"] = "true";
        settings["Graph:BaseUrl"] = fakes.GraphBaseUrl;
        settings["Graph:V1BaseUrl"] = fakes.GraphV1BaseUrl;
        settings["Triage:Authorization:GraphBaseUrl"] = fakes.GraphV1BaseUrl;
        settings["PartnerCenter:BaseUrl"] = fakes.PartnerCenterBaseUrl;
        settings["Triage:Authorization:TriageUserObjectIds:0"] = TeamsActivities.AnalystObjectId;
        settings["Triage:Authorization:MitigationUserObjectIds:0"] = TeamsActivities.AnalystObjectId;
        settings["Alerts:PollInterval"] = "00:00:00.200";
        settings["Alerts:DispatchIdleDelay"] = "00:00:00.050";
        settings["Alerts:LeaseDuration"] = "00:00:02";
        settings["Alerts:ReclaimAfter"] = "00:00:03";
        settings["Alerts:StormThreshold"] = "5";
        return settings;
    }

    /// <summary>A signed channel token for an activity to the bot, as the Bot Connector sends it.</summary>
    public static string ChannelAuthorization(LoopbackFakes fakes) =>
        "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(AppId, fakes.ServiceUrl), fakes.ChannelKey);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // UseSetting (not ConfigureAppConfiguration) so Program sees the values while it registers services.
        foreach ((string key, string? value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Every outgoing HTTP call of the bot passes the loopback guard: nothing leaves the machine. It is
        // the innermost handler, so it sees exactly the requests that would reach the network.
        builder.ConfigureServices(services => services.AddSingleton<IHttpMessageHandlerBuilderFilter, LoopbackOnlyFilter>());
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }

        if (shippedLogLevels)
        {
            // The levels of the app's own appsettings.json, as deployed.
            return;
        }

        // Quiet by default (the app's appsettings say Information); TEST_BOT_LOGLEVEL=Debug to see everything.
        string level = Environment.GetEnvironmentVariable("TEST_BOT_LOGLEVEL") ?? "Warning";
        builder.UseSetting("Logging:LogLevel:Default", level);
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", level);
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", level);
    }

    /// <summary>POSTs an activity to /api/messages with an optional Authorization header value.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity, string? authorization)
    {
        using HttpClient client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>Real-shaped Teams activities for the tests.</summary>
public static class TeamsActivities
{
    /// <summary>The partner tenant: the bot serves its own tenant (and the listed ones) only.</summary>
    public const string TenantId = LoopbackFakes.TenantId;

    /// <summary>Another tenant, whose activities the bot refuses unless it is listed.</summary>
    public const string OtherTenantId = "99999999-0000-4000-8000-000000000099";
    public const string TeamId = "19:9f8e7d6c5b4a39281706f5e4d3c2b1a0@thread.tacv2";
    public const string ChannelId = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2";
    public const string GroupChatId = "19:meeting_7c3e9a1b2d4f@thread.v2";

    /// <summary>The English confirmation of a new subscription, with alerts posted or not yet set up.</summary>
    public static readonly System.Text.RegularExpressions.Regex SubscribedReply =
        new("^(Subscribed: |.+ is subscribed, but this deployment does not post alerts yet)", System.Text.RegularExpressions.RegexOptions.Singleline);

    /// <summary>The Entra object id of the user the activities come from (Aiko Analyst).</summary>
    public const string AnalystObjectId = "6f0e5a9c-1d2b-4c3d-8e9f-0a1b2c3d4e5f";

    /// <summary>A second channel of the same team.</summary>
    public const string SecondChannelId = "19:5e6f708192a3b4c5d6e7f8091a2b3c4d@thread.tacv2";

    /// <summary>The team's Microsoft 365 group (the team id Graph uses).</summary>
    public const string TeamAadGroupId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

    /// <summary>A channel message that @mentions the bot.</summary>
    public static JsonObject ChannelMessage(string serviceUrl, string text, string? locale = "en-US", string tenantId = TenantId, string channelId = ChannelId) => new()
    {
        ["type"] = "message",
        ["id"] = "1732791234567",
        ["timestamp"] = "2026-11-28T10:00:00.123Z",
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:1aBcDeFgHiJkLmNoPqRsTuVwXyZ", ["name"] = "Aiko Analyst", ["aadObjectId"] = AnalystObjectId },
        ["conversation"] = new JsonObject
        {
            ["isGroup"] = true,
            ["conversationType"] = "channel",
            ["tenantId"] = tenantId,
            ["id"] = $"{channelId};messageid=1732791234567",
        },
        ["recipient"] = new JsonObject { ["id"] = $"28:{BotApp.AppId}", ["name"] = "TeamsAlertBot" },
        ["textFormat"] = "plain",
        ["text"] = $"<at>TeamsAlertBot</at> {text}",
        ["locale"] = locale,
        ["entities"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "mention",
                ["mentioned"] = new JsonObject { ["id"] = $"28:{BotApp.AppId}", ["name"] = "TeamsAlertBot" },
                ["text"] = "<at>TeamsAlertBot</at>",
            }),
        ["channelData"] = new JsonObject
        {
            ["teamsChannelId"] = channelId,
            ["teamsTeamId"] = TeamId,
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = "Security alerts" },
            ["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "SOC", ["aadGroupId"] = TeamAadGroupId },
            ["tenant"] = new JsonObject { ["id"] = tenantId },
        },
    };

    /// <summary>
    /// A message to the bot in a group chat (<c>groupChat</c>, the bot @mentioned) or in its personal
    /// chat (<c>personal</c>): no team, no channel.
    /// </summary>
    public static JsonObject ChatMessage(string serviceUrl, string text, string conversationType)
    {
        JsonObject activity = ChannelMessage(serviceUrl, text);
        bool personal = conversationType == "personal";
        activity["conversation"] = new JsonObject
        {
            ["isGroup"] = !personal,
            ["conversationType"] = conversationType,
            ["tenantId"] = TenantId,
            ["id"] = personal ? "a:1Zx8Cv7Bn6Mq5Wr4Et3Yu2Ip1As0Df9Gh8Jk7Lz6Xc5Vb4Nm3Qa2Ws1Ed0Rf9Tg8" : GroupChatId,
        };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        return activity;
    }

    /// <summary>A click on an Action.Execute button of a card in the channel thread.</summary>
    public static JsonObject CardAction(string serviceUrl, string verb, JsonObject data)
    {
        JsonObject activity = ChannelMessage(serviceUrl, string.Empty);
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity.Remove("text");
        activity.Remove("entities");
        activity["replyToId"] = "1732791239999";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The installationUpdate Teams sends when the bot is added to a team.</summary>
    public static JsonObject Installation(string serviceUrl, string action = "add") => new()
    {
        ["type"] = "installationUpdate",
        ["id"] = "f:7c1e5d2a-3b4c-4d5e-8f90-a1b2c3d4e5f6",
        ["timestamp"] = "2026-11-28T09:59:00.000Z",
        ["action"] = action,
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:1aBcDeFgHiJkLmNoPqRsTuVwXyZ", ["aadObjectId"] = AnalystObjectId },
        ["conversation"] = new JsonObject { ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = TenantId, ["id"] = ChannelId },
        ["recipient"] = new JsonObject { ["id"] = $"28:{BotApp.AppId}", ["name"] = "TeamsAlertBot" },
        ["locale"] = "en-US",
        ["channelData"] = new JsonObject
        {
            ["settings"] = new JsonObject { ["selectedChannel"] = new JsonObject { ["id"] = ChannelId } },
            ["channel"] = new JsonObject { ["id"] = ChannelId },
            ["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "SOC", ["aadGroupId"] = TeamAadGroupId },
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["source"] = new JsonObject { ["name"] = "message" },
        },
    };
}
