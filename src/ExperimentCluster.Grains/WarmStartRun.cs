using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// A finished run of an earlier sweep that this sweep took as history at submission (a warm start). Stored in the sweep's
/// own state, not re-read: the earlier sweep may be deleted or resumed later, and a restart must see the same history.
/// </summary>
public sealed class WarmStartRun
{
    /// <summary>The earlier sweep's id.</summary>
    public string Sweep { get; set; } = "";

    /// <summary>Its run number there.</summary>
    public int Run { get; set; }

    /// <summary>The run's values as this sweep's space names them, and its seed.</summary>
    public Dictionary<string, string> Config { get; set; } = [];

    public RunStatus Status { get; set; }

    public int Epochs { get; set; }

    public double? BestValLoss { get; set; }

    public double? FinalValLoss { get; set; }

    public double? FinalValAccuracy { get; set; }

    public int? DivergedAtEpoch { get; set; }
}
