namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>A state with the shapes a run stores: a number, text, a list and a nested record.</summary>
public sealed class SampleState
{
    public int Epoch { get; set; }

    public string Note { get; set; } = "";

    public List<double> Losses { get; set; } = [];

    public SampleSpec? Spec { get; set; }
}
