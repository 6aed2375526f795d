namespace ExperimentCluster.Grains;

/// <summary>Per-silo settings of the grains (bound from configuration section "Experiments").</summary>
public sealed class ExperimentOptions
{
    /// <summary>How many runs this silo trains at once; the rest wait as Queued. Default: the core count.</summary>
    public int TrainingSlots { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether sweeps on this silo move by themselves: wake their unfinished runs (timer and reminder) and start new
    /// ones (after an edit, a retry, a finished run). On in a cluster, so that runs of a dead silo continue elsewhere;
    /// off for read-only CLI commands on a data folder, so that `excl show` does not quietly resume an interrupted
    /// sweep, nor `excl edit` start runs in a process that ends a moment later.
    /// </summary>
    public bool AutoResume { get; set; } = true;

    /// <summary>How often a running sweep checks that its unfinished runs are alive (and wakes those that are not).</summary>
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The sweep's reminder, which brings a sweep back after its silo died. Orleans' minimum is one minute.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The folders a sweep's data files (CSV data sets, split files) may be read from; anything else is refused before it is
    /// opened. Empty here: the silo host adds its default (the data folder's datasets/), and with no roots at all only the
    /// built-in data sets can be used. Relative roots are relative to the silo's working folder.
    /// </summary>
    public List<string> DataRoots { get; set; } = [];

    /// <summary>The largest data file a sweep may read, in bytes.</summary>
    public long MaxDataFileBytes { get; set; } = Training.Data.DataFiles.DefaultMaxBytes;

    /// <summary>
    /// The folder where this silo unpacks uploaded code, one folder per code hash. Empty: the silo host's data folder +
    /// "/code"; a host that sets neither (a test) uses the temporary folder's excl-code/. One folder per silo: two silos
    /// must not share it. Relative to the silo's working folder.
    /// </summary>
    public string CodeCacheFolder { get; set; } = "";

    /// <summary>
    /// The largest uploaded code archive (compressed), in bytes; unpacked it may be up to
    /// <see cref="CommandTrials.Archives.FolderArchive.ExpansionFactor"/> times this. An archive travels in one grain
    /// message, so this stays under Orleans' message limit (100 MB).
    /// </summary>
    public long MaxCodeBytes { get; set; } = CommandTrials.Archives.CodeFolder.DefaultMaxBytes;

    /// <summary>
    /// A run of the built-in trainer takes a checkpoint at most this often while it trains, and after its last epoch; the
    /// epochs between are in its trajectory, and a run that resumes (after a crash, a pause, a move) trains the epochs since
    /// its last checkpoint again, to the same values. Epochs longer than this are each checkpointed; zero checkpoints every
    /// epoch. Why not every epoch by default: a checkpoint copies and hashes every parameter and moment, and storing it
    /// writes them (2.4 MB for a 512-512 network, whose epoch takes 50 ms here): that cost 18 % of the slots' time and
    /// halved a PostgreSQL cluster's throughput (`bench/cluster-bench.sh`). A command trial's program decides when it
    /// checkpoints; this does not apply to it.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this long between two writes of a sweep's state while only summaries change.</summary>
    public TimeSpan SweepFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Command trials: whether this silo runs them, their grace period, limits, folders and GPUs ("Experiments:Commands").</summary>
    public CommandTrials.CommandSettings Commands { get; set; } = new();
}
