using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Cards;

namespace TeamsAlertBot.Core.Triage;

/// <summary>Where the cancellation of a compromised Azure subscription stands.</summary>
public enum MitigationState
{
    /// <summary>Claimed; Partner Center is being asked.</summary>
    Pending,

    /// <summary>Partner Center accepted the cancellation (202).</summary>
    Accepted,

    /// <summary>Partner Center refused or failed; the card offers a retry.</summary>
    Failed,
}

/// <summary>The bot's record of an alert's mitigation: which Azure subscription, who asked, how it ended.</summary>
public sealed record MitigationRecord
{
    [JsonConverter(typeof(JsonStringEnumConverter<MitigationState>))]
    public required MitigationState State { get; init; }

    /// <summary>The Azure subscription (entitlement) id that was cancelled.</summary>
    public required string AzureSubscriptionId { get; init; }

    /// <summary>The Partner Center subscription id of the Azure plan holding it.</summary>
    public required string AzurePlanSubscriptionId { get; init; }

    public required string CustomerTenantId { get; init; }

    public string? ActorName { get; init; }

    public string? ActorObjectId { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Partner Center's status and code when it failed (no secrets, no bodies).</summary>
    public string? Error { get; init; }

    /// <summary>While pending: when (Unix ms) the claim lapses if its instance died before completing it.</summary>
    public long? PendingUntil { get; init; }
}

/// <summary>The steps of the mitigation flow on a card.</summary>
public enum MitigationStep
{
    /// <summary>The fraud card's button: show the typed confirmation.</summary>
    Ask,

    /// <summary>The confirmation's button: cancel, if the typed id matches.</summary>
    Confirm,

    /// <summary>Back to the alert card.</summary>
    Back,
}

/// <summary>
/// The data of a mitigation button. The signature covers the alert, the step and the triage version
/// the fraud verdict was recorded at, so a button from before a reopen no longer works.
/// </summary>
public sealed record MitigationActionData
{
    public const string MitigateVerb = "alert.mitigate";

    public required string AlertId { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<MitigationStep>))]
    public required MitigationStep Step { get; init; }

    public required int Version { get; init; }

    public required string Signature { get; init; }

    /// <summary>Set only in the Action.Submit fallback, which has no verb of its own.</summary>
    public string? Verb { get; init; }

    /// <summary>The signed action string of a step.</summary>
    public static string Action(MitigationStep step) => $"{MitigateVerb}:{step}";
}

/// <summary>Serializer metadata of the mitigation data.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MitigationActionData))]
[JsonSerializable(typeof(MitigationRecord))]
public sealed partial class MitigationJsonContext : JsonSerializerContext;

/// <summary>The mitigation button, the typed confirmation card and the mitigation line of the alert card.</summary>
public static class MitigationCards
{
    /// <summary>The id of the input where the user types the subscription id.</summary>
    public const string ConfirmInputId = "confirmSubscriptionId";

    /// <summary>
    /// True when an alert may be mitigated from its card: a fraud verdict recorded in Graph, an Azure
    /// subscription found under the customer's Azure plan, and no cancellation accepted or under way
    /// (a pending one whose instance died counts as failed once it lapsed at <see cref="MitigationRecord.PendingUntil"/>).
    /// </summary>
    public static bool Offered(TriageRecord record, bool alertOpen, string? azurePlanSubscriptionId, string? azureSubscriptionId, MitigationRecord? mitigation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record is { Verdict: TriageVerdict.Fraud, State: TriageState.Applied }
            && !alertOpen
            && !string.IsNullOrWhiteSpace(azurePlanSubscriptionId)
            && Guid.TryParse(azureSubscriptionId, out _)
            && (mitigation is null or { State: MitigationState.Failed } || Lapsed(mitigation, now));
    }

    /// <summary>A pending cancellation whose instance did not complete it in time.</summary>
    public static bool Lapsed(MitigationRecord? mitigation, DateTimeOffset now) =>
        mitigation is { State: MitigationState.Pending, PendingUntil: { } until } && until < now.ToUnixTimeMilliseconds();

    /// <summary>The button on the alert card (a retry after a failure).</summary>
    public static ExecuteAction Button(TriageTexts texts, MitigationActionData data, bool retry)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Execute(retry ? texts.MitigateRetryButton : texts.MitigateButton, data, "destructive");
    }

    /// <summary>The mitigation line of the alert card, or null before any.</summary>
    public static string? Note(TriageTexts texts, MitigationRecord? record, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (record is null)
        {
            return null;
        }

        string who = record.ActorName ?? "?";
        return record.State switch
        {
            MitigationState.Pending when Lapsed(record, now) => texts.Format(texts.MitigationFailed, record.AzureSubscriptionId, who, texts.MitigationNoAnswer),
            MitigationState.Pending => texts.Format(texts.MitigationPending, record.AzureSubscriptionId, who),
            MitigationState.Accepted => texts.Format(texts.MitigationAccepted, record.AzureSubscriptionId, who, When(record.At, timeZone)),
            _ => texts.Format(texts.MitigationFailed, record.AzureSubscriptionId, who, record.Error ?? texts.MitigationNoAnswer),
        };
    }

    /// <summary>
    /// The confirmation the clicking user sees (only they see it): what will happen, an input where
    /// the subscription id must be typed, and the confirm and back buttons.
    /// </summary>
    /// <param name="texts">The reader's language.</param>
    /// <param name="alertTitle">The alert's title.</param>
    /// <param name="subscription">The Azure subscription as shown (name and id).</param>
    /// <param name="azureSubscriptionId">The id the user must type.</param>
    /// <param name="customer">The customer as shown.</param>
    /// <param name="confirm">Signed data of the confirm button.</param>
    /// <param name="back">Signed data of the back button.</param>
    /// <param name="error">Why the last attempt did nothing (a mismatch), or null.</param>
    public static AdaptiveCard Confirm(
        TriageTexts texts, string alertTitle, string subscription, string azureSubscriptionId, string customer,
        MitigationActionData confirm, MitigationActionData back, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        List<CardElement> warning =
        [
            new TextBlock(texts.MitigateTitle) { Size = "large", Weight = "bolder", Style = "heading", Color = "attention" },
            // Names come from Graph and Partner Center (the customer can rename a subscription): plain runs, never markdown.
            new RichTextBlock([new TextRun(alertTitle) { Weight = "bolder" }]),
            new RichTextBlock([new TextRun(texts.Format(texts.MitigateBody, subscription, customer))]),
        ];
        List<CardElement> body = [new Container(warning) { Style = "attention" }];
        if (error is not null)
        {
            body.Add(new TextBlock(error) { Color = "attention", Weight = "bolder" });
        }

        body.Add(new InputText
        {
            Id = ConfirmInputId,
            Label = texts.Format(texts.MitigateInputLabel, azureSubscriptionId),
            Placeholder = azureSubscriptionId,
            IsRequired = true,
            ErrorMessage = texts.MitigateMismatch,
            MaxLength = 64,
        });
        return new AdaptiveCard
        {
            Lang = texts.Language,
            Speak = texts.MitigateTitle,
            Body = body,
            Actions =
            [
                Execute(texts.MitigateConfirm, confirm, "destructive"),
                Execute(texts.MitigateBack, back, null, inputs: "none"),
            ],
        };
    }

    /// <summary>True when the typed text names the subscription (case, braces and spaces aside).</summary>
    public static bool Matches(string? typed, string azureSubscriptionId)
    {
        ArgumentNullException.ThrowIfNull(azureSubscriptionId);
        return typed is not null
            && Guid.TryParse(typed.Trim(), out Guid a)
            && Guid.TryParse(azureSubscriptionId, out Guid b)
            && a == b;
    }

    private static string When(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm (zzz)", CultureInfo.InvariantCulture);

    private static ExecuteAction Execute(string title, MitigationActionData data, string? style, string inputs = "auto") => new()
    {
        Title = title,
        Style = style,
        Verb = MitigationActionData.MitigateVerb,
        Data = JsonSerializer.SerializeToElement(data, MitigationJsonContext.Default.MitigationActionData),
        AssociatedInputs = inputs,
        Fallback = new SubmitAction
        {
            Title = title,
            AssociatedInputs = inputs,
            Data = JsonSerializer.SerializeToElement(data with { Verb = MitigationActionData.MitigateVerb }, MitigationJsonContext.Default.MitigationActionData),
        },
    };
}
