using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace TeamsAlertBot.Bench;

/// <summary>
/// One latency measurement: its samples' statistics, the very first (cold) warm-up sample, and the
/// means of the first and second half of the measured samples (equal when the process was warm).
/// </summary>
internal sealed record LatencyResult(string Name, LatencyStats Stats, TimeSpan FirstWarmup, TimeSpan FirstHalfMean, TimeSpan SecondHalfMean, LatencyStats? WebhookAnswer = null);

/// <summary>One burst: when its first, median and last card arrived, from the moment its alerts appeared.</summary>
internal sealed record BurstSample(int Alerts, TimeSpan FirstCard, TimeSpan MedianCard, TimeSpan LastCard)
{
    public double CardsPerSecond => Alerts / LastCard.TotalSeconds;
}

/// <summary>The measurements. Each alert is retired, untimed, once its card has arrived.</summary>
internal static class Measurements
{
    /// <summary>The subscription the fake Graph's alerts belong to (see LoopbackFakes.AddAlert).</summary>
    private const string AlertSubscriptionId = "9e8d7c6b-0000-4000-8000-00000000a001";

    /// <summary>
    /// poll→card and webhook→card, interleaved (one of each per iteration), so both see the same
    /// process state: a later measurement would otherwise profit from the JIT and caches the
    /// earlier one warmed. Returns both results and the wall time of the measured iterations.
    /// </summary>
    public static async Task<(IReadOnlyList<LatencyResult> Results, TimeSpan MeasuredWallTime)> LatenciesAsync(PipelineHarness harness, BenchSettings settings)
    {
        var poll = new Series("poll → card");
        var webhook = new Series("webhook → card");
        var answers = new Series("webhook answered 200");
        long measuredFrom = 0;
        for (int i = 0; i < settings.Warmup + settings.Iterations; i++)
        {
            bool measured = i >= settings.Warmup;
            measuredFrom = i == settings.Warmup ? Stopwatch.GetTimestamp() : measuredFrom;
            poll.Add(await PollToCardAsync(harness, settings, i), measured);
            (TimeSpan card, TimeSpan answer) = await WebhookToCardAsync(harness, settings, i);
            webhook.Add(card, measured);
            answers.Add(answer, measured);
            int done = i + 1;
            if (done == settings.Warmup || done % 50 == 0 || done == settings.Warmup + settings.Iterations)
            {
                Console.Error.WriteLine($"  {done}/{settings.Warmup + settings.Iterations}{(measured ? string.Empty : " (warm-up)")}");
            }
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(measuredFrom);
        return ([poll.Result(), webhook.Result(answers.Stats())], wall);
    }

    /// <summary>
    /// One poll→card: t0 is just before the alert is put into the fake Graph and a poll is requested
    /// (<see cref="Alerts.AlertPoller.RequestPoll"/>); the interval ends when the fake connector has
    /// read the whole request that carries the alert's card.
    /// </summary>
    private static async Task<TimeSpan> PollToCardAsync(PipelineHarness harness, BenchSettings settings, int i)
    {
        await DesynchronizeAsync(settings);
        string alertId = BenchAlerts.Poll(i);
        DateTimeOffset detected = TimeProvider.System.GetUtcNow();
        Task<long> card = harness.Watch.Expect("POST", alertId);

        long t0 = Stopwatch.GetTimestamp();
        harness.Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, detected: detected);
        harness.Poller.RequestPoll();
        long arrived = await harness.ArrivalAsync(card, "POST", alertId);

        await harness.RetireAsync([(alertId, detected)]);
        return Stopwatch.GetElapsedTime(t0, arrived);
    }

    /// <summary>
    /// One webhook→card: the alert is in the fake Graph and the delivery is signed before t0; t0 is
    /// just before the POST to the webhook endpoint; the interval ends as in
    /// <see cref="PollToCardAsync"/>. Also returns how long the webhook took to answer 200.
    /// </summary>
    private static async Task<(TimeSpan Card, TimeSpan Answer)> WebhookToCardAsync(PipelineHarness harness, BenchSettings settings, int i)
    {
        await DesynchronizeAsync(settings);
        string alertId = BenchAlerts.Webhook(i);
        DateTimeOffset detected = TimeProvider.System.GetUtcNow();
        harness.Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, detected: detected);
        // Every body differs (its change date), so the webhook's de-duplication never drops one.
        using HttpRequestMessage delivery = WebhookDeliveries.Signed(WebhookDeliveries.FraudEventBody(AlertSubscriptionId, detected), harness.Fakes.WebhookCertificateUrl);
        Task<long> card = harness.Watch.Expect("POST", alertId);

        long t0 = Stopwatch.GetTimestamp();
        using HttpResponseMessage answer = await harness.Client.SendAsync(delivery);
        long answered = Stopwatch.GetTimestamp();
        if (answer.StatusCode != HttpStatusCode.OK)
        {
            harness.Watch.Forget("POST", alertId);
            throw new InvalidOperationException($"The webhook answered {(int)answer.StatusCode} to a correctly signed delivery: {await answer.Content.ReadAsStringAsync()}");
        }

        long arrived = await harness.ArrivalAsync(card, "POST", alertId);
        if (arrived <= t0)
        {
            throw new InvalidOperationException($"{alertId}'s card arrived before its webhook was sent: a poll the bench did not ask for ran.");
        }

        await harness.RetireAsync([(alertId, detected)]);
        return (Stopwatch.GetElapsedTime(t0, arrived), Stopwatch.GetElapsedTime(t0, answered));
    }

    /// <summary>
    /// Throughput: <see cref="BenchSettings.BurstSize"/> alerts appear in the fake Graph at once and
    /// one poll is requested; timed until the last of their cards reached the connector. The first
    /// burst is a warm-up.
    /// </summary>
    public static async Task<IReadOnlyList<BurstSample>> BurstsAsync(PipelineHarness harness, BenchSettings settings)
    {
        var bursts = new List<BurstSample>(settings.Bursts);
        for (int b = 0; b <= settings.Bursts; b++)
        {
            await DesynchronizeAsync(settings);
            string[] alertIds = [.. Enumerable.Range(0, settings.BurstSize).Select(k => BenchAlerts.Burst(b, k))];
            DateTimeOffset detected = TimeProvider.System.GetUtcNow();
            Task<long>[] cards = [.. alertIds.Select(id => harness.Watch.Expect("POST", id))];

            long t0 = Stopwatch.GetTimestamp();
            foreach (string alertId in alertIds)
            {
                harness.Fakes.AddAlert(alertId, BenchAlerts.CustomerTenantId, detected: detected);
            }

            harness.Poller.RequestPoll();
            long[] arrived = await Task.WhenAll(cards.Select((card, k) => harness.ArrivalAsync(card, "POST", alertIds[k])));

            Array.Sort(arrived);
            if (b > 0)
            {
                bursts.Add(new BurstSample(
                    alertIds.Length,
                    Stopwatch.GetElapsedTime(t0, arrived[0]),
                    Stopwatch.GetElapsedTime(t0, arrived[(arrived.Length - 1) / 2]),
                    Stopwatch.GetElapsedTime(t0, arrived[^1])));
            }

            await harness.RetireAsync([.. alertIds.Select(id => (id, detected))]);
            Console.Error.WriteLine($"  burst {b}/{settings.Bursts}{(b == 0 ? " (warm-up)" : string.Empty)} done");
        }

        return bursts;
    }

    /// <summary>
    /// Waits a random fraction of the dispatcher's idle delay, so alerts do not always arrive at
    /// the same phase of its sleep (the cleanup before ends in step with it).
    /// </summary>
    private static Task DesynchronizeAsync(BenchSettings settings) =>
        Task.Delay(TimeSpan.FromTicks(RandomNumberGenerator.GetInt32(0, (int)Math.Min(settings.DispatchIdleDelay.Ticks, int.MaxValue))));
}

/// <summary>The samples of one interval: the first warm-up one, and the measured ones in order.</summary>
internal sealed class Series(string name)
{
    private readonly List<TimeSpan> _measured = [];
    private TimeSpan? _first;

    public void Add(TimeSpan sample, bool measured)
    {
        _first ??= sample;
        if (measured)
        {
            _measured.Add(sample);
        }
    }

    public LatencyStats Stats() => LatencyStats.Of(_measured);

    public LatencyResult Result(LatencyStats? webhookAnswer = null)
    {
        int half = _measured.Count / 2;
        return new LatencyResult(
            name,
            Stats(),
            _first ?? TimeSpan.Zero,
            Mean(_measured.Take(half)),
            Mean(_measured.Skip(half)),
            webhookAnswer);
    }

    private static TimeSpan Mean(IEnumerable<TimeSpan> samples) =>
        TimeSpan.FromTicks((long)samples.Select(s => s.Ticks).DefaultIfEmpty(0).Average());
}
