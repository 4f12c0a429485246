namespace TeamsAlertBot.Operations;

/// <summary>
/// A call that was never made because this deployment has no way to make it (no app registration,
/// no credential). Carries the settings that would set it up, so the answer can name them instead
/// of calling the service busy or unavailable.
/// </summary>
public sealed class NotConfiguredException : Exception
{
    public NotConfiguredException()
        : this("a service", [])
    {
    }

    public NotConfiguredException(string message)
        : base(message)
    {
        Service = "a service";
    }

    public NotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
        Service = "a service";
    }

    /// <param name="service">The service by its product name (Partner Center, Microsoft Graph).</param>
    /// <param name="settings">The settings that set it up, by configuration path.</param>
    public NotConfiguredException(string service, IReadOnlyList<string> settings)
        : base($"{service} is not set up on this deployment; nothing was sent. Set {string.Join(", ", settings)}.")
    {
        Service = service;
        Settings = settings;
    }

    /// <summary>The service that is not set up.</summary>
    public string Service { get; }

    /// <summary>The settings that would set it up.</summary>
    public IReadOnlyList<string> Settings { get; } = [];

    /// <summary>The first <see cref="NotConfiguredException"/> in <paramref name="exception"/>'s chain, if any.</summary>
    public static NotConfiguredException? Find(Exception? exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NotConfiguredException found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The settings of the bot's own app registration: what every app-only call needs.</summary>
    public static IReadOnlyList<string> AppRegistrationSettings { get; } = ["AzureAd:ClientId", "AzureAd:TenantId", "AzureAd:ClientCredentials"];
}
