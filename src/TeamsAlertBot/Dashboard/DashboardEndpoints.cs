using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Localization;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Triage;
using TeamsAlertBot.Triage.Authorization;
using TeamsAlertBot.Triage.Bulk;

namespace TeamsAlertBot.Dashboard;

/// <summary>The caller of a dashboard request: who, and what the card roles allow them.</summary>
public sealed record DashboardCaller(string ObjectId, string Name, string? TenantId, bool CanTriage, bool CanMitigate, string Language);

/// <summary>The dashboard tab's API, <c>/api/dashboard/*</c> (contract: docs/dashboard.md).</summary>
public static partial class DashboardEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex AlertIdPattern();

    /// <summary>Maps every endpoint behind the dashboard's own token scheme and policy.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder api = endpoints.MapGroup("/api/dashboard").RequireAuthorization(DashboardAuthenticationDefaults.Policy).DisableAntiforgery();
        api.MapGet("/me", MeAsync);
        api.MapGet("/alerts", AlertsAsync);
        api.MapGet("/alerts.csv", CsvAsync);
        api.MapGet("/alerts/{id}", AlertAsync);
        api.MapGet("/customers/{tenantId}", CustomerAsync);
        api.MapPost("/bulk", ProposeAsync);
        api.MapPost("/bulk/{proposalId}/confirm", ConfirmAsync);
        api.MapGet("/bulk/runs/{runId}", RunAsync);
        api.MapGet("/events", EventsAsync);
        api.MapGet("/score", ScoreAsync);
        return endpoints;
    }

    /// <summary>The caller from the validated token (<c>oid</c>, <c>name</c>/<c>preferred_username</c>, <c>tid</c>) and the card roles.</summary>
    internal static async Task<DashboardCaller> CallerAsync(HttpContext context, ITriageAuthorizer authorizer, IConfiguration configuration)
    {
        ClaimsPrincipal user = context.User;
        string objectId = user.FindFirstValue(DashboardAuthenticationDefaults.ObjectIdClaim) ?? string.Empty;
        string name = user.FindFirstValue("name") ?? user.FindFirstValue("preferred_username") ?? objectId;
        string? tenantId = user.FindFirstValue(DashboardAuthenticationDefaults.TenantIdClaim);
        var actor = new TriageActor(objectId, objectId, name, tenantId, null, null);
        CancellationToken ct = context.RequestAborted;
        Task<TriageDecision> triage = authorizer.AuthorizeAsync(actor, TriageRole.Triage, ct);
        Task<TriageDecision> mitigate = authorizer.AuthorizeAsync(actor, TriageRole.Mitigate, ct);
        return new DashboardCaller(objectId, name, tenantId, (await triage).IsAllowed, (await mitigate).IsAllowed, Language(context, configuration));
    }

    /// <summary><c>?lang=</c>, else the first of <c>Accept-Language</c> that is English or Japanese, else the bot's default.</summary>
    internal static string Language(HttpContext context, IConfiguration configuration)
    {
        string? asked = context.Request.Query["lang"].ToString();
        if (asked is "en" or "ja")
        {
            return asked;
        }

        foreach (string part in context.Request.Headers.AcceptLanguage.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string tag = part.Split(';')[0].ToLowerInvariant();
            if (tag.StartsWith("ja", StringComparison.Ordinal))
            {
                return "ja";
            }

            if (tag.StartsWith("en", StringComparison.Ordinal))
            {
                return "en";
            }
        }

        return configuration["TeamsAlertBot:DefaultLanguage"] == "ja" ? "ja" : "en";
    }

    private static async Task<IResult> MeAsync(HttpContext context, ITriageAuthorizer authorizer, IConfiguration configuration)
    {
        DashboardCaller caller = await CallerAsync(context, authorizer, configuration);
        return Results.Json(new { name = caller.Name, objectId = caller.ObjectId, canTriage = caller.CanTriage, canMitigate = caller.CanMitigate, language = caller.Language }, Json);
    }

    private static async Task<IResult> AlertsAsync(HttpContext context, DashboardAlerts alerts)
    {
        (AlertListQuery? query, string? error) = AlertListQuery.From(context.Request.Query);
        if (query is null)
        {
            return Results.Problem(statusCode: 400, title: "bad query", detail: error);
        }

        IReadOnlyList<DashboardAlertItem> items;
        try
        {
            items = await alerts.QueryAsync(query, context.RequestAborted);
        }
        catch (GraphException)
        {
            return GraphUnavailable();
        }

        return Results.Json(
            new
            {
                total = items.Count,
                totals = new
                {
                    bySeverity = items.GroupBy(i => i.Severity).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                    byStatus = items.GroupBy(i => i.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                },
                items = items.Skip(query.Skip).Take(query.Top),
            },
            Json);
    }

    private static async Task<IResult> CsvAsync(HttpContext context, DashboardAlerts alerts)
    {
        (AlertListQuery? query, string? error) = AlertListQuery.From(context.Request.Query);
        if (query is null)
        {
            return Results.Problem(statusCode: 400, title: "bad query", detail: error);
        }

        try
        {
            string csv = DashboardCsv.Write(await alerts.QueryAsync(query, context.RequestAborted));
            // With a byte order mark, so spreadsheet programs read the Japanese names as UTF-8.
            return Results.File(Encoding.UTF8.GetBytes("\uFEFF" + csv), "text/csv; charset=utf-8", "alerts.csv");
        }
        catch (GraphException)
        {
            return GraphUnavailable();
        }
    }

    private static async Task<IResult> AlertAsync(string id, HttpContext context, DashboardAlerts alerts, IServiceProvider services, TimeProvider time, IConfiguration configuration)
    {
        if (!AlertIdPattern().IsMatch(id))
        {
            return Results.Problem(statusCode: 404, title: "no such alert");
        }

        DashboardAlert? alert;
        try
        {
            alert = await alerts.GetAsync(id, context.RequestAborted);
        }
        catch (GraphException)
        {
            return GraphUnavailable();
        }

        if (alert is null)
        {
            return Results.Problem(statusCode: 404, title: "no such alert");
        }

        PartnerSecurityAlert a = alert.Alert;
        IReadOnlyList<AuditEntry> audit = services.GetService<ITriageLedger>() is { } ledger ? await ledger.ReadAuditAsync(id) : [];
        IReadOnlyList<AlertCardPost> cards = services.GetService<IAlertLedger>() is { } cardLedger ? await cardLedger.ListCardsAsync(id) : [];
        string? tenantId = configuration["AzureAd:TenantId"];
        string language = Language(context, configuration);
        QueryTexts history = QueryTexts.For(language);
        object? checklist = services.GetService<IResponseChecklistLedger>() is { } checklists
            ? Checklist(await checklists.GetAsync(id), a.AlertType, language)
            : null;
        return Results.Json(
            new
            {
                alert = Detail(alerts.Item(alert, time.GetUtcNow()), a),
                graphHistory = (a.ActivityLogs ?? [])
                    .OrderBy(l => l.UpdatedDateTime)
                    .Select(l => new { at = l.UpdatedDateTime, by = l.UpdatedBy, status = l.StatusTo is { } to ? DashboardAlerts.StatusName(to) : null, fromStatus = l.StatusFrom is { } from ? DashboardAlerts.StatusName(from) : null }),
                // The stored words for programs, and the same worded for the reader (as `alert <id>` shows them).
                audit = audit.Select(e => new
                {
                    at = e.At, by = e.ActorName, action = e.Action, outcome = e.Outcome, comment = e.Comment,
                    actionText = history.HistoryAction(e.Action), outcomeText = history.HistoryOutcome(e.Outcome),
                }),
                checklist,
                cards = cards.Select(c => new { conversationName = (string?)null, deepLink = DeepLink(c, tenantId) }),
            },
            Json);
    }

    /// <summary>The guided response's checklist of the alert's verdict (steps in the reader's language, who ticked each and when); null before a verdict with one.</summary>
    private static object? Checklist(ResponseChecklistState state, string? alertType, string language)
    {
        if (state.Progress(alertType) is not { } progress)
        {
            return null;
        }

        ResponseTexts texts = ResponseTexts.For(language);
        return new
        {
            done = progress.Done,
            total = progress.Total,
            steps = ResponseChecklist.For(progress.Verdict, alertType).Select(item =>
            {
                ResponseTick? tick = item == ResponseItem.CancelSubscription && state.Cancellation is { } cancelled
                    ? cancelled
                    : state.Ticks.TriageVersion == state.Triage.Version && state.Ticks.Ticks.TryGetValue(item, out ResponseTick? ticked) ? ticked : null;
                return new { text = texts.Step(item), doneBy = tick?.ActorName, doneAt = tick?.At };
            }),
        };
    }

    private static async Task<IResult> CustomerAsync(string tenantId, HttpContext context, DashboardAlerts alerts, IServiceProvider services, TimeProvider time)
    {
        if (!Guid.TryParse(tenantId, out _))
        {
            return Results.Problem(statusCode: 404, title: "no such customer");
        }

        IReadOnlyList<DashboardAlert> all;
        try
        {
            all = await alerts.ListAsync(includeResolved: true, context.RequestAborted);
        }
        catch (GraphException)
        {
            return GraphUnavailable();
        }

        DateTimeOffset now = time.GetUtcNow();
        DashboardAlert[] mine = [.. all.Where(a => string.Equals(a.Alert.CustomerTenantId, tenantId, StringComparison.OrdinalIgnoreCase))];
        DashboardAlertItem[] items = [.. mine.Select(a => alerts.Item(a, now)).OrderByDescending(i => i.DetectedAt)];
        AlertEnrichment? known = mine.Select(a => a.Enrichment).FirstOrDefault(e => e.CustomerName is not null) ?? mine.FirstOrDefault()?.Enrichment;
        string? name = known?.CustomerName, domain = known?.CustomerDomain, reseller = known?.ValueAddedResellerName;
        if (known is null)
        {
            PartnerCenterCustomer? customer = null;
            try
            {
                customer = services.GetService<IPartnerCenterClient>() is { } partnerCenter ? await partnerCenter.GetCustomerAsync(tenantId, context.RequestAborted) : null;
            }
            catch (PartnerCenterException)
            {
                // Unknown stays unknown.
            }

            if (customer is null)
            {
                return Results.Problem(statusCode: 404, title: "no such customer");
            }

            (name, domain) = (customer.CompanyProfile?.CompanyName, customer.CompanyProfile?.Domain);
        }

        return Results.Json(
            new
            {
                customer = new { tenantId, name, domain, reseller },
                open = items.Count(i => i.Status is "active" or "investigating"),
                decided = items.Count(i => i.Verdict is not null),
                alerts = items,
            },
            Json);
    }

    private static async Task<IResult> ProposeAsync(HttpContext context, ITriageAuthorizer authorizer, IConfiguration configuration, IServiceProvider services, IOptions<DashboardOptions> options)
    {
        DashboardCaller caller = await CallerAsync(context, authorizer, configuration);
        if (!caller.CanTriage)
        {
            return Results.Problem(statusCode: 403, title: "the triage role is needed");
        }

        if (services.GetService<BulkTriageService>() is not { } bulk)
        {
            return BulkNeedsRedis();
        }

        (TriageVerdict? verdict, string[]? ids, string? error) = await ReadBulkAsync(context, Math.Min(options.Value.MaxBulkAlerts, BulkSelection.MaxAlertIds));
        if (verdict is not { } chosen || ids is null)
        {
            return Results.Problem(statusCode: 400, title: "bad bulk request", detail: error);
        }

        // The same service as the cards' bulk buttons: the alerts as Graph has them now, only open ones,
        // none whose single-triage claim is in flight. No progress card: the page follows the run.
        BulkProposal proposal;
        try
        {
            proposal = await bulk.ProposeAsync(
                new BulkActor(caller.Name, caller.ObjectId), BulkSelection.Ids(ids), chosen, BulkOrigin.None(caller.Language), context.RequestAborted);
        }
        catch (GraphException)
        {
            return GraphUnavailable();
        }

        if (proposal.Count == 0)
        {
            return Results.Problem(statusCode: 409, title: "nothing to decide", detail: "None of these alerts is open and free to decide.");
        }

        return Results.Json(new { proposalId = proposal.Id, count = proposal.Count, verdict = chosen.ToString().ToLowerInvariant(), needsConfirmation = true }, Json);
    }

    private static async Task<IResult> ConfirmAsync(string proposalId, HttpContext context, ITriageAuthorizer authorizer, IConfiguration configuration, IServiceProvider services)
    {
        DashboardCaller caller = await CallerAsync(context, authorizer, configuration);
        if (!caller.CanTriage)
        {
            return Results.Problem(statusCode: 403, title: "the triage role is needed");
        }

        if (services.GetService<BulkTriageService>() is not { } bulk)
        {
            return BulkNeedsRedis();
        }

        if (!AlertIdPattern().IsMatch(proposalId))
        {
            return Results.Problem(statusCode: 404, title: "no such proposal");
        }

        // Only the person who proposed it confirms it: the count they were shown is theirs.
        BulkConfirmation confirmation = await bulk.ConfirmAsync(proposalId, new BulkActor(caller.Name, caller.ObjectId));
        return confirmation.Outcome switch
        {
            BulkConfirmOutcome.Started => Results.Json(new { runId = confirmation.Run!.Id }, Json, statusCode: StatusCodes.Status202Accepted),
            BulkConfirmOutcome.Busy => Results.Json(
                new
                {
                    busy = true,
                    runningBy = confirmation.Active?.Run.ActorName,
                    progress = confirmation.Active is { } active ? new { updated = active.Progress.Updated, total = active.Progress.Total } : null,
                },
                Json,
                statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem(statusCode: 404, title: "no such proposal", detail: "It expired, was confirmed already, or is someone else's."),
        };
    }

    private static async Task<IResult> RunAsync(string runId, IServiceProvider services)
    {
        if (services.GetService<BulkTriageService>() is not { } bulk)
        {
            return BulkNeedsRedis();
        }

        if (!AlertIdPattern().IsMatch(runId) || await bulk.GetRunAsync(runId) is not { } status)
        {
            return Results.Problem(statusCode: 404, title: "no such run");
        }

        BulkProgress progress = status.Progress;
        return Results.Json(
            new
            {
                total = progress.Total,
                updated = progress.Updated,
                skipped = progress.Skipped,
                failed = progress.Failed.Select(f => new { alertId = f.AlertId, reason = f.Reason }),
                done = progress.Done,
            },
            Json);
    }

    private static async Task EventsAsync(HttpContext context, AlertChangeFeed feed, IOptions<DashboardOptions> options, TimeProvider time)
    {
        using EventSubscription? stream = feed.TryOpen();
        if (stream is null)
        {
            await Results.Problem(statusCode: 503, title: "too many live streams", detail: "Try again later.").ExecuteAsync(context);
            return;
        }

        CancellationToken aborted = context.RequestAborted;
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync(": connected\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            Task<bool> readable = stream.Reader.WaitToReadAsync(aborted).AsTask();
            while (!aborted.IsCancellationRequested)
            {
                using var pingTimer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                Task ping = Task.Delay(options.Value.PingInterval, time, pingTimer.Token);
                if (await Task.WhenAny(readable, ping) == ping)
                {
                    await ping;
                    await response.WriteAsync(": ping\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                await pingTimer.CancelAsync();
                if (!await readable)
                {
                    return;
                }

                var text = new StringBuilder();
                while (stream.Reader.TryRead(out DashboardEvent? evt))
                {
                    text.Append("event: ").Append(evt.Name).Append('\n').Append("data: ").Append(evt.Data).Append("\n\n");
                }

                await response.WriteAsync(text.ToString(), aborted);
                await response.Body.FlushAsync(aborted);
                readable = stream.Reader.WaitToReadAsync(aborted).AsTask();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task<IResult> ScoreAsync(HttpContext context, DashboardScore score) =>
        Results.Json(await score.ReadAsync(context.RequestAborted), Json);

    private static async Task<(TriageVerdict? Verdict, string[]? Ids, string? Error)> ReadBulkAsync(HttpContext context, int max)
    {
        if (context.Request.ContentLength is > 256 * 1024)
        {
            return (null, null, "the body is too large");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, null, "the body is not JSON");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("verdict", out JsonElement verdictElement) || verdictElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("alertIds", out JsonElement idsElement) || idsElement.ValueKind != JsonValueKind.Array)
            {
                return (null, null, "expected { \"verdict\": \"legitimate|fraud|ignore|investigating\", \"alertIds\": [ … ] }");
            }

            TriageVerdict? verdict = verdictElement.GetString() switch
            {
                "legitimate" => TriageVerdict.Legitimate,
                "fraud" => TriageVerdict.Fraud,
                "ignore" => TriageVerdict.Ignore,
                "investigating" => TriageVerdict.Investigating,
                _ => null,
            };
            if (verdict is null)
            {
                return (null, null, "verdict must be legitimate, fraud, ignore or investigating");
            }

            int count = idsElement.GetArrayLength();
            if (count == 0 || count > max)
            {
                return (null, null, $"alertIds must hold 1 to {max} ids");
            }

            List<string> ids = [];
            foreach (JsonElement id in idsElement.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || id.GetString() is not { } text || !BulkSelection.IsAlertId(text))
                {
                    return (null, null, "every alert id must be a string of letters, digits and . _ -");
                }

                ids.Add(text);
            }

            return (verdict, [.. ids.Distinct(StringComparer.Ordinal)], null);
        }
    }

    /// <summary>A Teams link to the card message (in its thread, when it is a reply).</summary>
    internal static string DeepLink(AlertCardPost card, string? tenantId)
    {
        ArgumentNullException.ThrowIfNull(card);
        string conversation = card.CardConversationId;
        int thread = conversation.IndexOf(";messageid=", StringComparison.Ordinal);
        string channel = thread >= 0 ? conversation[..thread] : conversation;
        string parent = thread >= 0 ? conversation[(thread + ";messageid=".Length)..] : card.ActivityId;
        var link = new StringBuilder("https://teams.microsoft.com/l/message/")
            .Append(Uri.EscapeDataString(channel)).Append('/').Append(Uri.EscapeDataString(card.ActivityId))
            .Append("?parentMessageId=").Append(Uri.EscapeDataString(parent));
        if (!string.IsNullOrEmpty(tenantId))
        {
            link.Append("&tenantId=").Append(Uri.EscapeDataString(tenantId));
        }

        return link.ToString();
    }

    /// <summary>An alert's detail: the list item's fields, and the title, description and resources Graph gives.</summary>
    private static System.Text.Json.Nodes.JsonObject Detail(DashboardAlertItem item, PartnerSecurityAlert alert)
    {
        var detail = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(item, Json)!;
        detail["title"] = alert.DisplayName;
        detail["description"] = alert.Description;
        detail["affectedResources"] = JsonSerializer.SerializeToNode(
            (alert.AffectedResources ?? []).Select(r => new { resourceId = r.ResourceId, resourceType = r.ResourceType }), Json);
        return detail;
    }

    // Both answer 503; the page tells them apart by "code" and words each in its reader's language.
    private static IResult GraphUnavailable() =>
        Results.Problem(
            statusCode: 503, title: "Microsoft Graph is unavailable", detail: "The alert list could not be read; try again shortly.",
            extensions: new Dictionary<string, object?> { ["code"] = "graph-unavailable" });

    private static IResult BulkNeedsRedis() =>
        Results.Problem(
            statusCode: 503, title: "bulk runs need Redis",
            detail: "Bulk runs are claimed and resumed through Redis; this deployment keeps the alert pipeline's state in memory (set Redis:ConnectionString).",
            extensions: new Dictionary<string, object?> { ["code"] = "bulk-needs-redis" });
}

