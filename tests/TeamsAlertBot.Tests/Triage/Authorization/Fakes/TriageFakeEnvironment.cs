using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace TeamsAlertBot.Tests.Triage.Authorization.Fakes;

/// <summary>Just an environment name, for components that behave differently in Development.</summary>
internal sealed class TriageFakeEnvironment(string environmentName) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;

    public string ApplicationName { get; set; } = "TeamsAlertBot";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
