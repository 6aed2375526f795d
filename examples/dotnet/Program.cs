// A user's own training program as a sweep's trial (see README.md): a one-hidden-layer ReLU network on iris, trained
// with mini-batch SGD. ExperimentCluster.Trial gives it the hyperparameters, the seed and the checkpoint folder, and
// prints the one JSON report per epoch that the cluster reads.
using System.Globalization;
using ExampleTrainer;
using ExperimentCluster.Trial;

double? lrArgument = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--lr" && i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lr))
        lrArgument = lr;
    else
    {
        Console.Error.WriteLine($"usage: ExampleTrainer [--lr NUMBER]; '{args[i]}' is not understood (a number must follow --lr)");
        return 2;
    }
    i++;
}

var trial = TrialContext.FromEnvironment();
var learningRate = lrArgument ?? trial.Double("learning_rate", 0.1); // --lr wins; the sweep passes both, equal
var batchSize = trial.Int("batch_size", 16);
var epochs = trial.MaxEpochs ?? 20;
var (train, validation) = IrisData.Load(Path.Combine(AppContext.BaseDirectory, "iris.csv"));

var (epoch, network) = trial.Restore<Network>();
network ??= Network.Create(inputs: 4, hidden: trial.Int("hidden", 16), classes: 3, seed: trial.Seed);
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"iris: {train.Labels.Length} train / {validation.Labels.Length} validation rows, lr {learningRate}, batch {batchSize}, seed {trial.Seed}, from epoch {epoch} to {epochs}"));

for (epoch++; epoch <= epochs; epoch++)
{
    // The batch order is drawn from (seed, epoch), not from a generator carried along: a resumed run repeats it exactly.
    var order = Enumerable.Range(0, train.Labels.Length).ToArray();
    new Random(unchecked((trial.Seed * 1_000_003) + epoch)).Shuffle(order);
    var losses = new List<double>();
    foreach (var batch in order.Chunk(batchSize))
        losses.Add(network.Step(batch.Select(i => train.Features[i]).ToArray(), batch.Select(i => train.Labels[i]).ToArray(), learningRate));
    // Far too high a rate drives the weights to Infinity and NaN: doubles do not throw, and the report prints them as
    // the bare tokens the protocol allows (the cluster ends the run as Diverged).
    var (valLoss, valAccuracy) = network.Evaluate(validation);
    trial.Report(epoch, new Dictionary<string, double>
    {
        ["train_loss"] = losses.Average(),
        ["val_loss"] = valLoss,
        ["val_accuracy"] = valAccuracy,
        ["lr"] = learningRate,
    }, checkpoint: network);
}
return 0;
