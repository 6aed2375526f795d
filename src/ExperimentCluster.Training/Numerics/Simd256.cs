using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>256-bit lanes for the kernels; see <see cref="ISimdVector{TSelf, T}"/>.</summary>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimdVector<Simd256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> _value = value;

    public static int Count => Vector256<T>.Count;

    public static Simd256<T> Zero => new(Vector256<T>.Zero);

    public T this[int lane] => _value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Broadcast(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ref T source, nint offset) => new(Vector256.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256<T> value, ref T destination, nint offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> FusedMultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> c)
    {
        // typeof tests on a type parameter are constants to the JIT: each instantiation keeps one branch.
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), c._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Add(Simd256<T> a, Simd256<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Subtract(Simd256<T> a, Simd256<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Multiply(Simd256<T> a, Simd256<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Divide(Simd256<T> a, Simd256<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Max(Simd256<T> a, Simd256<T> b) => new(Vector256.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Abs(Simd256<T> a) => new(Vector256.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Sqrt(Simd256<T> a) => new(Vector256.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Exp(Simd256<T> a)
    {
        if (typeof(T) == typeof(float))
            return new(Vector256.Exp(a._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector256.Exp(a._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> SelectPositive(Simd256<T> a, Simd256<T> whenPositive, Simd256<T> otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a._value, Vector256<T>.Zero), whenPositive._value, otherwise._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> CopySignOf(Simd256<T> a, Simd256<T> b) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(a._value, Vector256<T>.Zero), -b._value, b._value));
}
