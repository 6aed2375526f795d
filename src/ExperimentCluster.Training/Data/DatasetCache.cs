using System.Collections.Concurrent;
using System.Numerics;

using MathNet.Numerics.Statistics;

namespace ExperimentCluster.Training.Data;

/// <summary>
/// The process-wide, read-only data cache: each data set is loaded once, and each distinct preparation (split, scaling,
/// number type) is built once, however many runs use it. Keys hold only the options that affect the data, so runs that
/// differ in model or optimizer settings share one copy. Failed loads are not cached: fixing the file and retrying works.
/// </summary>
internal static class DatasetCache
{
    private sealed record RawKey(string Source, string? Target, string? Task, int Samples, double Noise, int Classes, int Features, int Seed);

    private sealed record PreparedKey(RawKey Raw, string Split, string Scaling, double Divisor, string TargetScaling, Type Number);

    private static readonly ConcurrentDictionary<RawKey, Lazy<RawDataset>> RawSets = new();
    private static readonly ConcurrentDictionary<PreparedKey, Lazy<object>> PreparedSets = new();

    /// <summary>The prepared data of a spec. Every file is checked by <paramref name="files"/> on every call, cached or not,
    /// so that a copy loaded under one rule is never handed out under another.</summary>
    public static PreparedData<T> Get<T>(TrainingSpec spec, DataFiles files) where T : IFloatingPointIeee754<T>
    {
        var rawKey = MakeRawKey(spec, files);
        var raw = GetOrAdd(RawSets, rawKey, () => Load(rawKey, spec, files));
        var key = new PreparedKey(rawKey, DataSplit.Key(spec, files), spec.Scaling, spec.Scaling == "divide" ? spec.ScaleDivisor : 0,
            raw.Classification ? "" : spec.TargetScaling, typeof(T));
        return (PreparedData<T>)GetOrAdd(PreparedSets, key, () => Prepare<T>(raw, spec, files));
    }

    /// <summary>The loaded data set behind a spec, before splitting and scaling.</summary>
    public static RawDataset GetRaw(TrainingSpec spec, DataFiles files)
    {
        var rawKey = MakeRawKey(spec, files);
        return GetOrAdd(RawSets, rawKey, () => Load(rawKey, spec, files));
    }

    private static TValue GetOrAdd<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> map, TKey key, Func<TValue> factory)
        where TKey : notnull
    {
        var lazy = map.GetOrAdd(key, _ => new Lazy<TValue>(factory, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Lazy caches the exception; drop this instance so that the next run loads again.
            map.TryRemove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
            throw;
        }
    }

    private static RawKey MakeRawKey(TrainingSpec spec, DataFiles files)
    {
        var name = spec.Dataset;
        if (SyntheticDatasets.Contains(name))
        {
            var classes = name == "moons" ? 2 : name == "linear" ? 0 : spec.Classes;
            var features = name is "blobs" or "linear" ? spec.Features : 2;
            return new RawKey("synthetic:" + name, null, null, spec.SyntheticSamples,
                spec.Noise ?? SyntheticDatasets.DefaultNoise(name), classes, features, spec.DataSeed);
        }
        var source = BuiltInDatasets.Contains(name) ? "builtin:" + name : "csv:" + files.Check(name, "dataset").Identity;
        return new RawKey(source, spec.Target, spec.Task, 0, 0, 0, 0, 0);
    }

    private static RawDataset Load(RawKey key, TrainingSpec spec, DataFiles files)
    {
        var name = spec.Dataset;
        if (SyntheticDatasets.Contains(name))
            return SyntheticDatasets.Generate(name, key.Samples, key.Noise, key.Classes, key.Features, spec.DataSeed * 2);
        if (BuiltInDatasets.Contains(name))
            return CsvDatasetReader.Read(BuiltInDatasets.ReadText(name + ".csv"), name, spec.Target, spec.Task);
        return CsvDatasetReader.Read(files.ReadAllText(name, "dataset"), Path.GetFileName(name), spec.Target, spec.Task);
    }

    private static PreparedData<T> Prepare<T>(RawDataset raw, TrainingSpec spec, DataFiles files) where T : IFloatingPointIeee754<T>
    {
        var split = DataSplit.For(spec, raw.Rows, files);
        var scaler = FeatureScaler.Fit(spec.Scaling, spec.ScaleDivisor, raw.Features, raw.Columns, split.Train);
        var trainX = scaler.Apply<T>(raw.Features, raw.Columns, split.Train);
        var valX = scaler.Apply<T>(raw.Features, raw.Columns, split.Val);
        if (raw.Classification)
        {
            return new PreparedData<T>(raw.Columns, true, raw.Classes,
                split.Train.Length, trainX, split.Train.Select(r => raw.Labels[r]).ToArray(), [],
                split.Val.Length, valX, split.Val.Select(r => raw.Labels[r]).ToArray(), [], raw.FeatureNames, scaler, 0, 1) { ClassNames = raw.ClassNames, Categories = raw.Categories };
        }
        var (shift, scale) = (0.0, 1.0);
        if (spec.TargetScaling == "standard")
        {
            var values = split.Train.Select(r => raw.Targets[r]).ToArray();
            var sd = ArrayStatistics.PopulationStandardDeviation(values);
            (shift, scale) = (ArrayStatistics.Mean(values), sd > 0 ? sd : 1.0);
        }
        T[] Targets(int[] rows) => rows.Select(r => T.CreateChecked((raw.Targets[r] - shift) / scale)).ToArray();
        return new PreparedData<T>(raw.Columns, false, 0,
            split.Train.Length, trainX, [], Targets(split.Train),
            split.Val.Length, valX, [], Targets(split.Val), raw.FeatureNames, scaler, shift, scale) { Categories = raw.Categories };
    }
}
