using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// Applies a per-lane function to whole padded buffers (lengths are multiples of <see cref="DenseKernels.PadUnit{T}"/>),
/// so that no scalar tail is needed and every element goes through the same vector code, exp included.
/// </summary>
internal static class Elementwise
{
    /// <summary>values[i] = f(values[i]).</summary>
    public static void Map<TF, T>(TF function, Span<T> values)
        where TF : struct, IElementwiseFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPadded<T>(values.Length);
        ref var r = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated) MapCore<TF, Simd512<T>, T>(function, ref r, values.Length);
        else if (Vector256.IsHardwareAccelerated) MapCore<TF, Simd256<T>, T>(function, ref r, values.Length);
        else MapCore<TF, Simd128<T>, T>(function, ref r, values.Length);
    }

    /// <summary>target[i] = f(source[i], target[i]).</summary>
    public static void Map2<TF, T>(TF function, ReadOnlySpan<T> source, Span<T> target)
        where TF : struct, IElementwiseFunction2<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPadded<T>(target.Length);
        if (source.Length < target.Length) throw new ArgumentException("source is shorter than target", nameof(source));
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var t = ref MemoryMarshal.GetReference(target);
        if (Vector512.IsHardwareAccelerated) Map2Core<TF, Simd512<T>, T>(function, ref s, ref t, target.Length);
        else if (Vector256.IsHardwareAccelerated) Map2Core<TF, Simd256<T>, T>(function, ref s, ref t, target.Length);
        else Map2Core<TF, Simd128<T>, T>(function, ref s, ref t, target.Length);
    }

    private static void CheckPadded<T>(int length) where T : unmanaged
    {
        if (length % DenseKernels.PadUnit<T>() != 0)
            throw new ArgumentException($"length {length} is not a multiple of {DenseKernels.PadUnit<T>()}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapCore<TF, TV, T>(TF function, ref T values, int length)
        where TF : struct, IElementwiseFunction<T>
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (nint i = 0; i < length; i += TV.Count)
            TV.Store(function.Apply<TV>(TV.Load(ref values, i)), ref values, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map2Core<TF, TV, T>(TF function, ref T source, ref T target, int length)
        where TF : struct, IElementwiseFunction2<T>
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (nint i = 0; i < length; i += TV.Count)
            TV.Store(function.Apply<TV>(TV.Load(ref source, i), TV.Load(ref target, i)), ref target, i);
    }
}
