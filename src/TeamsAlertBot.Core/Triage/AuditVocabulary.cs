namespace TeamsAlertBot.Core.Triage;

/// <summary>
/// The words an audit entry is stored with: stable English tokens for logs and exports. Cards show
/// them in the reader's language (<see cref="Localization.QueryTexts.HistoryAction"/>,
/// <see cref="Localization.QueryTexts.HistoryOutcome"/>). Verdicts are stored by their enum name.
/// </summary>
public static class AuditVocabulary
{
    /// <summary>The action of a mitigation: the Azure subscription was cancelled through Partner Center.</summary>
    public const string CancelAzureSubscription = "CancelAzureSubscription";

    /// <summary>A verdict recorded in Microsoft Graph.</summary>
    public const string Applied = "applied";

    /// <summary>Graph refused or failed a verdict.</summary>
    public const string GraphFailed = "graph-failed";

    /// <summary>Partner Center accepted a cancellation.</summary>
    public const string Accepted = "accepted";

    /// <summary>Partner Center refused or failed a cancellation; followed by its status and code, or <see cref="NoAnswer"/>.</summary>
    public const string PartnerCenterFailedPrefix = "partner-center-failed: ";

    /// <summary>The action of a ticked checklist step, followed by its <see cref="ResponseItem"/> name.</summary>
    public const string ResponseStepDonePrefix = "ResponseStepDone:";

    /// <summary>The action of an unticked checklist step, followed by its <see cref="ResponseItem"/> name.</summary>
    public const string ResponseStepUndonePrefix = "ResponseStepUndone:";

    /// <summary>Recorded by the bot alone (no call to Microsoft).</summary>
    public const string Recorded = "recorded";

    /// <summary>The detail of a failure that got no answer.</summary>
    public const string NoAnswer = "no answer";
}
