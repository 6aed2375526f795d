using System.Runtime.InteropServices;

namespace ExperimentCluster.CommandTrials;

/// <summary>SIGTERM, which .NET's Process cannot send (Process.Kill is SIGKILL): a trial gets the chance to exit cleanly.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
            return;
        _ = Kill(pid, SigTerm);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
