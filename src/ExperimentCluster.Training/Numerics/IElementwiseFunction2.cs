using System.Numerics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>A per-lane function of two vectors (an activation's backward step: its output and the incoming gradient).</summary>
internal interface IElementwiseFunction2<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    TV Apply<TV>(TV x, TV y)
        where TV : struct, ISimdVector<TV, T>;
}
