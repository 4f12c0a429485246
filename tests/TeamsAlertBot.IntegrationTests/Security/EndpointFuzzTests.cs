using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Security;

/// <summary>Runs alone: the memory check must not see other tests' allocations.</summary>
[CollectionDefinition(nameof(FuzzRunsAlone), DisableParallelization = true)]
public sealed class FuzzRunsAlone;

/// <summary>
/// Throws mutated activities (with valid channel tokens), card-action payloads and webhook deliveries
/// at the whole bot — alert pipeline on, Redis, the loopback fakes — and checks that it never answers
/// 5xx, never fails a turn with an exception nothing handled, and does not grow in memory.
/// </summary>
/// <remarks>
/// The cases come from CsCheck's generator on a fixed seed, so a run is repeatable and a failure names
/// the case. The default run is bounded (a few hundred cases); <c>TEAMSALERTBOT_FUZZ=long</c> runs
/// 5,000 activities and 1,000 deliveries, and <c>TEAMSALERTBOT_FUZZ_SEED</c> picks another seed.
/// </remarks>
[Collection(nameof(FuzzRunsAlone))]
public sealed class EndpointFuzzTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly bool Long = Environment.GetEnvironmentVariable("TEAMSALERTBOT_FUZZ") == "long";
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("TEAMSALERTBOT_FUZZ_SEED"), out ulong seed) ? seed : 20261205;

    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;
    private readonly ErrorLog _errors = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        _fakes.Customers["6a1d2c3b-0000-4000-8000-00000000b001"] = "Contoso Ltd";
        _fakes.AddAlert("fuzz-alert-1", "6a1d2c3b-0000-4000-8000-00000000b001", detected: DateTimeOffset.UtcNow.AddDays(-3));
        Dictionary<string, string?> settings = BotApp.Authenticated(_fakes, redis);
        settings["Alerts:Enabled"] = "true";
        settings["Alerts:PollInterval"] = "01:00:00";
        settings["Graph:BaseUrl"] = _fakes.GraphBaseUrl;
        settings["PartnerCenter:BaseUrl"] = _fakes.PartnerCenterBaseUrl;
        settings["PartnerCenter:MaxRetryAttempts"] = "1";
        settings["PartnerCenter:RetryDelay"] = "00:00:00";
        settings["PartnerCenter:Webhook:CertificateHosts:0"] = _fakes.BaseUrl.Authority;
        settings["PartnerCenter:Webhook:RequiredIssuerOrganization"] = TestCertificateAuthority.IssuerOrganization;
        settings["PartnerCenter:Webhook:RevocationMode"] = "NoCheck";
        settings["TeamsAlertBot:AllowAlertsInChats"] = "true";
        _bot = new BotApp(settings, testServices: services => services.AddSingleton<ILoggerProvider>(_errors));
        _ = _bot.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task MutatedActivitiesAndDeliveries_NeverA5xxNorAnUnhandledFailure_MemoryFlat()
    {
        int activities = Long ? 5_000 : 400;
        int deliveries = Long ? 1_000 : 100;
        var pcg = new PCG(1, Seed);
        using HttpClient client = _bot.CreateClient();

        // Warm up (JIT, caches, the first Graph list, Redis connections), then measure from there.
        await RunAsync(client, pcg, activities / 10, deliveries / 10);
        long before = SettledMemory();
        await RunAsync(client, pcg, activities, deliveries);
        long after = SettledMemory();

        Assert.True(_errors.Count == 0, $"Unhandled failures (seed {Seed}): {string.Join(Environment.NewLine, _errors.Samples)}");
        // A leak would grow with the number of cases; this bound holds for the long run too.
        Assert.True(after - before < 48 * 1024 * 1024, $"Memory grew by {(after - before) / 1024 / 1024} MB over {activities} activities and {deliveries} deliveries.");
    }

    private async Task RunAsync(HttpClient client, PCG pcg, int activities, int deliveries)
    {
        for (int i = 0; i < activities; i++)
        {
            ulong caseSeed = pcg.Seed;
            JsonObject activity = FuzzCases.Activity(_fakes.ServiceUrl).Generate(pcg, null, out _);
            string body = FuzzCases.Serialize(activity, pcg);
            string serviceUrl = activity["serviceUrl"] is JsonValue v && v.TryGetValue(out string? url) ? url : _fakes.ServiceUrl;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ChannelTokens.Sign(ChannelTokens.Claims(BotApp.AppId, serviceUrl), _fakes.ChannelKey));
            using HttpResponseMessage response = await client.SendAsync(request, Ct);
            AssertNotAServerError(response, activity, $"activity case {i} (seed {caseSeed})", body);
            Forget();
        }

        for (int i = 0; i < deliveries; i++)
        {
            ulong caseSeed = pcg.Seed;
            using HttpRequestMessage request = FuzzCases.Delivery(_fakes).Generate(pcg, null, out _);
            using HttpResponseMessage response = await client.SendAsync(request, Ct);
            Assert.True((int)response.StatusCode < 500, $"delivery case {i} (seed {caseSeed}) answered {(int)response.StatusCode}");
            Forget();
        }
    }

    /// <summary>
    /// 501 is the protocol's answer to an invoke the bot does not handle (Bot Framework SDK likewise);
    /// anything else at 5xx is a failure.
    /// </summary>
    private static void AssertNotAServerError(HttpResponseMessage response, JsonObject activity, string name, string body)
    {
        int status = (int)response.StatusCode;
        bool unhandledInvoke = status == 501 && (string?)(activity["type"] as JsonValue) == "invoke";
        Assert.True(status < 500 || unhandledInvoke, $"{name} answered {status}: {Clip(body)}");
    }

    // The fakes record what they are sent; the measurement is about the bot, not them.
    private void Forget()
    {
        _fakes.ConnectorRequests.Clear();
        _fakes.GraphRequests.Clear();
        _fakes.PartnerCenterRequests.Clear();
        _fakes.TokenRequests.Clear();
        _fakes.UnknownRequests.Clear();
        _fakes.ForeignRequests.Clear();
    }

    private static long SettledMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Clip(string text) => text.Length <= 2000 ? text : text[..2000] + "…";

    /// <summary>
    /// Records what the bot logs at Error or above with an exception: each is a failure nothing handled
    /// — except a reply the connector refused (event 1006): a mutated conversation or activity id the
    /// connector answers 400 or 414 for is the connector's to refuse, and the bot logs it and goes on.
    /// </summary>
    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        private const int ReplyRefusedByTheConnector = 1006;

        private readonly ConcurrentQueue<string> _samples = new();
        private int _count;

        public int Count => _count;

        public IEnumerable<string> Samples => _samples;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error || exception is null || eventId.Id == ReplyRefusedByTheConnector)
            {
                return;
            }

            if (Interlocked.Increment(ref _count) <= 20)
            {
                _samples.Enqueue($"[{eventId.Id}] {formatter(state, exception)}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>The generators of the fuzz cases: real-shaped requests, then mutated.</summary>
internal static class FuzzCases
{
    private static readonly string[] Words =
    [
        "", " ", "help", "subscribe", "unsubscribe", "status", "summary", "webhook", "webhook register", "profile",
        "customer Contoso", "customer 6a1d2c3b-0000-4000-8000-00000000b001", "subscription 9e8d7c6b-0000-4000-8000-00000000a001",
        "reseller x", "alert fuzz-alert-1", "alerts all page 99999", "alerts customer x type y older than 24h", "購読", "購読解除", "ヘルプ", "状態",
        "\uFFFE", "\uFFFF", "\U0001F600", "a\u0000b", "[x](https://evil.example/pay)", "<at>CEO</at>", "&lt;at&gt;x&lt;/at&gt;",
        "**bold** _it_", "# heading", "1. list", "\r\n\r\n", "ｓｕｂｓｃｒｉｂｅ", "alert.triage", "alerts.backfill.page",
    ];

    private static readonly string[] Verbs =
        ["alert.triage", "alert.refresh", "alert.mitigate", "alerts.backfill.page", "query.run", "", "unknown.verb"];

    private static readonly string[] Types =
        ["message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "event", "typing", "endOfConversation", ""];

    /// <summary>A string worth trying: a command, markup, odd Unicode, a long one, or random text.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf(Words)),
        (2, Gen.String),
        (1, Gen.Int[1, 300_000].Select(n => new string('a', n))));

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (2, Gen.Const(() => (JsonNode?)null)),
        (3, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
        (2, Gen.Int.Select(n => (JsonNode?)JsonValue.Create(n))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const(() => (JsonNode?)new JsonObject())),
        (1, Gen.Const(() => (JsonNode?)new JsonArray(null, JsonValue.Create("x")))));

    /// <summary>One real-shaped activity, then up to six mutations.</summary>
    public static Gen<JsonObject> Activity(string serviceUrl) =>
        Gen.Int[0, 8].SelectMany(kind => Gen.Int[0, 6].SelectMany(mutations =>
            Gen.Int[0, int.MaxValue].Array[mutations * 3].SelectMany(choices =>
                Text.Array[mutations].SelectMany(texts =>
                    Scalar.Array[mutations].Select(values => Mutate(Seed(kind, serviceUrl, texts.Length > 0 ? texts[0] : "help"), choices, texts, values))))));

    /// <summary>The activity as JSON; now and then cut short or followed by junk, as a broken sender would.</summary>
    public static string Serialize(JsonObject activity, PCG pcg)
    {
        string json = activity.ToJsonString();
        return pcg.Next(20) switch
        {
            0 => json[..(int)pcg.Next((uint)json.Length)],
            1 => json + "}",
            _ => json,
        };
    }

    /// <summary>A Partner Center webhook delivery: genuine, forged, or malformed in headers or body.</summary>
    public static Gen<HttpRequestMessage> Delivery(LoopbackFakes fakes) =>
        Gen.Int[0, 5].SelectMany(bodyKind => Gen.Int[0, 4].SelectMany(signatureKind => Gen.Int[0, 5].SelectMany(urlKind =>
            Gen.Int[0, 3].SelectMany(algorithmKind => Gen.Guid.SelectMany(id => Text.Select(text =>
            {
                byte[] body = bodyKind switch
                {
                    0 => Encoding.UTF8.GetBytes($$"""{"EventName":"azure-fraud-event-detected","ResourceUri":"https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId={{id}}&EventStatus=Active","ResourceChangeUtcDate":"2026-11-28T10:00:00Z"}"""),
                    1 => Encoding.UTF8.GetBytes($$"""{"EventName":{{new JsonArray(JsonValue.Create(text)).ToJsonString()[1..^1]}},"ResourceUri":null}"""),
                    2 => Encoding.UTF8.GetBytes(text),
                    3 => [],
                    4 => new byte[70_000],
                    _ => Encoding.UTF8.GetBytes("""{"EventName":"test-created"}"""),
                };
                string? signature = signatureKind switch
                {
                    0 or 1 => "Signature " + LoopbackFakes.SignWebhook(body),
                    2 => "Signature " + Convert.ToBase64String(new byte[256]),
                    3 => "Bearer x",
                    _ => null,
                };
                string? url = urlKind switch
                {
                    0 or 1 => fakes.WebhookCertificateUrl,
                    2 => fakes.WebhookCertificateUrl + "?sv=" + id,
                    3 => new Uri(fakes.BaseUrl, $"cert/{id:N}.cer").ToString(),
                    4 => new Uri(fakes.ForeignBaseUrl, "cert/x.cer").ToString(),
                    _ => text,
                };
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/partnercenter/webhook") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (signature is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", signature);
                }

                if (url is not null)
                {
                    request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", url);
                }

                if (algorithmKind < 3)
                {
                    request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", algorithmKind == 2 ? text : "rsa-sha256");
                }

                return request;
            }))))));

    private static JsonObject Seed(int kind, string serviceUrl, string text)
    {
        switch (kind)
        {
            case 0:
                return TeamsActivities.ChannelMessage(serviceUrl, text);
            case 1:
                return TeamsActivities.ChatMessage(serviceUrl, text, "groupChat");
            case 2:
                return TeamsActivities.ChatMessage(serviceUrl, text, "personal");
            case 3:
                return TeamsActivities.Installation(serviceUrl, text.Length % 2 == 0 ? "add" : "remove");
            case 4:
                JsonObject update = TeamsActivities.Installation(serviceUrl);
                update["type"] = "conversationUpdate";
                update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = $"28:{BotApp.AppId}" });
                update["channelData"]!["eventType"] = "teamMemberAdded";
                return update;
            case 5:
                JsonObject submit = TeamsActivities.ChannelMessage(serviceUrl, string.Empty);
                submit.Remove("text");
                submit["value"] = new JsonObject { ["verb"] = Verbs[text.Length % Verbs.Length], ["page"] = 1, ["comment"] = text };
                return submit;
            default:
                return TeamsActivities.CardAction(serviceUrl, Verbs[text.Length % Verbs.Length], new JsonObject
                {
                    ["alertId"] = "fuzz-alert-1",
                    ["verdict"] = "Legitimate",
                    ["version"] = 1,
                    ["signature"] = "AAAA",
                    ["page"] = 1,
                    ["command"] = "customer",
                    ["arguments"] = text,
                    ["comment"] = text,
                });
        }
    }

    /// <summary>Applies the mutations: each picks a place in the tree and removes it, replaces it, or sets a field that matters.</summary>
    private static JsonObject Mutate(JsonObject activity, int[] choices, string[] texts, JsonNode?[] values)
    {
        for (int m = 0; m < texts.Length; m++)
        {
            int what = choices[m * 3] % 8;
            int where = choices[(m * 3) + 1];
            List<(JsonNode Parent, string? Key, int Index)> places = Places(activity);
            (JsonNode parent, string? key, int index) = places[where % places.Count];
            switch (what)
            {
                case 0:
                    Remove(parent, key, index);
                    break;
                case 1:
                case 2:
                    Set(parent, key, index, values[m]?.DeepClone());
                    break;
                case 3:
                    Set(parent, key, index, JsonValue.Create(texts[m]));
                    break;
                case 4:
                    activity["type"] = Types[choices[(m * 3) + 2] % Types.Length];
                    break;
                case 5:
                    activity["name"] = choices[(m * 3) + 2] % 3 == 0 ? texts[m] : "adaptiveCard/action";
                    break;
                case 6:
                    activity["from"] = new JsonObject { ["id"] = texts[m], ["aadObjectId"] = choices[(m * 3) + 2] % 2 == 0 ? TeamsActivities.AnalystObjectId : texts[m] };
                    break;
                default:
                    if (parent is JsonArray array)
                    {
                        array.Add(null);
                    }
                    else
                    {
                        activity["entities"] = new JsonArray(null, new JsonObject { ["type"] = "mention", ["text"] = texts[m] });
                    }

                    break;
            }
        }

        return activity;
    }

    private static List<(JsonNode Parent, string? Key, int Index)> Places(JsonNode node)
    {
        List<(JsonNode, string?, int)> places = [];
        void Walk(JsonNode current)
        {
            if (current is JsonObject o)
            {
                foreach ((string key, JsonNode? child) in o.ToList())
                {
                    places.Add((o, key, -1));
                    if (child is not null)
                    {
                        Walk(child);
                    }
                }
            }
            else if (current is JsonArray a)
            {
                for (int i = 0; i < a.Count; i++)
                {
                    places.Add((a, null, i));
                    if (a[i] is { } child)
                    {
                        Walk(child);
                    }
                }
            }
        }

        Walk(node);
        return places.Count > 0 ? places : [(node, "type", -1)];
    }

    private static void Remove(JsonNode parent, string? key, int index)
    {
        if (parent is JsonObject o && key is not null)
        {
            o.Remove(key);
        }
        else if (parent is JsonArray a && index < a.Count)
        {
            a.RemoveAt(index);
        }
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o && key is not null)
        {
            o[key] = value;
        }
        else if (parent is JsonArray a && index < a.Count)
        {
            a[index] = value;
        }
    }
}
