using System.Numerics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// One optimizer update over the elements at offset i (one vector's worth): parameters, gradients and up to two
/// moment buffers. A struct, so that <see cref="ParameterLoop"/> specialises and inlines it.
/// </summary>
internal interface IParameterUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    void Apply<TV>(ref T parameters, ref T gradients, ref T first, ref T second, nint i)
        where TV : struct, ISimdVector<TV, T>;
}
