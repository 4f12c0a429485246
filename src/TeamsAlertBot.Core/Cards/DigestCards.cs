using System.Globalization;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Commands;
using TeamsAlertBot.Core.Digest;
using TeamsAlertBot.Core.Localization;

namespace TeamsAlertBot.Core.Cards;

/// <summary>The daily summary card (also the answer to the <c>summary</c> command).</summary>
public static class DigestCards
{
    private const string Separator = " · ";

    /// <summary>
    /// Builds the summary card of <paramref name="report"/>, times in <paramref name="timeZone"/>. Open
    /// alerts older than the window are counted apart, with a button that lists them and
    /// <paramref name="olderActions"/> (the bulk buttons, where bulk triage runs).
    /// </summary>
    public static AdaptiveCard Daily(DigestTexts texts, DigestReport report, TimeZoneInfo timeZone, IReadOnlyList<CardAction>? olderActions = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(timeZone);
        DateTime local = TimeZoneInfo.ConvertTime(report.GeneratedAt, timeZone).DateTime;
        string intro = report.OpenCount == 0
            ? texts.Format(texts.NoOpen, report.LookbackDays)
            : texts.Format(texts.OpenIntro, report.OpenCount, report.WaitingCount, report.LookbackDays);
        List<CardElement> body =
        [
            new TextBlock(texts.Title) { Size = "large", Weight = "bolder", Style = "heading" },
            new TextBlock(texts.Format(texts.AsOf, local, timeZone.Id)) { IsSubtle = true, Size = "small", Spacing = "none" },
            new TextBlock(intro),
        ];

        if (report.Types.Count > 0)
        {
            body.Add(Section(texts.ByTypeHeading));
            body.AddRange(report.Types.Select(t => Plain(
                new TextRun(t.AlertType.Length == 0 ? texts.UnknownType : t.AlertType) { Weight = "bolder" },
                new TextRun(Separator + texts.Format(texts.TypeCounts, t.Alerts, t.Customers, t.Subscriptions)))));
        }

        if (report.OpenCount > 0)
        {
            body.Add(Section(texts.Format(texts.OldestHeading, report.TopCount)));
            if (report.OldestWaiting.Count == 0)
            {
                body.Add(new TextBlock(texts.NoUntriaged) { Color = "good" });
            }

            body.AddRange(report.OldestWaiting.Select(w => Plain(
                new TextRun(w.Title) { Weight = "bolder" },
                new TextRun(Separator + (w.Customer ?? texts.UnknownCustomer)),
                new TextRun(Separator + texts.Format(texts.Waiting, texts.Duration(w.Waiting))) { Color = "attention" })));
        }

        if (report.OlderOpenCount > 0)
        {
            OldAlertTexts old = OldAlertTexts.For(texts.Language);
            body.Add(Section(old.OlderHeading));
            body.Add(new TextBlock(old.Format(old.OlderOpen, report.OlderOpenCount, report.LookbackDays)) { Id = "tab-digest-older" });
            body.Add(new ActionSet([
                QueryCards.RunButton(old.ListThem, "alerts", new AlertListRequest { OlderThan = TimeSpan.FromDays(report.LookbackDays) }.ToArguments()),
                .. olderActions ?? [],
            ]));
        }

        body.Add(Section(texts.Format(texts.VerdictsHeading, report.Yesterday)));
        if (report.VerdictTotal == 0)
        {
            body.Add(new TextBlock(texts.NoVerdicts));
        }
        else
        {
            body.Add(Plain(new TextRun(string.Join(Separator, report.VerdictCounts
                .OrderBy(c => c.Key)
                .Select(c => texts.Verdict(c.Key) + " " + c.Value.ToString(CultureInfo.InvariantCulture)))) { Weight = "bolder" }));
            body.AddRange(report.Verdicts.Select(v => Plain(
                new TextRun(texts.Verdict(v.Reason)) { Color = v.Reason == AlertResolvedReason.Fraud ? "attention" : "good" },
                new TextRun(Separator + v.Title + Separator + (v.Customer ?? texts.UnknownCustomer)),
                new TextRun(Separator + TimeZoneInfo.ConvertTime(v.ResolvedAt, timeZone).ToString("HH:mm", CultureInfo.InvariantCulture)
                    + (v.ResolvedBy is { } by ? " " + texts.Format(texts.DecidedBy, by) : string.Empty)) { IsSubtle = true })));
            if (report.VerdictTotal > report.Verdicts.Count)
            {
                body.Add(new TextBlock(texts.Format(texts.MoreVerdicts, report.VerdictTotal - report.Verdicts.Count)) { IsSubtle = true });
            }
        }

        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.Title + ": " + intro,
            Body = body,
            MsTeams = new TeamsCardOptions("Full"),
        };
    }

    private static TextBlock Section(string title) =>
        new(title) { Weight = "bolder", Separator = true, Spacing = "medium" };

    // Names and types come from Graph and Partner Center: text runs are never read as markdown.
    private static RichTextBlock Plain(params TextRun[] runs) => new(runs) { Spacing = "small" };
}
