using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// Runs an optimizer update over whole vectors and then the tail one element at a time through the same generic code.
/// Updates use only correctly rounded operations (+, -, ×, ÷, √, FMA), so an element gets the same bits in a vector lane
/// or in the tail, on any vector width.
/// </summary>
internal static class ParameterLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TU, T>(TU update, Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> first, Span<T> second)
        where TU : struct, IParameterUpdate<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = parameters.Length;
        if (gradients.Length < n || (!first.IsEmpty && first.Length < n) || (!second.IsEmpty && second.Length < n))
            throw new ArgumentException("gradient and moment buffers must be as long as the parameters");
        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var m = ref MemoryMarshal.GetReference(first);
        ref var v = ref MemoryMarshal.GetReference(second);
        nint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) update.Apply<Simd512<T>>(ref p, ref g, ref m, ref v, i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) update.Apply<Simd256<T>>(ref p, ref g, ref m, ref v, i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count) update.Apply<Simd128<T>>(ref p, ref g, ref m, ref v, i);
        }
        for (; i < n; i++) update.Apply<SimdScalar<T>>(ref p, ref g, ref m, ref v, i);
    }
}
