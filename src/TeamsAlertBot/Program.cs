using TeamsAlertBot.Alerts;
using TeamsAlertBot.Bot;
using TeamsAlertBot.Dashboard;
using TeamsAlertBot.Dashboard.Tab;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Diagnostics;
using TeamsAlertBot.Digest;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.Queries;
using TeamsAlertBot.State;
using TeamsAlertBot.Triage.Authorization;
using TeamsAlertBot.Webhooks;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddAlertBot();
builder.AddTriageAuthorization();
builder.AddStateStore();
builder.AddGraphDelegatedAccess();
builder.AddAlertPipeline();
builder.AddDigestAndSla();
builder.AddQueries();
builder.AddPartnerCenterWebhook();
builder.AddDashboard();
builder.AddHealth();
builder.AddTelemetry();
builder.AddDashboardTab();

WebApplication app = builder.Build();
app.UseDashboardTab();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapBotMessages();
app.MapGraphDelegatedConsent();
app.MapPartnerCenterWebhook();
app.MapDashboard();
app.MapHealth();
app.LogPlaygroundHint();
app.Run();

/// <summary>The host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
