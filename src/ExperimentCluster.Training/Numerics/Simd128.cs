using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>128-bit lanes for the kernels; see <see cref="ISimdVector{TSelf, T}"/>.</summary>
internal readonly struct Simd128<T>(Vector128<T> value) : ISimdVector<Simd128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector128<T> _value = value;

    public static int Count => Vector128<T>.Count;

    public static Simd128<T> Zero => new(Vector128<T>.Zero);

    public T this[int lane] => _value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Broadcast(T value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Load(ref T source, nint offset) => new(Vector128.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd128<T> value, ref T destination, nint offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> FusedMultiplyAdd(Simd128<T> a, Simd128<T> b, Simd128<T> c)
    {
        // typeof tests on a type parameter are constants to the JIT: each instantiation keeps one branch.
        if (typeof(T) == typeof(float))
            return new(Vector128.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector128.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), c._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Add(Simd128<T> a, Simd128<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Subtract(Simd128<T> a, Simd128<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Multiply(Simd128<T> a, Simd128<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Divide(Simd128<T> a, Simd128<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Max(Simd128<T> a, Simd128<T> b) => new(Vector128.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Abs(Simd128<T> a) => new(Vector128.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Sqrt(Simd128<T> a) => new(Vector128.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Exp(Simd128<T> a)
    {
        if (typeof(T) == typeof(float))
            return new(Vector128.Exp(a._value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector128.Exp(a._value.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> SelectPositive(Simd128<T> a, Simd128<T> whenPositive, Simd128<T> otherwise) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a._value, Vector128<T>.Zero), whenPositive._value, otherwise._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> CopySignOf(Simd128<T> a, Simd128<T> b) =>
        new(Vector128.ConditionalSelect(Vector128.LessThan(a._value, Vector128<T>.Zero), -b._value, b._value));
}
