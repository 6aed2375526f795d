using System.Diagnostics;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>excl run the way a script or CI runs it: standard input a pipe, never a terminal.</summary>
public static class NoTerminal
{
    /// <summary>excl with its standard input a pipe (no terminal), as in a script or CI.</summary>
    public static async Task<(int Code, string Out, string Err)> ExclAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Programs.TempFolder(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Programs.Excl);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        // A "y" waiting on the pipe must not count as an answer: only --yes does.
        await process.StandardInput.WriteLineAsync("y");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await errors);
    }
}
