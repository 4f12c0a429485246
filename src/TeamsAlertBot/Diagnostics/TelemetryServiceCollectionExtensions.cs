using Azure.Monitor.OpenTelemetry.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Diagnostics;

namespace TeamsAlertBot.Diagnostics;

/// <summary>
/// OpenTelemetry: the bot's spans and metrics (<see cref="BotTelemetry"/>), ASP.NET Core and HttpClient
/// instrumentation (the Graph, Partner Center, Entra and connector calls; the Azure Monitor distro brings
/// its own when it is on), and logs with their scopes.
/// Exported through OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (an environment variable or any
/// configuration key of that name; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> picks <c>grpc</c> or
/// <c>http/protobuf</c>), and to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>
/// is set. Neither set: nothing is collected for export.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The OTLP endpoint setting (the OpenTelemetry SDK's own name).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The Application Insights connection string setting (Azure's own name).</summary>
    public const string ApplicationInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Adds OpenTelemetry with the exporters the configuration names, and the backlog gauge.</summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IConfiguration config = builder.Configuration;
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (AlertsServiceCollectionExtensions.PipelineRuns(config))
        {
            builder.Services.AddHostedService<BacklogGauge>();
        }

        bool otlp = !string.IsNullOrWhiteSpace(config[OtlpEndpointKey]);
        bool azureMonitor = !string.IsNullOrWhiteSpace(config[ApplicationInsightsKey]);
        if (!otlp && !azureMonitor)
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            // Scopes carry the alert and conversation ids of the work a line was written for.
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
        });

        // Options, not an argument: the Azure Monitor distro registers the instrumentation itself and reads them too.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path));
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(BotTelemetry.Name))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BotTelemetry.Name);
                if (!azureMonitor)
                {
                    tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BotTelemetry.Name);
                if (!azureMonitor)
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
            });
        if (otlp)
        {
            // Endpoint, protocol, headers and export intervals come from the OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitor(options => options.ConnectionString = config[ApplicationInsightsKey]);
        }

        return builder;
    }

    /// <summary>Health probes run every few seconds: a span each would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase);
}
