namespace ExperimentCluster.CommandTrials;

/// <summary>A silo's settings for command trials (configuration section "Experiments:Commands").</summary>
public sealed class CommandSettings
{
    /// <summary>Whether this silo runs the programs that command sweeps name. Off by default on a standalone silo (it runs
    /// code that whoever can submit sends); on for the silo that `excl run` embeds on the user's own machine.</summary>
    public bool Allow { get; set; }

    /// <summary>Seconds between SIGTERM and SIGKILL when a trial is stopped.</summary>
    public double KillGraceSeconds { get; set; } = 10;

    /// <summary>The largest packed checkpoint folder a trial may store, in bytes.</summary>
    public long MaxCheckpointBytes { get; set; } = 64L << 20;

    /// <summary>How much of each run's output is kept (the newest characters).</summary>
    public int LogChars { get; set; } = 256 * 1024;

    /// <summary>Where runs get their own folders (checkpoint folder, parameter file). Empty: the data folder's trials/.</summary>
    public string RunsFolder { get; set; } = "";

    /// <summary>The GPU ids this silo hands to trials that ask for `gpus` (made-up ids are fine for tests).</summary>
    public List<string> Gpus { get; set; } = [];

    public const string Section = "Experiments:Commands";

    public const string AllowSetting = Section + ":Allow";
}
