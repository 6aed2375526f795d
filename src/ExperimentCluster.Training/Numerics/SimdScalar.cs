using System.Numerics;
using System.Runtime.CompilerServices;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// One lane: runs the tail of an elementwise kernel through the same generic code as the vector part. The basic
/// operations (+, -, *, /, FMA, sqrt, max) are correctly rounded IEEE operations, so a lane gets the same bits either way.
/// Exp is the exception (scalar libm vs. the vector algorithm): kernels that need it work on padded rows with no tail.
/// </summary>
internal readonly struct SimdScalar<T>(T value) : ISimdVector<SimdScalar<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _value = value;

    public static int Count => 1;

    public static SimdScalar<T> Zero => new(T.Zero);

    public T this[int lane] => _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Broadcast(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Load(ref T source, nint offset) => new(Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(SimdScalar<T> value, ref T destination, nint offset) => Unsafe.Add(ref destination, offset) = value._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> FusedMultiplyAdd(SimdScalar<T> a, SimdScalar<T> b, SimdScalar<T> c) => new(T.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Add(SimdScalar<T> a, SimdScalar<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Subtract(SimdScalar<T> a, SimdScalar<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Multiply(SimdScalar<T> a, SimdScalar<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Divide(SimdScalar<T> a, SimdScalar<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Max(SimdScalar<T> a, SimdScalar<T> b) => new(T.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Abs(SimdScalar<T> a) => new(T.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Sqrt(SimdScalar<T> a) => new(T.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Exp(SimdScalar<T> a) => new(T.Exp(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> SelectPositive(SimdScalar<T> a, SimdScalar<T> whenPositive, SimdScalar<T> otherwise) =>
        a._value > T.Zero ? whenPositive : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> CopySignOf(SimdScalar<T> a, SimdScalar<T> b) => a._value < T.Zero ? new(-b._value) : b;
}
