using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Triage.Authorization;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Commands;

/// <summary>
/// <c>webhook</c>: shows the partner's Partner Center webhook registration; <c>webhook register</c>
/// registers (or re-points) it at this bot's public webhook URL — admins (the mitigation role) only.
/// </summary>
public sealed partial class WebhookCommand(
    WebhookRegistrationClient registrations,
    ITriageAuthorizer authorizer,
    IOptions<PartnerCenterWebhookOptions> options,
    ILogger<WebhookCommand> logger)
{
    private static readonly string[] Events = ["azure-fraud-event-detected", "test-created"];

    /// <summary>The answer to the command (markdown).</summary>
    public async Task<string> RunAsync(TurnContext turn, string arguments, BotTexts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(texts);
        bool register = arguments.Trim().Equals("register", StringComparison.OrdinalIgnoreCase) || arguments.Trim() == "登録";
        TriageDecision decision = await authorizer.AuthorizeAsync(TriageActor.FromTurn(turn), TriageRole.Mitigate, cancellationToken);
        if (!decision.IsAllowed)
        {
            return texts.WebhookAdminsOnly;
        }

        try
        {
            WebhookRegistration? current = await registrations.GetRegistrationAsync(cancellationToken);
            if (!register)
            {
                return current?.WebhookUrl is { Length: > 0 } url
                    ? texts.Format(texts.WebhookRegisteredAt, url, string.Join(", ", current.WebhookEvents ?? []))
                    : texts.WebhookNotRegistered;
            }

            if (options.Value.PublicUrl is not { } publicUrl)
            {
                return texts.WebhookNoPublicUrl;
            }

            var request = new WebhookRegistrationRequest { WebhookUrl = publicUrl, WebhookEvents = Events };
            WebhookRegistration registered = current is null
                ? await registrations.RegisterAsync(request, cancellationToken)
                : await registrations.UpdateRegistrationAsync(request, cancellationToken);
            LogRegistered(logger, publicUrl, decision.ObjectId);
            return texts.Format(texts.WebhookRegistered, registered.WebhookUrl ?? publicUrl.ToString());
        }
        catch (PartnerCenterException e)
        {
            LogFailed(logger, e);
            return texts.WebhookFailed;
        }
    }

    [LoggerMessage(2300, LogLevel.Information, "Partner Center webhook registered at {Url} by {ObjectId}")]
    private static partial void LogRegistered(ILogger logger, Uri url, string? objectId);

    [LoggerMessage(2301, LogLevel.Warning, "Partner Center webhook registration failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
