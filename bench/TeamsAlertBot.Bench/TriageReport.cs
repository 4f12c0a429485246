using System.Globalization;
using System.Text;

namespace TeamsAlertBot.Bench;

/// <summary>The click → answer results as Markdown.</summary>
internal static class TriageReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder md, TriageResult result)
    {
        TriageRound[] rounds = [.. result.Measured];
        if (rounds.Length > 0)
        {
            AppendClicks(md, result, rounds);
            AppendRefused(md, result, rounds);
        }

        SlowGraphRound[] slow = [.. result.SlowMeasured];
        if (slow.Length > 0)
        {
            AppendSlowGraph(md, result, slow);
        }

        md.AppendLine("#### Checks");
        md.AppendLine();
        if (result.Problems.Count == 0)
        {
            md.AppendLine(Inv, $"All passed, in every round including the warm-up ones ({result.Rounds.Count} click rounds, {result.SlowRounds.Count} slow-Graph rounds): refused clicks all answered \"not allowed\" and made no Graph or connector request, no triage record and no audit entry; of the allowed clicks exactly one won (triage record at version 2, Applied, its verdict that of the winning click), with exactly one Graph PATCH, one edit of the card, one thread reply and one audit entry; every allowed click got an Adaptive Card; every slow-Graph click got the \"updating…\" card and its decision still reached Graph once.");
        }
        else
        {
            md.AppendLine(Inv, $"**{result.Problems.Count} failed:**");
            md.AppendLine();
            foreach (string problem in result.Problems)
            {
                md.AppendLine(Inv, $"- {problem}");
            }
        }

        md.AppendLine();
    }

    private static void AppendClicks(StringBuilder md, TriageResult result, TriageRound[] rounds)
    {
        int clicks = rounds[0].Clicks.Count;
        ClickSample[] all = [.. rounds.SelectMany(r => r.Clicks)];
        ClickSample[] winners = [.. rounds.SelectMany(r => r.Clicks.Where(c => c.Index == r.WinnerIndex))];
        ClickSample[] others = [.. rounds.SelectMany(r => r.Clicks.Where(c => c.Index != r.WinnerIndex))];
        md.AppendLine(Inv, $"#### click → answer: {clicks} concurrent triage clicks on one card");
        md.AppendLine();
        md.AppendLine("| clicks | n | p50 | p90 | p99 | max | mean |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        Row(md, "every click", all);
        Row(md, "the winning click (Graph PATCH, card edit, thread reply before its answer)", winners);
        Row(md, "the other clicks (someone else's decision shown)", others);
        md.AppendLine();

        int half = rounds.Length / 2;
        TriageRound first = result.Rounds[0];
        md.AppendLine(Inv, $"First warm-up round (cold): p50 {Report.Ms(LatencyStats.Of(Times(first.Clicks)).P50)}, max {Report.Ms(LatencyStats.Of(Times(first.Clicks)).Max)}. Mean of the clicks of the first and second half of the measured rounds: {Report.Ms(Mean(rounds.Take(half)))} / {Report.Ms(Mean(rounds.Skip(half)))}.");
        md.AppendLine();
        md.AppendLine("| round | decision | Graph PATCHes | Graph reads of the alert | p50 | max | winning click | first send → last answer | first send → card edited for everyone | \"updating…\" answers after that edit |");
        md.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (TriageRound r in rounds)
        {
            LatencyStats s = LatencyStats.Of(Times(r.Clicks));
            string winner = r.Clicks.FirstOrDefault(c => c.Index == r.WinnerIndex) is { } w ? Report.Ms(w.Elapsed) : "none";
            md.AppendLine(Inv, $"| {r.Round - result.Rounds.Count(x => !x.Measured) + 1} | {r.Verdict?.ToString() ?? "none"} (click {r.WinnerIndex?.ToString(Inv) ?? "?"}) | {r.Patches} | {r.GraphReads} | {Report.Ms(s.P50)} | {Report.Ms(s.Max)} | {winner} | {Report.Ms(r.AllAnswered)} | {Report.Ms(r.EveryoneEdited)} | {r.UpdatingAfterEdit} |");
        }

        md.AppendLine();
        md.AppendLine("Answers (measured rounds):");
        md.AppendLine();
        md.AppendLine("| answer | allowed clicks | refused clicks |");
        md.AppendLine("|---|--:|--:|");
        ClickSample[] refused = [.. rounds.SelectMany(r => r.Refused)];
        foreach (string kind in all.Concat(refused).Select(c => c.Answer).Distinct().Order(StringComparer.Ordinal))
        {
            md.AppendLine(Inv, $"| {kind} | {all.Count(c => c.Answer == kind)} | {refused.Count(c => c.Answer == kind)} |");
        }

        md.AppendLine();
        md.AppendLine(Inv, $"Decisions: {string.Join(", ", rounds.GroupBy(r => r.Verdict?.ToString() ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}. Graph PATCHes per round: {string.Join(", ", rounds.GroupBy(r => r.Patches).OrderBy(g => g.Key).Select(g => $"{g.Key} in {g.Count()} rounds"))}.");
        md.AppendLine();
    }

    private static void AppendRefused(StringBuilder md, TriageResult result, TriageRound[] rounds)
    {
        ClickSample[] refused = [.. rounds.SelectMany(r => r.Refused)];
        md.AppendLine(Inv, $"#### click → answer: {rounds[0].Refused.Count} concurrent clicks by a user who may not triage");
        md.AppendLine();
        md.AppendLine("| clicks | n | p50 | p90 | p99 | max | mean |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        Row(md, "refused (\"not allowed\", nothing written)", refused);
        md.AppendLine();
        int half = rounds.Length / 2;
        md.AppendLine(Inv, $"First warm-up round (cold): max {Report.Ms(LatencyStats.Of(Times(result.Rounds[0].Refused)).Max)}. Mean of the first and second half of the measured rounds: {Report.Ms(MeanOf(rounds.Take(half).SelectMany(r => r.Refused)))} / {Report.Ms(MeanOf(rounds.Skip(half).SelectMany(r => r.Refused)))}.");
        md.AppendLine();
    }

    private static void AppendSlowGraph(StringBuilder md, TriageResult result, SlowGraphRound[] slow)
    {
        md.AppendLine(Inv, $"#### click → answer while Graph takes {result.SlowGraphDelay.TotalSeconds:0.###} s to answer the PATCH (one click)");
        md.AppendLine();
        md.AppendLine("| round | button | click → answer | answer | click → card edited for everyone | Graph PATCHes |");
        md.AppendLine("|--:|---|--:|---|--:|--:|");
        foreach (SlowGraphRound r in slow)
        {
            md.AppendLine(Inv, $"| {r.Round} | {r.Button} | {Report.Ms(r.Answered)} | {r.Answer} | {Report.Ms(r.EveryoneEdited)} | {r.Patches} |");
        }

        md.AppendLine();
        TimeSpan longest = slow.Max(r => r.Answered);
        md.AppendLine(Inv, $"Longest answer {Report.Ms(longest)}: {Report.Ms(longest - result.AnswerBudget)} over `Triage:AnswerBudget` ({result.AnswerBudget.TotalSeconds:0.###} s), {Report.Ms(result.InvokeAnswerBudget - longest)} under `Bot:InvokeAnswerBudget` ({result.InvokeAnswerBudget.TotalSeconds:0.###} s). Warm-up click: {Report.Ms(result.SlowRounds[0].Answered)}, {result.SlowRounds[0].Answer}.");
        md.AppendLine();
    }

    private static void Row(StringBuilder md, string name, ClickSample[] samples)
    {
        if (samples.Length == 0)
        {
            md.AppendLine(Inv, $"| {name} | 0 | | | | | |");
            return;
        }

        LatencyStats s = LatencyStats.Of(Times(samples));
        md.AppendLine(Inv, $"| {name} | {s.Count} | {Report.Ms(s.P50)} | {Report.Ms(s.P90)} | {Report.Ms(s.P99)} | {Report.Ms(s.Max)} | {Report.Ms(s.Mean)} |");
    }

    private static TimeSpan[] Times(IEnumerable<ClickSample> samples) => [.. samples.Select(c => c.Elapsed)];

    private static TimeSpan Mean(IEnumerable<TriageRound> rounds) => MeanOf(rounds.SelectMany(r => r.Clicks));

    private static TimeSpan MeanOf(IEnumerable<ClickSample> samples) =>
        TimeSpan.FromTicks((long)samples.Select(c => c.Elapsed.Ticks).DefaultIfEmpty(0).Average());
}
