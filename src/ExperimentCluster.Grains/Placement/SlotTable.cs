using System.Diagnostics;

namespace ExperimentCluster.Grains.Placement;

/// <summary>
/// This silo's view of every silo's free slots: the board's reports, plus the activations this silo placed since,
/// which the reports cannot show yet (a burst of starts would otherwise all land on the same silo).
/// </summary>
public sealed class SlotTable
{
    /// <summary>How long a placement counts against its silo before the silo's own report is trusted to include it.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Dictionary<SiloAddress, SlotReport> _reports = [];
    private readonly Dictionary<SiloAddress, List<long>> _placed = [];

    public void Update(IReadOnlyList<SlotReport> reports)
    {
        var map = reports.ToDictionary(r => r.Silo);
        lock (_lock)
            _reports = map;
    }

    public void Placed(SiloAddress silo)
    {
        lock (_lock)
        {
            if (!_placed.TryGetValue(silo, out var list))
                _placed[silo] = list = [];
            list.Add(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Free slots of a silo (negative when runs queue there); null if it has not reported yet.</summary>
    public (int Free, int Capacity)? Estimate(SiloAddress silo)
    {
        lock (_lock)
        {
            var pending = 0;
            if (_placed.TryGetValue(silo, out var list))
            {
                list.RemoveAll(t => Stopwatch.GetElapsedTime(t) > PendingFor);
                pending = list.Count;
            }
            return _reports.TryGetValue(silo, out var r) ? (r.Free - pending, r.Capacity) : null;
        }
    }
}
