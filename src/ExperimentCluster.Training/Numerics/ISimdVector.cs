using System.Numerics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// The vector operations the kernels need, over one vector width. The BCL's own ISimdVector is not public in .NET 10,
/// so each width gets a thin struct wrapper; the JIT specialises the generic kernels per wrapper and inlines it away.
/// Loads and stores take a reference and an element offset: the kernels guarantee the range.
/// </summary>
internal interface ISimdVector<TSelf, T>
    where TSelf : struct, ISimdVector<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Broadcast(T value);

    static abstract TSelf Load(ref T source, nint offset);

    static abstract void Store(TSelf value, ref T destination, nint offset);

    T this[int lane] { get; }

    /// <summary>a * b + c rounded once, on every width and in the scalar tails alike, so that results do not depend on the width.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Add(TSelf a, TSelf b);

    static abstract TSelf Subtract(TSelf a, TSelf b);

    static abstract TSelf Multiply(TSelf a, TSelf b);

    static abstract TSelf Divide(TSelf a, TSelf b);

    static abstract TSelf Max(TSelf a, TSelf b);

    static abstract TSelf Abs(TSelf a);

    static abstract TSelf Sqrt(TSelf a);

    static abstract TSelf Exp(TSelf a);

    /// <summary>Per lane: a &gt; 0 ? whenPositive : otherwise.</summary>
    static abstract TSelf SelectPositive(TSelf a, TSelf whenPositive, TSelf otherwise);

    /// <summary>Per lane: a &lt; 0 ? -b : b.</summary>
    static abstract TSelf CopySignOf(TSelf a, TSelf b);
}
