using System.Diagnostics;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>excl_trial.py's own unit tests (test_excl_trial.py next to this file), run with the real python3.</summary>
public sealed class PythonHelperTests
{
    [Fact]
    public async Task The_python_helpers_unit_tests_pass()
    {
        var info = new ProcessStartInfo("python3")
        {
            WorkingDirectory = Path.Combine(Programs.RepositoryRoot, "tests", "ExperimentCluster.EndToEnd.Tests", "Trials"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-m", "unittest", "-v", "test_excl_trial" })
            info.ArgumentList.Add(a);
        info.Environment["PYTHONPATH"] = Path.Combine(Programs.RepositoryRoot, "src", "python");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // no __pycache__ in the source folders
        using var python = new RunningProgram(Process.Start(info)!);

        var code = await python.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(code == 0, $"python3 -m unittest exited {code}:\n{python.Errors}");
        // unittest says "Ran 0 tests" and OK when the file cannot be found or imported as a test module.
        Assert.Matches(@"Ran [1-9]\d* tests", python.Errors);
    }
}
