using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Dashboard.Tab;

/// <summary>
/// Serves the dashboard tab (the built page in <c>wwwroot/tab</c>, source in <c>ClientApp</c>) at
/// <c>/tab/</c> with a strict Content-Security-Policy, and <c>/tab/settings.json</c>, the host origins the
/// page's teams-js accepts besides Microsoft's list.
/// </summary>
public static class TabHosting
{
    /// <summary>The path the page is served under (the manifest's tabs point here).</summary>
    public const string PathBase = "/tab";

    /// <summary>Binds and validates <see cref="TabOptions"/>.</summary>
    public static IHostApplicationBuilder AddDashboardTab(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TabOptions>()
            .BindConfiguration(TabOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Serves /tab/ (index.html, config.html, the bundle) and /tab/settings.json.</summary>
    public static WebApplication UseDashboardTab(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The anonymous local run (Development, no app registration: the dashboard API treats every request
        // as the local developer) lets the page work in a plain browser, outside Teams.
        bool localDevelopment = app.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(app.Configuration["AzureAd:ClientId"]);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(PathBase, StringComparison.OrdinalIgnoreCase),
            tab =>
            {
                tab.Use(async (context, next) =>
                {
                    TabOptions options = context.RequestServices.GetRequiredService<IOptions<TabOptions>>().Value;
                    IHeaderDictionary headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";
                    // The bundle's names carry no hash: revalidate every time (ETag), so a deployment is seen at once.
                    headers.CacheControl = "no-cache";
                    if (context.Request.Path.Equals(PathBase, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Response.Redirect(PathBase + "/" + context.Request.QueryString);
                        return;
                    }

                    if (context.Request.Path.Equals(PathBase + "/settings.json", StringComparison.OrdinalIgnoreCase))
                    {
                        await Results.Json(new TabSettings(options.AdditionalHostOrigins, localDevelopment)).ExecuteAsync(context);
                        return;
                    }

                    await next(context);
                });
                tab.UseDefaultFiles();
                tab.UseStaticFiles();
            });
        return app;
    }

    /// <summary>What the page reads from /tab/settings.json.</summary>
    private sealed record TabSettings(IReadOnlyList<string> HostOrigins, bool LocalDevelopment);
}
