using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Core.Triage;

/// <summary>Where a triage decision stands.</summary>
public enum TriageState
{
    /// <summary>Nobody decided yet (through the bot).</summary>
    None,

    /// <summary>Claimed; Microsoft Graph is being updated.</summary>
    Pending,

    /// <summary>Recorded in Microsoft Graph.</summary>
    Applied,

    /// <summary>Graph refused or failed; the card offers a retry.</summary>
    Failed,
}

/// <summary>The bot's record of an alert's triage: a version every decision increases, and the last decision.</summary>
public sealed record TriageRecord
{
    /// <summary>Cards carry it; a click on a card with an older version is stale.</summary>
    public int Version { get; init; } = 1;

    [JsonConverter(typeof(JsonStringEnumConverter<TriageState>))]
    public TriageState State { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TriageVerdict>))]
    public TriageVerdict? Verdict { get; init; }

    public string? ActorName { get; init; }

    public string? ActorObjectId { get; init; }

    public DateTimeOffset? At { get; init; }

    public string? Comment { get; init; }

    /// <summary>While pending: when (Unix ms) the claim lapses if its instance died before completing it.</summary>
    public long? PendingUntil { get; init; }

    /// <summary>No decision yet.</summary>
    public static TriageRecord Initial { get; } = new();

    /// <summary>
    /// The record as cards should show it at <paramref name="now"/>: a pending decision whose instance
    /// died (past <see cref="PendingUntil"/>) shows as failed, so the card offers the retry that the
    /// ledger would now accept, instead of "updating…" for ever.
    /// </summary>
    public TriageRecord AsSeenAt(DateTimeOffset now) =>
        State == TriageState.Pending && PendingUntil is { } until && until < now.ToUnixTimeMilliseconds()
            ? this with { State = TriageState.Failed, PendingUntil = null }
            : this;
}

/// <summary>The data of a triage button (signed; the signature covers alert, verdict, version and conversation).</summary>
public sealed record TriageActionData
{
    public const string TriageVerb = "alert.triage";

    public required string AlertId { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TriageVerdict>))]
    public required TriageVerdict Verdict { get; init; }

    public required int Version { get; init; }

    /// <summary>A Fraud click first shows a confirmation; its confirm button sets this.</summary>
    public bool Confirmed { get; init; }

    /// <summary>Cancel on the confirmation: just show the card again.</summary>
    public bool Cancel { get; init; }

    public required string Signature { get; init; }

    /// <summary>Set only in the Action.Submit fallback, which has no verb of its own.</summary>
    public string? Verb { get; init; }
}

/// <summary>The data of an alert card's refresh (signed like the buttons).</summary>
public sealed record RefreshActionData
{
    public const string RefreshVerb = "alert.refresh";

    public required string AlertId { get; init; }

    public required string Signature { get; init; }
}

/// <summary>Serializer metadata of the triage data.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TriageActionData))]
[JsonSerializable(typeof(TriageRecord))]
[JsonSerializable(typeof(RefreshActionData))]
public sealed partial class TriageJsonContext : JsonSerializerContext;

/// <summary>Triage buttons, the triage line of the alert card, and the fraud confirmation.</summary>
public static class TriageCards
{
    /// <summary>The id of the comment input; its value arrives with the click.</summary>
    public const string CommentInputId = "comment";

    /// <summary>
    /// The buttons an alert card shows for its state: the verdicts while it is open (Investigating
    /// only until someone claimed it), Reopen once resolved, Retry after a failure, none while updating.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="alertOpen">The alert is active or investigating in Graph.</param>
    /// <param name="investigating">Someone already claimed it (Graph status investigating).</param>
    /// <param name="record">The bot's triage record of the alert.</param>
    /// <param name="sign">Makes the signed button data for a verdict (confirmed or not) at the record's version.</param>
    public static IReadOnlyList<CardAction> Actions(TriageTexts texts, bool alertOpen, bool investigating, TriageRecord record, Func<TriageVerdict, bool, TriageActionData> sign)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(sign);
        if (record.State == TriageState.Pending)
        {
            return [];
        }

        if (record.State == TriageState.Failed && record.Verdict is { } failed)
        {
            return [Button(texts.Format(texts.Retry, texts.Verdict(failed)), sign(failed, true), "positive")];
        }

        if (!alertOpen)
        {
            return [Button(texts.Reopen, sign(TriageVerdict.Reopen, false), null)];
        }

        List<CardAction> actions =
        [
            Button(texts.Legitimate, sign(TriageVerdict.Legitimate, false), "positive"),
            Button(texts.Fraud, sign(TriageVerdict.Fraud, false), "destructive"),
            Button(texts.Ignore, sign(TriageVerdict.Ignore, false), null),
        ];
        if (!investigating)
        {
            actions.Add(Button(texts.Investigating, sign(TriageVerdict.Investigating, false), null));
        }

        return actions;
    }

    /// <summary>
    /// The card's refresh: Teams asks the bot for each viewer's own view (automatically where the
    /// conversation has at most 60 members), so people who may not triage get a card without buttons.
    /// </summary>
    public static CardRefresh Refresh(RefreshActionData data) => new(
        new ExecuteAction
        {
            Verb = RefreshActionData.RefreshVerb,
            Data = JsonSerializer.SerializeToElement(data, TriageJsonContext.Default.RefreshActionData),
        },
        UserIds: null);

    /// <summary>The optional comment field shown above the buttons.</summary>
    public static InputText CommentInput(TriageTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new InputText
        {
            Id = CommentInputId,
            Label = texts.CommentLabel,
            Placeholder = texts.CommentPlaceholder,
            IsMultiline = false,
            MaxLength = 500,
        };
    }

    /// <summary>The triage line of the card (who decided what, when), or null before any decision.</summary>
    public static string? Note(TriageTexts texts, TriageRecord record, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (record.Verdict is not { } verdict || record.State == TriageState.None)
        {
            return null;
        }

        string who = record.ActorName ?? "?";
        string when = record.At is { } at ? TimeZoneInfo.ConvertTime(at, timeZone).ToString("yyyy-MM-dd HH:mm (zzz)", System.Globalization.CultureInfo.InvariantCulture) : "?";
        string line = record.State switch
        {
            TriageState.Pending => texts.Format(texts.Updating, texts.Verdict(verdict), who),
            TriageState.Failed => texts.Format(texts.Failed, texts.Verdict(verdict), who),
            _ when verdict == TriageVerdict.Investigating => texts.Format(texts.Claimed, who, when),
            _ => texts.Format(texts.Decided, texts.Verdict(verdict), who, when),
        };
        return string.IsNullOrWhiteSpace(record.Comment) ? line : line + " " + texts.Format(texts.Comment, record.Comment);
    }

    /// <summary>The confirmation the clicking user sees after Fraud (only they see it).</summary>
    public static AdaptiveCard ConfirmFraud(TriageTexts texts, string alertTitle, TriageActionData confirm, TriageActionData cancel)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.ConfirmFraudTitle,
            Body =
            [
                new Container([
                    new TextBlock(texts.ConfirmFraudTitle) { Size = "large", Weight = "bolder", Style = "heading", Color = "attention" },
                    new RichTextBlock([new TextRun(alertTitle) { Weight = "bolder" }]),
                    new TextBlock(texts.ConfirmFraudBody),
                ]) { Style = "attention" },
                CommentInput(texts),
            ],
            Actions =
            [
                Button(texts.ConfirmFraud, confirm, "destructive"),
                Button(texts.Cancel, cancel, null),
            ],
        };
    }

    private static ExecuteAction Button(string title, TriageActionData data, string? style) => new()
    {
        Title = title,
        Style = style,
        Verb = TriageActionData.TriageVerb,
        Data = JsonSerializer.SerializeToElement(data, TriageJsonContext.Default.TriageActionData),
        AssociatedInputs = "auto",
        Fallback = new SubmitAction
        {
            Title = title,
            Data = JsonSerializer.SerializeToElement(data with { Verb = TriageActionData.TriageVerb }, TriageJsonContext.Default.TriageActionData),
        },
    };
}
