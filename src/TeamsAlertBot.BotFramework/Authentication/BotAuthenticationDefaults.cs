namespace TeamsAlertBot.BotFramework.Authentication;

/// <summary>Names used by the inbound authentication of the messaging endpoint.</summary>
public static class BotAuthenticationDefaults
{
    /// <summary>The JwtBearer scheme that validates Bot Framework channel tokens.</summary>
    public const string Scheme = "BotFramework";

    /// <summary>The authorization policy of the messaging endpoint.</summary>
    public const string Policy = "BotFrameworkChannel";

    /// <summary>The claim that names the service URL the token was issued for (lowercase, as sent).</summary>
    public const string ServiceUrlClaim = "serviceurl";

    /// <summary><see cref="Microsoft.AspNetCore.Http.HttpContext.Items"/> key of the signing key's endorsements.</summary>
    internal const string EndorsementsItem = "TeamsAlertBot.BotFramework.Endorsements";
}
