using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.Triage;

namespace TeamsAlertBot.Bench;

/// <summary>One click as sent: which button, by whom, and the activity, serialized before the clock starts.</summary>
internal sealed record Click(int Index, TriageVerdict Button, bool Allowed, byte[] Body);

/// <summary>One click's answer: the HTTP round trip from send to the invoke answer's last byte, and what the answer was.</summary>
internal sealed record ClickSample(int Index, TriageVerdict Button, TimeSpan Elapsed, string Answer, long SentAt, long AnsweredAt);

/// <summary>One round: refused clicks, then concurrent allowed clicks, on a new alert's card, with what was checked.</summary>
internal sealed record TriageRound(
    int Round,
    bool Measured,
    string AlertId,
    IReadOnlyList<ClickSample> Refused,
    IReadOnlyList<ClickSample> Clicks,
    int? WinnerIndex,
    TriageVerdict? Verdict,
    int Patches,
    int GraphReads,
    TimeSpan AllAnswered,
    TimeSpan EveryoneEdited,
    int UpdatingAfterEdit);

/// <summary>One click while the fake Graph's PATCH is slow.</summary>
internal sealed record SlowGraphRound(int Round, bool Measured, TriageVerdict Button, TimeSpan Answered, string Answer, TimeSpan EveryoneEdited, int Patches);

/// <summary>Everything the click → answer measurement found, and every check that failed.</summary>
internal sealed record TriageResult(
    IReadOnlyList<TriageRound> Rounds,
    IReadOnlyList<SlowGraphRound> SlowRounds,
    IReadOnlyList<string> Problems,
    TimeSpan AnswerBudget,
    TimeSpan InvokeAnswerBudget,
    TimeSpan SlowGraphDelay,
    TimeSpan WallTime,
    double? OutsideCpuShare,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Runtime)
{
    public IEnumerable<TriageRound> Measured => Rounds.Where(r => r.Measured);

    public IEnumerable<SlowGraphRound> SlowMeasured => SlowRounds.Where(r => r.Measured);
}

/// <summary>
/// click → answer: triage button clicks, driven as Teams drives them — a signed <c>adaptiveCard/action</c>
/// invoke (verb <c>alert.triage</c>) POSTed to <c>/api/messages</c> with a channel token, the button's
/// signed data read from the card the bot posted — timed from send to the invoke answer.
/// </summary>
internal static class TriageMeasurements
{
    private const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";
    private const string MessageType = "application/vnd.microsoft.activity.message";
    private const string ActorPrefix = "Bench Analyst ";

    /// <summary>The buttons clicked, in turn (Fraud asks for a confirmation first, so it is left out).</summary>
    private static readonly TriageVerdict[] Buttons = [TriageVerdict.Legitimate, TriageVerdict.Ignore, TriageVerdict.Investigating];

    public static async Task<TriageResult> RunAsync(PipelineHarness harness, BenchSettings settings)
    {
        var problems = new List<string>();
        long started = Stopwatch.GetTimestamp();
        string loadBefore = MachineLoad.LoadAverage();
        MachineLoad load = MachineLoad.Now();
        RuntimeCounters runtime = RuntimeCounters.Now();
        // One token for the whole run (valid for an hour), signed before any clock runs.
        string authorization = harness.ChannelAuthorization();

        var rounds = new List<TriageRound>();
        int total = settings.TriageRounds == 0 ? 0 : settings.TriageWarmup + settings.TriageRounds;
        for (int r = 0; r < total; r++)
        {
            rounds.Add(await ClickRoundAsync(harness, settings, authorization, r, measured: r >= settings.TriageWarmup, problems));
            // Idle time after every round, as a bot between bursts of clicks has: on two saturated cores
            // the JIT's background tier-up gets no CPU, and without it the clicks measured twice as slow.
            await Task.Delay(settings.TriagePause);
            if ((r + 1) % 5 == 0 || r + 1 == total)
            {
                Console.Error.WriteLine($"  click round {r + 1}/{total}{(r < settings.TriageWarmup ? " (warm-up)" : string.Empty)}");
            }
        }

        var slow = new List<SlowGraphRound>();
        int slowTotal = settings.SlowGraphRounds == 0 ? 0 : settings.SlowGraphRounds + 1;
        for (int r = 0; r < slowTotal; r++)
        {
            slow.Add(await SlowGraphRoundAsync(harness, settings, authorization, r, measured: r > 0, problems));
            Console.Error.WriteLine($"  slow-Graph click {r + 1}/{slowTotal}{(r == 0 ? " (warm-up)" : string.Empty)}");
        }

        return new TriageResult(
            rounds,
            slow,
            problems,
            harness.Service<Microsoft.Extensions.Options.IOptions<TriageOptions>>().Value.AnswerBudget,
            harness.Service<Microsoft.Extensions.Options.IOptions<BotFramework.BotFrameworkOptions>>().Value.InvokeAnswerBudget,
            settings.SlowGraphDelay,
            Stopwatch.GetElapsedTime(started),
            MachineLoad.Now().OutsideShareSince(load),
            loadBefore,
            MachineLoad.LoadAverage(),
            RuntimeCounters.Now().Since(runtime));
    }

    /// <summary>
    /// One round on a new alert's card: <see cref="BenchSettings.Clicks"/> concurrent clicks by a user
    /// who may not triage (each must be refused, and nothing written), then as many concurrent clicks
    /// by an analyst who may, all on the card's first version (exactly one may win).
    /// </summary>
    private static async Task<TriageRound> ClickRoundAsync(
        PipelineHarness harness, BenchSettings settings, string authorization, int round, bool measured, List<string> problems)
    {
        PostedCard card = await harness.PostAlertCardAsync(BenchAlerts.Triage(round));
        string alertId = card.AlertId;
        Dictionary<TriageVerdict, JsonObject> buttons = ButtonsOf(card);
        ITriageLedger triage = harness.Service<ITriageLedger>();
        string where = $"round {round} ({alertId})";

        // Refused clicks: answered "not allowed", and nothing written anywhere.
        Click[] refused = [.. Enumerable.Range(0, settings.Clicks).Select(k => NewClick(card, buttons, k, allowed: false))];
        int connectorBefore = harness.Fakes.ConnectorRequests.Count;
        int graphBefore = harness.Fakes.GraphRequests.Count;
        ClickSample[] refusals = await FireAsync(harness, refused, authorization, settings.Timeout);
        Expect(problems, refusals.All(c => c.Answer == Answers.NotAllowed), $"{where}: refused clicks answered {Summary(refusals)}");
        Expect(problems, harness.Fakes.GraphRequests.Count == graphBefore, $"{where}: refused clicks made {harness.Fakes.GraphRequests.Count - graphBefore} Graph requests");
        Expect(problems, harness.Fakes.ConnectorRequests.Count == connectorBefore, $"{where}: refused clicks made {harness.Fakes.ConnectorRequests.Count - connectorBefore} connector requests");
        TriageRecord untouched = await triage.GetAsync(alertId);
        Expect(problems, untouched == TriageRecord.Initial, $"{where}: refused clicks left a triage record (version {untouched.Version}, {untouched.State})");
        Expect(problems, (await triage.ReadAuditAsync(alertId)).Count == 0, $"{where}: refused clicks left an audit entry");

        // Allowed clicks: exactly one wins; everyone's card is edited once, the thread told once.
        Click[] clicks = [.. Enumerable.Range(0, settings.Clicks).Select(k => NewClick(card, buttons, k, allowed: true))];
        Task<long> edited = harness.Watch.Expect("PUT", alertId);
        long repliesBefore = harness.Watch.ThreadReplies;
        int graphReadsBefore = GraphReads(harness, alertId);
        ClickSample[] answers = await FireAsync(harness, clicks, authorization, settings.Timeout);
        long firstSent = answers.Min(a => a.SentAt);
        long lastAnswered = answers.Max(a => a.AnsweredAt);
        long editedAt = await harness.ArrivalAsync(edited, "PUT", alertId);
        await WaitForAsync(() => harness.Watch.ThreadReplies > repliesBefore, settings.Timeout, $"{where}: no thread reply recorded the decision");

        int patches = Patches(harness, alertId);
        Expect(problems, patches == 1, $"{where}: {patches} Graph PATCHes (expected exactly 1)");
        Expect(problems, harness.Watch.ThreadReplies == repliesBefore + 1, $"{where}: {harness.Watch.ThreadReplies - repliesBefore} thread replies (expected 1)");
        TriageRecord record = await triage.GetAsync(alertId);
        int? winner = record.ActorName is { } name && name.StartsWith(ActorPrefix, StringComparison.Ordinal)
            ? int.Parse(name[ActorPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
        Expect(problems, record.Version == 2 && record.State == TriageState.Applied, $"{where}: record at version {record.Version}, {record.State} (expected 2, Applied)");
        Expect(problems, winner is { } w && clicks[w].Button == record.Verdict, $"{where}: the record ({record.Verdict} by {record.ActorName}) is not one of the clicks");
        IReadOnlyList<AuditEntry> audit = await triage.ReadAuditAsync(alertId);
        Expect(problems, audit.Count == 1 && audit[0].Outcome == "applied", $"{where}: {audit.Count} audit entries ({string.Join(", ", audit.Select(a => a.Outcome))}; expected 1 applied)");
        Expect(problems, answers.All(a => a.Answer is Answers.DecidedCard or Answers.UpdatingCard), $"{where}: allowed clicks answered {Summary(answers)}");
        int graphReads = GraphReads(harness, alertId) - graphReadsBefore;

        await harness.RetireTriagedAsync(card);
        return new TriageRound(
            round, measured, alertId, refusals, answers, winner, record.Verdict, patches, graphReads,
            Stopwatch.GetElapsedTime(firstSent, lastAnswered), Stopwatch.GetElapsedTime(firstSent, editedAt),
            answers.Count(a => a.Answer == Answers.UpdatingCard && a.AnsweredAt > editedAt));
    }

    /// <summary>
    /// One click while the fake Graph holds the PATCH for <see cref="BenchSettings.SlowGraphDelay"/>:
    /// the click must still be answered within Triage:AnswerBudget (with an "updating…" card), and
    /// the decision must still reach Graph once and everyone's card afterwards.
    /// </summary>
    private static async Task<SlowGraphRound> SlowGraphRoundAsync(
        PipelineHarness harness, BenchSettings settings, string authorization, int round, bool measured, List<string> problems)
    {
        PostedCard card = await harness.PostAlertCardAsync(BenchAlerts.SlowGraph(round));
        string alertId = card.AlertId;
        string where = $"slow-Graph round {round} ({alertId})";
        Click click = NewClick(card, ButtonsOf(card), round, allowed: true);
        TimeSpan delay = settings.SlowGraphDelay;
        harness.Fakes.GraphPatchOverride = async _ =>
        {
            await Task.Delay(delay);
            return null;
        };
        try
        {
            Task<long> edited = harness.Watch.Expect("PUT", alertId);
            long repliesBefore = harness.Watch.ThreadReplies;
            ClickSample answer = (await FireAsync(harness, [click], authorization, settings.Timeout))[0];
            long editedAt;
            try
            {
                editedAt = await edited.WaitAsync(delay + settings.Timeout);
            }
            catch (TimeoutException e)
            {
                harness.Watch.Forget("PUT", alertId);
                throw new TimeoutException($"{where}: the card was not edited within {(delay + settings.Timeout).TotalSeconds:0.#} s of the click.", e);
            }

            await WaitForAsync(() => harness.Watch.ThreadReplies > repliesBefore, settings.Timeout, $"{where}: no thread reply recorded the decision");
            int patches = Patches(harness, alertId);
            TriageRecord record = await harness.Service<ITriageLedger>().GetAsync(alertId);
            Expect(problems, answer.Answer == Answers.UpdatingCard, $"{where}: answered {answer.Answer} (expected the updating… card)");
            Expect(problems, patches == 1, $"{where}: {patches} Graph PATCHes (expected exactly 1)");
            Expect(problems, record.Version == 2 && record.State == TriageState.Applied && record.Verdict == click.Button, $"{where}: record {record.Verdict} at version {record.Version}, {record.State}");
            await harness.RetireTriagedAsync(card);
            return new SlowGraphRound(round, measured, click.Button, answer.Elapsed, answer.Answer, Stopwatch.GetElapsedTime(answer.SentAt, editedAt), patches);
        }
        finally
        {
            harness.Fakes.GraphPatchOverride = null;
        }
    }

    /// <summary>
    /// Sends every click at once: each waits on one gate on its own thread-pool work item, stamps its
    /// start just before its send, and its end when the answer's body has been read.
    /// </summary>
    private static async Task<ClickSample[]> FireAsync(PipelineHarness harness, IReadOnlyList<Click> clicks, string authorization, TimeSpan timeout)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<ClickSample>[] sent = [.. clicks.Select(click => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(click.Body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            await gate.Task;
            return await SendAsync(harness.Client, click, request, timeout);
        }))];
        gate.SetResult();
        return await Task.WhenAll(sent);
    }

    private static async Task<ClickSample> SendAsync(HttpClient client, Click click, HttpRequestMessage request, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, cancel.Token);
            string body = await response.Content.ReadAsStringAsync(cancel.Token);
            long t1 = Stopwatch.GetTimestamp();
            return new ClickSample(click.Index, click.Button, Stopwatch.GetElapsedTime(t0, t1), Classify(response.StatusCode, body), t0, t1);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            long t1 = Stopwatch.GetTimestamp();
            return new ClickSample(click.Index, click.Button, Stopwatch.GetElapsedTime(t0, t1), Answers.NoAnswer, t0, t1);
        }
        catch (HttpRequestException e)
        {
            long t1 = Stopwatch.GetTimestamp();
            return new ClickSample(click.Index, click.Button, Stopwatch.GetElapsedTime(t0, t1), $"request failed: {e.GetType().Name}", t0, t1);
        }
    }

    /// <summary>What an answer was, in a few words (the texts are the bot's English ones).</summary>
    private static string Classify(HttpStatusCode status, string body)
    {
        if (status != HttpStatusCode.OK)
        {
            return $"HTTP {(int)status}";
        }

        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return "HTTP 200, not JSON";
        }

        string? type = (string?)answer?["type"];
        string value = answer?["value"]?.ToJsonString() ?? string.Empty;
        return type switch
        {
            AdaptiveCardType when value.Contains("Retry: ", StringComparison.Ordinal) => "card: Graph failed, retry offered",
            AdaptiveCardType when value.Contains("Updating to ", StringComparison.Ordinal) => Answers.UpdatingCard,
            AdaptiveCardType => Answers.DecidedCard,
            MessageType when value.Contains("not allowed", StringComparison.Ordinal) => Answers.NotAllowed,
            MessageType when value.Contains("Working on it", StringComparison.Ordinal) => Answers.WorkingOnIt,
            _ => $"{type ?? "no type"}: {(value.Length > 80 ? value[..80] + "…" : value)}",
        };
    }

    /// <summary>A click on button <c>k mod 3</c>, by the analyst or by a user who may not triage.</summary>
    private static Click NewClick(PostedCard card, Dictionary<TriageVerdict, JsonObject> buttons, int k, bool allowed)
    {
        TriageVerdict button = Buttons[k % Buttons.Length];
        JsonObject activity = TeamsActivities.CardAction(card.Card.ServiceUrl, TriageActionData.TriageVerb, (JsonObject)buttons[button].DeepClone());
        activity["id"] = $"f:bench-{card.AlertId}-{(allowed ? "a" : "r")}{k:D4}";
        activity["conversation"]!["id"] = card.Card.CardConversationId;
        activity["replyToId"] = card.Card.ActivityId;
        // Each click its own display name, so the record tells which click won.
        activity["from"]!["name"] = $"{ActorPrefix}{k:D4}";
        activity["from"]!["aadObjectId"] = allowed ? PipelineHarness.Analyst : PipelineHarness.Outsider;
        return new Click(k, button, allowed, Encoding.UTF8.GetBytes(activity.ToJsonString()));
    }

    /// <summary>The data of the clicked buttons on the posted card, found by title.</summary>
    private static Dictionary<TriageVerdict, JsonObject> ButtonsOf(PostedCard card) =>
        Buttons.ToDictionary(
            b => b,
            b => FindAction(card.Content, b.ToString()) ?? throw new InvalidOperationException($"{card.AlertId}'s card has no {b} button."));

    private static JsonObject? FindAction(JsonNode? node, string title) => node switch
    {
        JsonObject o when (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title => (JsonObject)o["data"]!.DeepClone(),
        JsonObject o => o.Select(p => FindAction(p.Value, title)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(n => FindAction(n, title)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    private static int Patches(PipelineHarness harness, string alertId) =>
        harness.Fakes.GraphRequests.Count(r => r.Method == HttpMethods.Patch && r.RawTarget.Contains($"/securityAlerts/{alertId}", StringComparison.Ordinal));

    private static int GraphReads(PipelineHarness harness, string alertId) =>
        harness.Fakes.GraphRequests.Count(r => r.Method == HttpMethods.Get && r.RawTarget.Contains($"/securityAlerts/{alertId}", StringComparison.Ordinal));

    private static string Summary(IEnumerable<ClickSample> samples) =>
        string.Join(", ", samples.GroupBy(s => s.Answer).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}"));

    private static void Expect(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
            Console.Error.WriteLine($"  CHECK FAILED: {problem}");
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(2);
        }
    }
}

/// <summary>The runtime's own counters over a measurement: threads, garbage collections and their pauses.</summary>
internal readonly record struct RuntimeCounters(int Threads, int Gen0, int Gen1, int Gen2, TimeSpan Paused, long HeapBytes)
{
    public static RuntimeCounters Now() => new(
        ThreadPool.ThreadCount, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalMemory(false));

    public string Since(RuntimeCounters start) => string.Create(
        CultureInfo.InvariantCulture,
        $"thread-pool threads {start.Threads} → {Threads}; garbage collections gen0/gen1/gen2 {Gen0 - start.Gen0}/{Gen1 - start.Gen1}/{Gen2 - start.Gen2}, paused {(Paused - start.Paused).TotalMilliseconds:0} ms in all; heap {start.HeapBytes / 1048576.0:0} → {HeapBytes / 1048576.0:0} MiB");
}

/// <summary>The kinds of answer the report counts.</summary>
internal static class Answers
{
    public const string DecidedCard = "card: decision shown";
    public const string UpdatingCard = "card: updating…";
    public const string NotAllowed = "message: not allowed";
    public const string WorkingOnIt = "message: working on it (the endpoint's invoke budget ran out)";
    public const string NoAnswer = "no answer within the timeout";
}
