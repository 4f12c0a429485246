using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Whether the alert pipeline (poller, dispatcher, triage) runs on this deployment, and if not, which
/// settings keep it off. Decided once from configuration at start; commands, <c>status</c> and the
/// start-up log all tell the same story from it.
/// </summary>
public sealed class AlertPipelineState
{
    private AlertPipelineState(IReadOnlyList<PipelineOffReason> offReasons, bool hasRedis)
    {
        OffReasons = offReasons;
        HasRedis = hasRedis;
    }

    /// <summary>Empty when the pipeline runs.</summary>
    public IReadOnlyList<PipelineOffReason> OffReasons { get; }

    /// <summary>True when the pipeline runs here.</summary>
    public bool Runs => OffReasons.Count == 0;

    /// <summary>True when its state is in Redis (shared); false when in memory (one instance only).</summary>
    public bool HasRedis { get; }

    /// <summary>
    /// On when the bot has an identity (<c>AzureAd:ClientId</c>) and Redis, and with the demo tenant
    /// (<c>Demo:Enabled</c>); <c>Alerts:Enabled=true</c> forces it on (a delegated or test token source,
    /// or one instance with its state in memory), <c>false</c> forces it off. Without Redis it is never
    /// on merely because an identity is set: a deployment of several instances has one.
    /// </summary>
    public static AlertPipelineState From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        bool hasIdentity = !string.IsNullOrWhiteSpace(config["AzureAd:ClientId"]);
        bool hasRedis = !string.IsNullOrWhiteSpace(config[$"{RedisOptions.SectionName}:ConnectionString"]);
        bool? enabled = config.GetValue<bool?>($"{AlertPipelineOptions.SectionName}:Enabled");
        List<PipelineOffReason> reasons = [];
        if (enabled == false)
        {
            reasons.Add(new PipelineOffReason($"{AlertPipelineOptions.SectionName}:Enabled", TurnedOff: true));
        }
        else if (enabled != true && !Demo.DemoOptions.IsEnabled(config))
        {
            if (!hasIdentity)
            {
                reasons.Add(new PipelineOffReason("AzureAd:ClientId", TurnedOff: false));
            }

            if (!hasRedis)
            {
                reasons.Add(new PipelineOffReason($"{RedisOptions.SectionName}:ConnectionString", TurnedOff: false));
            }
        }

        return new AlertPipelineState(reasons, hasRedis);
    }

    /// <summary>The reasons in one line for logs (English, setting names).</summary>
    public string Describe() =>
        string.Join("; ", OffReasons.Select(r => r.TurnedOff ? $"{r.Setting} is false" : $"{r.Setting} is not set"))
        + (HasRedis ? string.Empty : " (or set Alerts:Enabled=true to run one instance with its state in memory)");
}
