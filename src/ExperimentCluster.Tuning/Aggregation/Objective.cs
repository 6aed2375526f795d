namespace ExperimentCluster.Tuning;

/// <summary>What a sweep's runs are ranked by, as the answer names it: the built-in trainer's validation loss, or a command
/// sweep's metric. Runs carry it as a loss (lower is better): a metric to maximise is carried negated, and shown as itself.</summary>
public sealed record Objective(string Name, bool Maximize)
{
    public static readonly Objective ValidationLoss = new("validation loss", false);

    /// <summary>What else a configuration's spread over its seeds takes in, said beside it ("each on its own validation
    /// rows"); null: the seeds' initialisations alone.</summary>
    public string? SeedsNote { get; init; }

    private bool IsValidationLoss => Name == ValidationLoss.Name && Maximize == ValidationLoss.Maximize;

    /// <summary>A value as the user reads it: the metric itself, not the negation the runs carry.</summary>
    public double Shown(double value) => Maximize ? -value : value;

    /// <summary>What a sentence calls a value: "value" for the validation loss (the rules' and strategies' texts always
    /// spoke of it so), else the metric's name.</summary>
    public string Label => IsValidationLoss ? "value" : Name;

    /// <summary>A carried value as the user reads it, to four significant digits.</summary>
    public string Number(double value) => Shown(value).ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A carried value in a sentence: the bare number for the validation loss, else named ("val_accuracy 0.8983"),
    /// so that a stop reason or an explanation never shows a maximised metric negated.</summary>
    public string Text(double value) => IsValidationLoss ? Number(value) : $"{Name} {Number(value)}";
}
