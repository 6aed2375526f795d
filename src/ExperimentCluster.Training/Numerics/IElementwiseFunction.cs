using System.Numerics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>A per-lane function of one vector; a struct so that <see cref="Elementwise"/> is specialised and inlined per function.</summary>
internal interface IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    TV Apply<TV>(TV x)
        where TV : struct, ISimdVector<TV, T>;
}
