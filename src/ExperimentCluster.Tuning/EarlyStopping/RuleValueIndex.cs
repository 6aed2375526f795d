namespace ExperimentCluster.Tuning;

/// <summary>
/// The values the stopping rules compare, by epoch in report order, kept by the sweep as it records them, so that a
/// rule's decision need not scan every trial: without it, each report of a rung epoch read every trial's values, and a
/// sweep of n trials made O(n^2) work (a 100,000-run sweep with a rule would never finish). The rules keep what they derive
/// from it (sorted values per rung and bracket, per epoch for the median) in <see cref="Cached{T}"/>, consumed from these
/// lists in order, so each recorded value is taken in once.
/// The index holds exactly the history's values (the sweep adds every value it records, in sequence order, and replaces
/// the index when a retry removes values), so a rule reading it sees the same values as one scanning the history; the
/// rules use it only for a report that is the newest value of its epoch, where "reported before this one" is "all of
/// them", and scan the history otherwise (a replay, a test without an index). The stopping-rule contract test decides
/// every report of a bank of histories both ways and compares.
/// </summary>
public sealed class RuleValueIndex
{
    private readonly Dictionary<int, List<IndexedValue>> _byEpoch = [];
    private readonly Dictionary<string, object> _derived = new(StringComparer.Ordinal);

    /// <summary>The highest sequence added (-1 for none).</summary>
    public long Newest { get; private set; } = -1;

    /// <summary>An index of every value of <paramref name="history"/>, added in sequence order.</summary>
    public static RuleValueIndex Of(IReadOnlyList<Trial> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var index = new RuleValueIndex();
        foreach (var (trial, value) in history.SelectMany(t => t.Values.Select(v => (t.Number, v))).OrderBy(p => p.v.Sequence))
            index.Add(trial, value);
        return index;
    }

    /// <summary>Adds a value just recorded; values come in sequence order.</summary>
    public void Add(int trial, RungValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Sequence <= Newest)
            throw new ArgumentException($"value of trial {trial} has sequence {value.Sequence}, not after {Newest}", nameof(value));
        Newest = value.Sequence;
        if (!_byEpoch.TryGetValue(value.Epoch, out var list))
            _byEpoch[value.Epoch] = list = [];
        list.Add(new IndexedValue(trial, value));
    }

    /// <summary>The values recorded at <paramref name="epoch"/>, in report order.</summary>
    public IReadOnlyList<IndexedValue> At(int epoch) => _byEpoch.TryGetValue(epoch, out var list) ? list : [];

    /// <summary>How many times a rule read a derived structure (the contract test checks that the index is used).</summary>
    internal int Reads { get; private set; }

    /// <summary>A rule's structure derived from this index, made once per key.</summary>
    public T Cached<T>(string key, Func<T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        Reads++;
        if (!_derived.TryGetValue(key, out var made))
            _derived[key] = made = create();
        return (T)made;
    }
}

/// <summary>One recorded value and its trial.</summary>
public readonly record struct IndexedValue(int Trial, RungValue Value);

/// <summary>Values kept sorted as they come.</summary>
internal sealed class SortedLosses
{
    private readonly List<double> _sorted = [];

    public int Count => _sorted.Count;

    public void Add(double loss)
    {
        var at = _sorted.BinarySearch(loss);
        _sorted.Insert(at < 0 ? ~at : at, loss);
    }

    /// <summary>How many are strictly below <paramref name="loss"/>.</summary>
    public int Below(double loss)
    {
        int low = 0, high = _sorted.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_sorted[mid] < loss)
                low = mid + 1;
            else
                high = mid;
        }

        return low;
    }

    public double Median() => Tuning.Median.OfSorted(_sorted);
}

/// <summary>Sorted values by a key (a bracket, an epoch), fed from one of the index's lists in order.</summary>
internal sealed class SortedLossesBy
{
    private readonly Dictionary<int, SortedLosses> _byKey = [];

    /// <summary>How many entries of the list this is fed from were taken in (or looked at and left out).</summary>
    public int Consumed { get; set; }

    /// <summary>The trials taken in (the median rule's finished trials).</summary>
    public HashSet<int> Trials { get; } = [];

    public SortedLosses this[int key] => _byKey.TryGetValue(key, out var losses) ? losses : _byKey[key] = new SortedLosses();
}
