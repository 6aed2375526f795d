using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Engine;

namespace ExperimentCluster.Training;

/// <summary>
/// Smith's learning-rate range test as a run: the rate grows exponentially per mini-batch from the minimum to the maximum,
/// the loss is smoothed, and the test stops when the smoothed loss explodes. It uses the spec's data, model, optimizer
/// (with its moments), batch size and seed; the spec's own rate and schedule are ignored. It advances in chunks of a
/// few mini-batches (at most about 100 chunks), each ending in a checkpoint, so a test killed part-way continues with
/// exactly the numbers of one never interrupted. When it ends, <see cref="LrRangeRule"/> reads the curve.
/// </summary>
public sealed class LrRangeTestTrainer : IRunTrainer
{
    /// <summary>The run kind a strategy names to ask for a range test.</summary>
    public const string Kind = "lr_range_test";

    // fastai's smoothing: an exponential moving average, bias-corrected so the first points are not pulled to zero.
    private const double Smoothing = 0.98;

    // The curve counts as exploded once the smoothed loss is this many times its best value.
    private const double ExplosionFactor = 4;

    // Chunks per test: each is a stored checkpoint and a report, so a long test is cut into this many, not one per step.
    private const int TargetChunks = 100;

    private static readonly byte[] Magic = "EXCLLRRT"u8.ToArray();
    private const int FormatVersion = 1;

    private readonly ITrainingEngine _engine;
    private readonly LrRangeTestSettings _settings;
    private readonly int _stepsPerChunk;
    private readonly List<LrRangePoint> _points;
    private int _step;
    private double _average;
    private double _best = double.PositiveInfinity;
    private string? _stop;
    private (double Rate, string Reason)? _reading;

    private LrRangeTestTrainer(ITrainingEngine engine, LrRangeTestSettings settings)
    {
        _engine = engine;
        _settings = settings;
        _stepsPerChunk = Math.Max(1, (settings.Steps + TargetChunks - 1) / TargetChunks);
        _points = new List<LrRangePoint>(settings.Steps);
    }

    public int ChunksDone => (_step + _stepsPerChunk - 1) / _stepsPerChunk;

    public int Chunks => (_settings.Steps + _stepsPerChunk - 1) / _stepsPerChunk;

    public TrainingStatus Status => _stop is null ? TrainingStatus.Running : TrainingStatus.Completed;

    public Divergence? Divergence => null;

    public IReadOnlyList<LrRangePoint> Points => _points;

    public double? Result => Reading() is { } r && double.IsFinite(r.Rate) ? r.Rate : null;

    public string? ResultNote => Reading() is { } r ? $"{r.Reason}; stopped because {_stop}" : null;

    /// <summary>A fresh test, or one continued from <paramref name="checkpoint"/>; the spec is validated against its data.</summary>
    public static LrRangeTestTrainer Create(TrainingSpec spec, LrRangeTestSettings settings, byte[]? checkpoint = null, DataFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Check();
        files ??= DataFiles.None;
        spec.Validate(files);
        var trainer = new LrRangeTestTrainer(TrainingEngineFactory.Create(spec, files), settings);
        if (checkpoint is not null)
            trainer.Restore(checkpoint);
        return trainer;
    }

    public EpochMetrics TrainChunk(CancellationToken cancellationToken)
    {
        if (_stop is not null)
            throw new InvalidOperationException("the range test has ended; there is no chunk left to train");
        var clock = Stopwatch.StartNew();
        var end = Math.Min(_settings.Steps, _step + _stepsPerChunk);
        var rate = double.NaN;
        while (_step < end && _stop is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rate = _settings.MinRate * Math.Pow(_settings.MaxRate / _settings.MinRate, (double)_step / (_settings.Steps - 1));
            var loss = _engine.RangeStep(_step, rate);
            _step++;
            if (!double.IsFinite(loss))
            {
                _stop = $"the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at rate {LrRangeRule.Format(rate)}";
                break;
            }
            _average = (Smoothing * _average) + ((1 - Smoothing) * loss);
            var smoothed = _average / (1 - Math.Pow(Smoothing, _points.Count + 1));
            _points.Add(new LrRangePoint(rate, loss, smoothed));
            _best = Math.Min(_best, smoothed);
            if (_points.Count > 1 && smoothed > ExplosionFactor * _best)
                _stop = $"the smoothed loss exceeded {ExplosionFactor} times its minimum at rate {LrRangeRule.Format(rate)}";
        }
        if (_stop is null && _step >= _settings.Steps)
            _stop = $"reached the maximum rate {LrRangeRule.Format(_settings.MaxRate)}";
        var last = _points.Count > 0 ? _points[^1] : new LrRangePoint(rate, double.NaN, double.NaN);
        // A chunk's figures: the raw batch loss as the training loss, the smoothed loss as the "validation" curve the
        // pages draw, and the rate reached.
        return new EpochMetrics(ChunksDone, last.Loss, last.SmoothedLoss, null, last.LearningRate, clock.Elapsed.TotalSeconds, _step);
    }

    /// <summary>The rule's reading of the finished curve, made once (the curve no longer changes once the test has stopped).</summary>
    private (double Rate, string Reason)? Reading() => _stop is null ? null : _reading ??= LrRangeRule.Suggest(_points);

    /// <summary>The engine's checkpoint, the epoch's row order, and the test's own state (step, smoothing, curve so far).</summary>
    public byte[] SaveCheckpoint()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(_settings.MinRate);
            w.Write(_settings.MaxRate);
            w.Write(_settings.Steps);
            var engine = _engine.SaveCheckpoint();
            w.Write(engine.Length);
            w.Write(engine);
            var order = _engine.RowOrder;
            w.Write(order.Length);
            foreach (var row in order) w.Write(row);
            w.Write(_step);
            w.Write(_average);
            w.Write(_best);
            w.Write(_stop ?? "");
            w.Write(_points.Count);
            foreach (var p in _points)
            {
                w.Write(p.LearningRate);
                w.Write(p.Loss);
                w.Write(p.SmoothedLoss);
            }
        }
        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    private void Restore(byte[] checkpoint)
    {
        const int HashLength = 32;
        if (checkpoint.Length < Magic.Length + HashLength || !checkpoint.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("not a range-test checkpoint");
        var body = checkpoint.AsSpan(0, checkpoint.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(checkpoint.AsSpan(checkpoint.Length - HashLength)))
            throw new InvalidDataException("range-test checkpoint is damaged (its checksum does not match)");
        using var r = new BinaryReader(new MemoryStream(checkpoint, 0, body.Length), Encoding.UTF8);
        r.ReadBytes(Magic.Length);
        if (r.ReadInt32() is var version && version != FormatVersion)
            throw new InvalidDataException($"range-test checkpoint version {version} is not supported; this build reads version {FormatVersion}");
        if (r.ReadDouble() != _settings.MinRate || r.ReadDouble() != _settings.MaxRate || r.ReadInt32() != _settings.Steps)
            throw new InvalidDataException("range-test checkpoint was written for other range-test settings");
        _engine.Restore(r.ReadBytes(r.ReadInt32()));
        var order = new int[r.ReadInt32()];
        for (var i = 0; i < order.Length; i++) order[i] = r.ReadInt32();
        _engine.RowOrder = order;
        _step = r.ReadInt32();
        _average = r.ReadDouble();
        _best = r.ReadDouble();
        var stop = r.ReadString();
        _stop = stop.Length == 0 ? null : stop;
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
            _points.Add(new LrRangePoint(r.ReadDouble(), r.ReadDouble(), r.ReadDouble()));
    }
}
