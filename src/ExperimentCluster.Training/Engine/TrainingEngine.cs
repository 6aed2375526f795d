using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Models;
using ExperimentCluster.Training.Numerics;
using ExperimentCluster.Training.Optimizers;
using ExperimentCluster.Training.Schedules;

namespace ExperimentCluster.Training.Engine;

/// <summary>
/// The training loop in the run's number type. One instance is one run; it is used from one thread at a time and
/// shares nothing mutable. Every number it computes depends only on the spec, the data and its own state, which
/// <see cref="CheckpointFormat"/> saves in full, so that a restored run continues with the same bits.
/// The per-step methods skip tier-0 JIT (AggressiveOptimization), as the kernels do: runs are short, and on a busy
/// machine the background promotion to optimized code can lag behind a whole run.
/// </summary>
internal sealed class TrainingEngine<T> : ITrainingEngine
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // Validation runs in chunks of this many rows, so small training batches do not make evaluation slow.
    private const int EvaluationRows = 256;

    private readonly TrainingSpec _spec;
    private readonly PreparedData<T> _data;
    private readonly MlpModel<T> _model;
    private readonly IOptimizer _optimizer;
    private readonly ISchedule _schedule;
    private readonly OptimizerState<T> _state;
    private readonly int[] _order;
    private readonly int[] _batchLabels;
    private readonly T[] _batchTargets;
    private Xoshiro256Generator _random;
    private int _epochsDone;
    private long _steps;
    private double _firstLoss = double.NaN;
    private TrainingStatus _status = TrainingStatus.Running;
    private Divergence? _divergence;
    private bool _broken;
    private CheckpointFormat.BestEpoch<T>? _best;
    private int _busy;

    public TrainingEngine(TrainingSpec spec, DataFiles files)
    {
        _spec = spec;
        _data = DatasetCache.Get<T>(spec, files);
        int[] sizes = [_data.Features, .. spec.HiddenWidths(), _data.Outputs];
        var capacity = Math.Max(spec.BatchSize, Math.Min(EvaluationRows, _data.ValRows));
        _model = new MlpModel<T>(sizes, ModelCatalog.CreateActivation(spec), ModelCatalog.CreateLoss(spec, _data.Classification), _data.Classification, capacity);
        _optimizer = OptimizerCatalog.Create(spec);
        _schedule = ScheduleCatalog.Create(spec);
        _state = new OptimizerState<T>(_optimizer.MomentBuffers, _model.ParameterCount);
        _order = new int[_data.TrainRows];
        _batchLabels = new int[capacity];
        _batchTargets = new T[capacity];
        _random = new Xoshiro256Generator(spec.Seed);
        _model.Initialize(_random);
    }

    public int EpochsDone => _epochsDone;

    public TrainingStatus Status => _status;

    public Divergence? Divergence => _divergence;

    /// <summary>The epoch whose weights the model holds: with patience, once the run has ended, its best epoch; else the last.</summary>
    public int ModelEpoch => _status == TrainingStatus.Completed && _best is { } best ? best.Epoch : _epochsDone;

    /// <summary>The lowest validation loss so far when the run has patience (the model's, once it has ended); else null.</summary>
    public double? BestValLoss => _best?.ValLoss;

    /// <summary>Mini-batches per epoch; the last one may be smaller (nothing is dropped).</summary>
    public int StepsPerEpoch => (_data.TrainRows + _spec.BatchSize - 1) / _spec.BatchSize;

    internal MlpModel<T> Model => _model;

    public EpochMetrics TrainEpoch(CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            if (_status != TrainingStatus.Running)
                throw new InvalidOperationException($"the run is {_status.ToString().ToLowerInvariant()}; there is no epoch left to train");
            try
            {
                return RunEpoch(cancellationToken);
            }
            catch
            {
                // Part of an epoch may have been applied (cancelled between steps, or a failure): the state matches no
                // checkpoint, so this trainer must not continue.
                _broken = true;
                throw;
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private EpochMetrics RunEpoch(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var epoch = _epochsDone + 1;
        var batchSize = _spec.BatchSize;
        var steps = StepsPerEpoch;
        var epochRate = _schedule.LearningRate(_steps, steps);

        // A fresh permutation each epoch, drawn from the saved generator: the order is not state of its own.
        for (var i = 0; i < _order.Length; i++) _order[i] = i;
        _random.Shuffle(_order);

        var lossSum = 0.0;
        var rowsSeen = 0;
        for (var b = 0; b < steps; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = b * batchSize;
            var rows = Math.Min(batchSize, _data.TrainRows - start);
            var batchLoss = TrainStep(_order.AsSpan(start, rows), _schedule.LearningRate(_steps, steps), guardGrowth: true, out var bad);
            lossSum += batchLoss * rows;
            rowsSeen += rows;
            if (bad is not null)
            {
                _divergence = new Divergence(epoch, _steps, batchLoss, bad);
                break;
            }
        }

        var (valLoss, valAccuracy) = Evaluate();
        if (_divergence is null && !double.IsFinite(valLoss))
            _divergence = new Divergence(epoch, _steps, valLoss, $"validation loss is {Describe(valLoss)}");
        _epochsDone = epoch;
        var outOfPatience = _divergence is null && _spec.Patience is { } patience && !Improved(epoch, valLoss) && epoch - _best!.Epoch >= patience;
        _status = _divergence is not null ? TrainingStatus.Diverged
            : _epochsDone >= _spec.Epochs || outOfPatience ? TrainingStatus.Completed
            : TrainingStatus.Running;
        // The model a run with patience leaves is its best epoch's, whether patience ended it or the epochs ran out.
        if (_status == TrainingStatus.Completed && _best is { } best && best.Epoch < epoch)
            best.Parameters.CopyTo(_model.Parameters, 0);
        return new EpochMetrics(epoch, lossSum / rowsSeen, valLoss, valAccuracy, epochRate, clock.Elapsed.TotalSeconds, _steps);
    }

    /// <summary>Whether <paramref name="valLoss"/> is the lowest so far; if so its weights are kept as the best epoch's.</summary>
    private bool Improved(int epoch, double valLoss)
    {
        if (_best is { } best && !(valLoss < best.ValLoss))
            return false;
        var parameters = _best?.Parameters ?? new T[_model.ParameterCount];
        _model.Parameters.AsSpan(0, _model.ParameterCount).CopyTo(parameters);
        _best = new CheckpointFormat.BestEpoch<T>(epoch, valLoss, parameters);
        return true;
    }

    /// <summary>One mini-batch: forward, loss, divergence guard, backward, clipping, update. Returns the batch's mean loss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double TrainStep(ReadOnlySpan<int> rows, double learningRate, bool guardGrowth, out string? divergence)
    {
        Gather(rows, _data.TrainX, _data.TrainLabels, _data.TrainTargets);
        _model.Forward(rows.Length);
        var loss = _model.Loss(rows.Length, _batchLabels, _batchTargets, withGradient: true) / rows.Length;
        _steps++;
        if (double.IsNaN(_firstLoss)) _firstLoss = loss;
        divergence = !double.IsFinite(loss) ? $"loss is {Describe(loss)}"
            : guardGrowth && loss > _spec.DivergenceFactor * _firstLoss ? string.Create(CultureInfo.InvariantCulture, $"loss {loss:G4} is above {_spec.DivergenceFactor:G4} times the first loss {_firstLoss:G4}")
            : null;
        if (divergence is not null) return loss;
        _model.Backward(rows.Length);
        var gradients = _model.Gradients.AsSpan(0, _model.ParameterCount);
        if (_spec.ClipNorm is { } clip) GradientClipping.Clip(gradients, clip);
        _optimizer.Step<T>(_model.Parameters.AsSpan(0, _model.ParameterCount), gradients, _state, learningRate);
        return loss;
    }

    /// <summary>Copies the chosen rows (features, labels or targets) into the model's input and the batch buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gather(ReadOnlySpan<int> rows, T[] x, int[] labels, T[] targets)
    {
        var features = _data.Features;
        var input = _model.Input;
        var stride = _model.InputStride;
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            x.AsSpan(row * features, features).CopyTo(input.Slice(r * stride, features));
            if (_data.Classification) _batchLabels[r] = labels[row];
            else _batchTargets[r] = targets[row];
        }
    }

    /// <summary>Mean validation loss and accuracy (null for regression), in fixed chunks and order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Loss, double? Accuracy) Evaluate()
    {
        var lossSum = 0.0;
        var correct = 0;
        for (var start = 0; start < _data.ValRows; start += _model.Capacity)
        {
            var rows = Math.Min(_model.Capacity, _data.ValRows - start);
            var features = _data.Features;
            var stride = _model.InputStride;
            var input = _model.Input;
            for (var r = 0; r < rows; r++)
            {
                var row = start + r;
                _data.ValX.AsSpan(row * features, features).CopyTo(input.Slice(r * stride, features));
                if (_data.Classification) _batchLabels[r] = _data.ValLabels[row];
                else _batchTargets[r] = _data.ValTargets[row];
            }
            _model.Forward(rows);
            lossSum += _model.Loss(rows, _batchLabels, _batchTargets, withGradient: false);
            if (_data.Classification) correct += _model.CountCorrect(rows, _batchLabels);
        }
        return (lossSum / _data.ValRows, _data.Classification ? (double)correct / _data.ValRows : null);
    }

    public byte[] SaveCheckpoint()
    {
        Enter();
        try
        {
            var snapshot = new CheckpointFormat.Snapshot<T>(_epochsDone, _steps, _firstLoss, _status, _divergence, _random.GetState(),
                _model.Parameters.AsSpan(0, _model.ParameterCount).ToArray(), _state.Steps, _state.Moments, _best);
            return CheckpointFormat.Write(_spec, snapshot);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Restore(byte[] checkpoint)
    {
        var snapshot = CheckpointFormat.Read<T>(_spec, checkpoint, _model.ParameterCount, _optimizer.MomentBuffers);
        snapshot.Parameters.CopyTo(_model.Parameters, 0);
        for (var b = 0; b < _state.Moments.Length; b++) snapshot.Moments[b].CopyTo(_state.Moments[b], 0);
        _state.Steps = snapshot.OptimizerSteps;
        _random = Xoshiro256Generator.FromState(snapshot.RandomState);
        _epochsDone = snapshot.EpochsDone;
        _steps = snapshot.Steps;
        _firstLoss = snapshot.FirstLoss;
        _status = snapshot.Status;
        _divergence = snapshot.Divergence;
        _best = snapshot.Best;
    }

    public TrainedModel ExportModel()
    {
        if (_divergence is { } diverged)
            throw new InvalidDataException($"the run diverged at epoch {diverged.Epoch} ({diverged.Reason}): its weights are no model to use");
        var layers = new TrainedLayer[_model.Layers];
        for (var l = 1; l <= _model.Layers; l++)
        {
            var (fanIn, fanOut, weights, biases) = (_model.Width(l - 1), _model.Width(l), _model.WeightOffset(l), _model.BiasOffset(l));
            var w = new double[fanIn][];
            for (var i = 0; i < fanIn; i++)
            {
                w[i] = new double[fanOut];
                for (var j = 0; j < fanOut; j++) w[i][j] = Written(_model.Parameters[weights + (i * fanOut) + j]);
            }
            var b = new double[fanOut];
            for (var j = 0; j < fanOut; j++) b[j] = Written(_model.Parameters[biases + j]);
            layers[l - 1] = new TrainedLayer(w, b);
        }
        if (layers.Any(layer => !layer.Biases.All(double.IsFinite) || !layer.Weights.All(row => row.All(double.IsFinite))))
            throw new InvalidDataException($"the weights after epoch {ModelEpoch} are not all finite numbers: there is no model to use");
        var classification = _data.Classification;
        return new TrainedModel(TrainedModel.CurrentFormat, ModelEpoch, classification ? "classification" : "regression",
            classification ? _data.Classes : null, _data.FeatureNames, _data.Scaler.Shift, _data.Scaler.Scale,
            _spec.Activation, _spec.Activation == "leaky_relu" ? _spec.LeakySlope : null, _spec.Activation == "elu" ? _spec.EluAlpha : null,
            classification ? "softmax" : "identity", classification ? null : _data.TargetShift, classification ? null : _data.TargetScale,
            layers) { ClassNames = _data.ClassNames, Categories = _data.Categories };
    }

    /// <summary>A float32 weight as the shortest decimal that reads back to the same float (1.480015, not 1.4800150394439697):
    /// the file is half the size, and a program that reads it as float32 gets the trained bits.</summary>
    private static double Written(T value) => value is float single
        ? double.Parse(single.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        : double.CreateChecked(value);

    public int[] RowOrder
    {
        get => (int[])_order.Clone();
        set
        {
            if (value.Length != _order.Length)
                throw new InvalidDataException($"a row order of {value.Length} rows does not fit {_order.Length} training rows");
            value.CopyTo(_order, 0);
        }
    }

    /// <summary>
    /// For the range test: trains one mini-batch at the given rate, reshuffling at each epoch start, and returns the
    /// batch loss before the update (NaN or infinity when it blew up; no update then).
    /// </summary>
    public double RangeStep(long step, double learningRate)
    {
        var batchSize = _spec.BatchSize;
        var steps = StepsPerEpoch;
        var b = (int)(step % steps);
        if (b == 0)
        {
            for (var i = 0; i < _order.Length; i++) _order[i] = i;
            _random.Shuffle(_order);
        }
        var start = b * batchSize;
        var rows = Math.Min(batchSize, _data.TrainRows - start);
        // The range test watches the loss itself; only a non-finite loss skips the update here.
        return TrainStep(_order.AsSpan(start, rows), learningRate, guardGrowth: false, out _);
    }

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("a trainer is used from one thread at a time");
        if (_broken)
        {
            Volatile.Write(ref _busy, 0);
            throw new InvalidOperationException("an epoch of this trainer was cancelled part-way; restore it from its last checkpoint");
        }
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "infinite" : value.ToString("G4", CultureInfo.InvariantCulture);
}
