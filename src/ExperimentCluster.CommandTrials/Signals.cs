using System.Runtime.InteropServices;

namespace ExperimentCluster.CommandTrials;

/// <summary>The signals .NET's Process cannot send (Process.Kill is SIGKILL): SIGTERM, so that a trial may exit cleanly,
/// and SIGSTOP/SIGCONT, to hold a trial still while its checkpoint folder is packed. Linux numbers.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
            return;
        _ = Kill(pid, SigTerm);
    }

    /// <summary>Stops the process until <see cref="Continue"/>; false where that is not possible.</summary>
    public static bool Pause(int pid) => OperatingSystem.IsLinux() && Kill(pid, SigStop) == 0;

    public static void Continue(int pid)
    {
        if (OperatingSystem.IsLinux())
            _ = Kill(pid, SigCont);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
