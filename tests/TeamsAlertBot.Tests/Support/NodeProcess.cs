using System.ComponentModel;
using System.Diagnostics;

namespace TeamsAlertBot.Tests.Support;

/// <summary>Runs a Node script from tests/js and collects its output.</summary>
internal static class NodeProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Describe() =>
            $"exit code {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}--- stderr ---{Environment.NewLine}{StandardError}";
    }

    /// <summary>Fails the test (never skips it) when the npm packages the tests need are not installed.</summary>
    public static void RequireInstalledPackages()
    {
        string library = Path.Combine(RepoPaths.TestsJs, "node_modules", "adaptivecards", "dist", "adaptivecards.js");
        Assert.True(
            File.Exists(library),
            $"The Node test tools are not installed ({library} is missing). Run the README's test command (./build/test.sh), or `npm ci --prefix tests/js` in {RepoPaths.Root}, then run the tests again.");
    }

    public static async Task<Result> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.TestsJs,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.TestsJs, script));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Node.js (`node`, version 20 or later) must be on PATH to validate cards: {e.Message}");
            throw;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The run was aborted: do not leave the child behind.
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new Result(process.ExitCode, await stdout, await stderr);
        }
    }
}
