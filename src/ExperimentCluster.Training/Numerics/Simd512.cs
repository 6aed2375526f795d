using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>512-bit lanes for the kernels; see <see cref="ISimdVector{TSelf, T}"/>.</summary>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimdVector<Simd512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _value = value;

    public static int Count => Vector512<T>.Count;

    public static Simd512<T> Zero => new(Vector512<T>.Zero);

    public T this[int lane] => _value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Broadcast(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ref T source, nint offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512<T> value, ref T destination, nint offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> FusedMultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> c)
    {
        // typeof tests on a type parameter are constants to the JIT: each instantiation keeps one branch.
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), c._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Add(Simd512<T> a, Simd512<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Subtract(Simd512<T> a, Simd512<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Multiply(Simd512<T> a, Simd512<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Divide(Simd512<T> a, Simd512<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Max(Simd512<T> a, Simd512<T> b) => new(Vector512.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Abs(Simd512<T> a) => new(Vector512.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Sqrt(Simd512<T> a) => new(Vector512.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Exp(Simd512<T> a)
    {
        if (typeof(T) == typeof(float))
            return new(Vector512.Exp(a._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.Exp(a._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> SelectPositive(Simd512<T> a, Simd512<T> whenPositive, Simd512<T> otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a._value, Vector512<T>.Zero), whenPositive._value, otherwise._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> CopySignOf(Simd512<T> a, Simd512<T> b) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(a._value, Vector512<T>.Zero), -b._value, b._value));
}
