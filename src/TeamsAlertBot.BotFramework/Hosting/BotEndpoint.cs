using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework.Authentication;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>
/// <c>POST /api/messages</c>: reads and checks the activity, runs the turn, writes the answer.
/// Bad input gets a 4xx, never a 500: 413 for an oversized body, 400 for malformed JSON or a missing
/// type, 401 for authentication failures, 403 for a tenant off the allow-list. Unknown activity types
/// get 200 and nothing is done (the bot decides). Invokes are answered within the configured budget.
/// </summary>
public sealed class BotEndpoint(
    IBot bot,
    ConnectorClient connector,
    ActivityAuthorizer authorizer,
    BotJsonOptions json,
    IOptions<BotFrameworkOptions> options,
    IOptions<BotIdentity> identity,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<BotEndpoint> logger,
    IReplyOutbox? replies = null)
{
    /// <summary>Handles one request to the messaging endpoint.</summary>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        BotFrameworkOptions settings = options.Value;
        int limit = settings.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            BotLog.BodyRefused(logger, "declared length over the limit");
            return Problem(StatusCodes.Status413PayloadTooLarge, "The activity is larger than this bot accepts.");
        }

        ReadOnlySequence<byte>? body = await ReadBoundedAsync(context.Request.BodyReader, limit, context.RequestAborted);
        if (body is null)
        {
            BotLog.BodyRefused(logger, "body over the limit");
            return Problem(StatusCodes.Status413PayloadTooLarge, "The activity is larger than this bot accepts.");
        }

        Activity? activity;
        bool validText;
        try
        {
            var reader = new Utf8JsonReader(body.Value);
            activity = JsonSerializer.Deserialize(ref reader, json.Get<Activity>());
            if (reader.Read())
            {
                throw new JsonException("Data follows the activity.");
            }

            validText = HoldsOnlyValidText(body.Value);
        }
        catch (JsonException)
        {
            BotLog.BodyRefused(logger, "malformed JSON");
            return Problem(StatusCodes.Status400BadRequest, "The request body is not a valid activity (malformed JSON).");
        }
        finally
        {
            context.Request.BodyReader.AdvanceTo(body.Value.End);
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            BotLog.BodyRefused(logger, "no activity type");
            return Problem(StatusCodes.Status400BadRequest, "The activity has no type.");
        }

        if (!validText)
        {
            BotLog.BodyRefused(logger, "text that is not valid Unicode");
            return Problem(StatusCodes.Status400BadRequest, "The activity holds text that is not valid Unicode (an unpaired surrogate).");
        }

        if (string.IsNullOrEmpty(activity.Conversation?.Id) && activity.Type is ActivityTypes.Message or ActivityTypes.Invoke or ActivityTypes.InstallationUpdate)
        {
            // The bot answers these in their conversation; without one there is nowhere to answer.
            BotLog.BodyRefused(logger, "no conversation id");
            return Problem(StatusCodes.Status400BadRequest, "The activity has no conversation id.");
        }

        bool authenticated = identity.Value.IsConfigured;
        ActivityAuthorizationFailure failure = authenticated
            ? authorizer.AuthorizeAuthenticated(context, activity)
            : authorizer.AuthorizeTenant(activity);
        if (failure != ActivityAuthorizationFailure.None)
        {
            BotLog.ActivityRefused(logger, failure, activity.Type, activity.ChannelId);
            return failure == ActivityAuthorizationFailure.TenantNotAllowed
                ? Problem(StatusCodes.Status403Forbidden, "This bot does not serve your tenant.")
                : Results.Unauthorized();
        }

        var turn = new TurnContext(activity, connector, authenticated, replies, settings.SendLimits.ReplyMaxWait);
        if (activity.Type != ActivityTypes.Invoke)
        {
            await RunTurnAsync(turn);
            return Results.Ok();
        }

        return await RunInvokeAsync(turn, settings.InvokeAnswerBudget);
    }

    private async Task RunTurnAsync(TurnContext turn)
    {
        try
        {
            await bot.OnTurnAsync(turn, lifetime.ApplicationStopping);
        }
        catch (ServiceUrlNotAllowedException e)
        {
            // The activity was genuine but names a service URL we do not talk to: nothing is sent.
            BotLog.ReplyNotSent(logger, e.Message);
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException)
        {
            // The turn's own work is done; only its answer could not be delivered. Teams would
            // redeliver the activity on a 5xx and repeat that work, so the failure is logged instead.
            BotLog.ReplyFailed(logger, e, turn.Activity.Type);
        }
        catch (Exception e) when (e is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // A bug, not bad input: a 500 would only make Teams send the same activity into it again.
            // The tests (the fuzz test above all) fail on this log entry, so it stays visible.
            BotLog.TurnFailed(logger, e, turn.Activity.Type);
        }
    }

    private async Task<IResult> RunInvokeAsync(TurnContext turn, TimeSpan budget)
    {
        // The turn runs on the application's lifetime, not the request's: when it outlasts the
        // budget the invoke is answered now and the work still completes.
        Task<InvokeResponse?> work = TurnAsync(turn);
        Task finished = await Task.WhenAny(work, Task.Delay(budget, time, lifetime.ApplicationStopping));
        InvokeResponse? response;
        if (finished == work)
        {
            try
            {
                response = await work;
            }
            catch (ServiceUrlNotAllowedException e)
            {
                BotLog.ReplyNotSent(logger, e.Message);
                response = bot.CreateInterimInvokeResponse(turn.Activity);
            }
            catch (Exception e) when (e is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                BotLog.TurnFailed(logger, e, turn.Activity.Type);
                response = bot.CreateFailureInvokeResponse(turn.Activity);
            }
        }
        else
        {
            BotLog.InvokeOverBudget(logger, turn.Activity.Name, budget.TotalMilliseconds);
            _ = work.ContinueWith(
                t => BotLog.BackgroundTurnFailed(logger, t.Exception!.GetBaseException(), turn.Activity.Type),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
            response = bot.CreateInterimInvokeResponse(turn.Activity);
        }

        if (response is null)
        {
            return Results.StatusCode(StatusCodes.Status501NotImplemented);
        }

        return response.Body is null
            ? Results.StatusCode(response.Status)
            : Results.Json(response.Body, json.Options, contentType: "application/json; charset=utf-8", statusCode: response.Status);
    }

    // Awaited inside, so a handler that throws before its first await still yields a faulted task.
    private async Task<InvokeResponse?> TurnAsync(TurnContext turn) => await bot.OnTurnAsync(turn, lifetime.ApplicationStopping);

    private static async Task<ReadOnlySequence<byte>?> ReadBoundedAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length > limit)
            {
                reader.AdvanceTo(result.Buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                return result.Buffer;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>
    /// False when an escaped string (<c>\ud800</c>) decodes to an unpaired surrogate. The activity
    /// itself may still deserialize (card data stays raw JSON), but reading such a value later throws,
    /// and it is not text anyone typed.
    /// </summary>
    private static bool HoldsOnlyValidText(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status);
}
