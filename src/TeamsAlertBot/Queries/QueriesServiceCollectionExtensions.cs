using TeamsAlertBot.Commands;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Queries;

/// <summary>Registers the "ask the bot" commands.</summary>
public static class QueriesServiceCollectionExtensions
{
    /// <summary>
    /// Adds customer, subscription, reseller, profile, alert and alerts, and their card buttons. Call
    /// after <c>AddAlertPipeline</c>: the <c>alert</c> command uses its card renderer and triage
    /// ledger when the pipeline runs, and a plain alert card without them.
    /// </summary>
    public static IHostApplicationBuilder AddQueries(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPartnerCenter();
        IServiceCollection services = builder.Services;
        services.AddSingleton<PartnerCenterQueries>();
        services.AddSingleton<QueryServices>();
        services.AddSingleton<IBotCommand, CustomerCommand>();
        services.AddSingleton<IBotCommand, SubscriptionCommand>();
        services.AddSingleton<IBotCommand, ResellerCommand>();
        services.AddSingleton<IBotCommand, ProfileCommand>();
        services.AddSingleton<IBotCommand, AlertCommand>();
        services.AddSingleton<IBotCommand, AlertsCommand>();
        services.AddSingleton<IBotCommand, SupportCommand>();
        services.AddSingleton<Bot.ICardActionHandler, QueryActionHandler>();
        return builder;
    }
}
