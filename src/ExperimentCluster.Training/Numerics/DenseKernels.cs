using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExperimentCluster.Training.Numerics;

/// <summary>
/// The hot loops of training: a matrix product with bias, column sums and a transpose, over contiguous row-major arrays.
/// <para>
/// Why not MathNet here: for the largest product of a 64-128-128-10 step at batch 256 (256×128 by 128×128, float),
/// MathNet 5's managed provider took 3.2–8.7 ms (0.5–1.3 GFMA/s) on the AVX-512 development machine and this kernel
/// 0.08–0.22 ms (20–53 GFMA/s): 28–40 times faster, and nothing allocated (the `kernels` benchmark; bench/RESULTS.md).
/// MathNet stays at the interfaces (MlpModel.Weights) and in the tests as the reference product.
/// </para>
/// <para>
/// Fixed summation order, independent of the vector width: every output element is one lane that starts from the
/// bias (or zero) and adds its products in k order with a fused multiply-add. A lane never meets another lane, so
/// 128-, 256- and 512-bit machines produce the same bits, and so does a restored run.
/// </para>
/// </summary>
internal static class DenseKernels
{
    /// <summary>The padding unit for row strides: one 512-bit vector, whatever width this machine uses.</summary>
    public static int PadUnit<T>() where T : unmanaged => Vector512<T>.Count;

    /// <summary>n rounded up to a whole number of <see cref="PadUnit{T}"/>.</summary>
    public static int Padded<T>(int n) where T : unmanaged => (n + PadUnit<T>() - 1) / PadUnit<T>() * PadUnit<T>();

    /// <summary>
    /// c[i·ldc + j] = bias[j] (zero when bias is empty) + Σ_k a[i·aRow + k·aCol] · b[k·ldb + j], for i &lt; m, j &lt; n.
    /// Rows of b (and bias) are read a whole vector at a time: each needs <see cref="Padded{T}"/>(n) readable elements;
    /// the extra lanes only reach lanes that are never stored.
    /// </summary>
    public static void Gemm<T>(ReadOnlySpan<T> a, int aRow, int aCol, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> bias, Span<T> c, int ldc, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        var np = Padded<T>(n);
        if ((long)(m - 1) * aRow + ((long)k - 1) * aCol >= a.Length && k > 0) throw new ArgumentException("a is too short", nameof(a));
        if (k > 0 && (long)(k - 1) * ldb + np > b.Length) throw new ArgumentException("b is too short", nameof(b));
        if (!bias.IsEmpty && bias.Length < np) throw new ArgumentException("bias is too short", nameof(bias));
        if ((long)(m - 1) * ldc + n > c.Length) throw new ArgumentException("c is too short", nameof(c));
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rbias = ref MemoryMarshal.GetReference(bias);
        ref var rc = ref MemoryMarshal.GetReference(c);
        if (Vector512.IsHardwareAccelerated)
            GemmCore<Simd512<T>, T>(ref ra, aRow, aCol, ref rb, ldb, ref rbias, !bias.IsEmpty, ref rc, ldc, m, n, k, wide: true);
        else if (Vector256.IsHardwareAccelerated)
            GemmCore<Simd256<T>, T>(ref ra, aRow, aCol, ref rb, ldb, ref rbias, !bias.IsEmpty, ref rc, ldc, m, n, k, wide: false);
        else
            GemmCore<Simd128<T>, T>(ref ra, aRow, aCol, ref rb, ldb, ref rbias, !bias.IsEmpty, ref rc, ldc, m, n, k, wide: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GemmCore<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int m, int n, int k, bool wide)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = TV.Count;
        var vectors = (n + w - 1) / w;
        var jv = 0;
        // Four vectors by four rows is 16 accumulators: fits AVX-512's 32 registers, spills on AVX2's 16.
        if (wide)
        {
            for (; jv + 4 <= vectors; jv += 4)
            {
                for (var i = 0; i < m; i += 4)
                    Tile4x4<TV, T>(ref a, aRow, aCol, ref b, ldb, ref bias, hasBias, ref c, ldc, i, m, jv * w, n, k);
            }
        }
        // Narrow results (one or two vectors: a 32-wide hidden layer, a 10-class output) get taller tiles where the
        // registers allow, so that each loaded row of b meets eight broadcasts instead of four.
        var rowsPerTile = wide ? 8 : 4;
        for (; jv + 2 <= vectors; jv += 2)
        {
            for (var i = 0; i < m; i += rowsPerTile)
            {
                if (wide) Tile8x2<TV, T>(ref a, aRow, aCol, ref b, ldb, ref bias, hasBias, ref c, ldc, i, m, jv * w, n, k);
                else Tile4x2<TV, T>(ref a, aRow, aCol, ref b, ldb, ref bias, hasBias, ref c, ldc, i, m, jv * w, n, k);
            }
        }
        for (; jv < vectors; jv++)
        {
            for (var i = 0; i < m; i += rowsPerTile)
            {
                if (wide) Tile8x1<TV, T>(ref a, aRow, aCol, ref b, ldb, ref bias, hasBias, ref c, ldc, i, m, jv * w, n, k);
                else Tile4x1<TV, T>(ref a, aRow, aCol, ref b, ldb, ref bias, hasBias, ref c, ldc, i, m, jv * w, n, k);
            }
        }
    }

    // A tile near the bottom edge repeats the last row instead of branching inside the k loop; only real rows are stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint RowOffset(int i, int r, int m, nint stride) => (nint)Math.Min(i + r, m - 1) * stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Init<TV, T>(ref T bias, bool hasBias, nint j)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => hasBias ? TV.Load(ref bias, j) : TV.Zero;

    /// <summary>Stores the lanes of v that fall inside the row (column j .. n-1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TV, T>(TV v, ref T c, nint offset, nint j, int n)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var valid = n - (int)j;
        if (valid >= TV.Count)
        {
            TV.Store(v, ref c, offset + j);
        }
        else
        {
            for (var lane = 0; lane < valid; lane++)
                Unsafe.Add(ref c, offset + j + lane) = v[lane];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int i, int m, int j, int n, int k)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = TV.Count;
        var a0 = RowOffset(i, 0, m, aRow);
        var a1 = RowOffset(i, 1, m, aRow);
        var a2 = RowOffset(i, 2, m, aRow);
        var a3 = RowOffset(i, 3, m, aRow);
        TV i0 = Init<TV, T>(ref bias, hasBias, j), i1 = Init<TV, T>(ref bias, hasBias, j + w);
        TV i2 = Init<TV, T>(ref bias, hasBias, j + (2 * w)), i3 = Init<TV, T>(ref bias, hasBias, j + (3 * w));
        TV s00 = i0, s01 = i1, s02 = i2, s03 = i3;
        TV s10 = i0, s11 = i1, s12 = i2, s13 = i3;
        TV s20 = i0, s21 = i1, s22 = i2, s23 = i3;
        TV s30 = i0, s31 = i1, s32 = i2, s33 = i3;
        nint bk = j;
        nint ak = 0;
        for (var kk = 0; kk < k; kk++, bk += ldb, ak += aCol)
        {
            var b0 = TV.Load(ref b, bk);
            var b1 = TV.Load(ref b, bk + w);
            var b2 = TV.Load(ref b, bk + (2 * w));
            var b3 = TV.Load(ref b, bk + (3 * w));
            var x = TV.Broadcast(Unsafe.Add(ref a, a0 + ak));
            s00 = TV.FusedMultiplyAdd(x, b0, s00); s01 = TV.FusedMultiplyAdd(x, b1, s01);
            s02 = TV.FusedMultiplyAdd(x, b2, s02); s03 = TV.FusedMultiplyAdd(x, b3, s03);
            x = TV.Broadcast(Unsafe.Add(ref a, a1 + ak));
            s10 = TV.FusedMultiplyAdd(x, b0, s10); s11 = TV.FusedMultiplyAdd(x, b1, s11);
            s12 = TV.FusedMultiplyAdd(x, b2, s12); s13 = TV.FusedMultiplyAdd(x, b3, s13);
            x = TV.Broadcast(Unsafe.Add(ref a, a2 + ak));
            s20 = TV.FusedMultiplyAdd(x, b0, s20); s21 = TV.FusedMultiplyAdd(x, b1, s21);
            s22 = TV.FusedMultiplyAdd(x, b2, s22); s23 = TV.FusedMultiplyAdd(x, b3, s23);
            x = TV.Broadcast(Unsafe.Add(ref a, a3 + ak));
            s30 = TV.FusedMultiplyAdd(x, b0, s30); s31 = TV.FusedMultiplyAdd(x, b1, s31);
            s32 = TV.FusedMultiplyAdd(x, b2, s32); s33 = TV.FusedMultiplyAdd(x, b3, s33);
        }
        var rows = Math.Min(4, m - i);
        nint c0 = i * ldc;
        StoreRow<TV, T>(s00, ref c, c0, j, n); StoreRow<TV, T>(s01, ref c, c0, j + w, n);
        StoreRow<TV, T>(s02, ref c, c0, j + (2 * w), n); StoreRow<TV, T>(s03, ref c, c0, j + (3 * w), n);
        if (rows < 2) return;
        c0 += ldc;
        StoreRow<TV, T>(s10, ref c, c0, j, n); StoreRow<TV, T>(s11, ref c, c0, j + w, n);
        StoreRow<TV, T>(s12, ref c, c0, j + (2 * w), n); StoreRow<TV, T>(s13, ref c, c0, j + (3 * w), n);
        if (rows < 3) return;
        c0 += ldc;
        StoreRow<TV, T>(s20, ref c, c0, j, n); StoreRow<TV, T>(s21, ref c, c0, j + w, n);
        StoreRow<TV, T>(s22, ref c, c0, j + (2 * w), n); StoreRow<TV, T>(s23, ref c, c0, j + (3 * w), n);
        if (rows < 4) return;
        c0 += ldc;
        StoreRow<TV, T>(s30, ref c, c0, j, n); StoreRow<TV, T>(s31, ref c, c0, j + w, n);
        StoreRow<TV, T>(s32, ref c, c0, j + (2 * w), n); StoreRow<TV, T>(s33, ref c, c0, j + (3 * w), n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int i, int m, int j, int n, int k)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = TV.Count;
        var a0 = RowOffset(i, 0, m, aRow);
        var a1 = RowOffset(i, 1, m, aRow);
        var a2 = RowOffset(i, 2, m, aRow);
        var a3 = RowOffset(i, 3, m, aRow);
        TV i0 = Init<TV, T>(ref bias, hasBias, j), i1 = Init<TV, T>(ref bias, hasBias, j + w);
        TV s00 = i0, s01 = i1, s10 = i0, s11 = i1, s20 = i0, s21 = i1, s30 = i0, s31 = i1;
        nint bk = j;
        nint ak = 0;
        for (var kk = 0; kk < k; kk++, bk += ldb, ak += aCol)
        {
            var b0 = TV.Load(ref b, bk);
            var b1 = TV.Load(ref b, bk + w);
            var x = TV.Broadcast(Unsafe.Add(ref a, a0 + ak));
            s00 = TV.FusedMultiplyAdd(x, b0, s00); s01 = TV.FusedMultiplyAdd(x, b1, s01);
            x = TV.Broadcast(Unsafe.Add(ref a, a1 + ak));
            s10 = TV.FusedMultiplyAdd(x, b0, s10); s11 = TV.FusedMultiplyAdd(x, b1, s11);
            x = TV.Broadcast(Unsafe.Add(ref a, a2 + ak));
            s20 = TV.FusedMultiplyAdd(x, b0, s20); s21 = TV.FusedMultiplyAdd(x, b1, s21);
            x = TV.Broadcast(Unsafe.Add(ref a, a3 + ak));
            s30 = TV.FusedMultiplyAdd(x, b0, s30); s31 = TV.FusedMultiplyAdd(x, b1, s31);
        }
        var rows = Math.Min(4, m - i);
        nint c0 = i * ldc;
        StoreRow<TV, T>(s00, ref c, c0, j, n); StoreRow<TV, T>(s01, ref c, c0, j + w, n);
        if (rows < 2) return;
        c0 += ldc;
        StoreRow<TV, T>(s10, ref c, c0, j, n); StoreRow<TV, T>(s11, ref c, c0, j + w, n);
        if (rows < 3) return;
        c0 += ldc;
        StoreRow<TV, T>(s20, ref c, c0, j, n); StoreRow<TV, T>(s21, ref c, c0, j + w, n);
        if (rows < 4) return;
        c0 += ldc;
        StoreRow<TV, T>(s30, ref c, c0, j, n); StoreRow<TV, T>(s31, ref c, c0, j + w, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int i, int m, int j, int n, int k)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a0 = RowOffset(i, 0, m, aRow);
        var a1 = RowOffset(i, 1, m, aRow);
        var a2 = RowOffset(i, 2, m, aRow);
        var a3 = RowOffset(i, 3, m, aRow);
        var i0 = Init<TV, T>(ref bias, hasBias, j);
        TV s0 = i0, s1 = i0, s2 = i0, s3 = i0;
        nint bk = j;
        nint ak = 0;
        for (var kk = 0; kk < k; kk++, bk += ldb, ak += aCol)
        {
            var b0 = TV.Load(ref b, bk);
            s0 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a, a0 + ak)), b0, s0);
            s1 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a, a1 + ak)), b0, s1);
            s2 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a, a2 + ak)), b0, s2);
            s3 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a, a3 + ak)), b0, s3);
        }
        var rows = Math.Min(4, m - i);
        nint c0 = i * ldc;
        StoreRow<TV, T>(s0, ref c, c0, j, n);
        if (rows < 2) return;
        StoreRow<TV, T>(s1, ref c, c0 + ldc, j, n);
        if (rows < 3) return;
        StoreRow<TV, T>(s2, ref c, c0 + (2 * ldc), j, n);
        if (rows < 4) return;
        StoreRow<TV, T>(s3, ref c, c0 + (3 * ldc), j, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x2<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int i, int m, int j, int n, int k)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = TV.Count;
        var a0 = RowOffset(i, 0, m, aRow);
        var a1 = RowOffset(i, 1, m, aRow);
        var a2 = RowOffset(i, 2, m, aRow);
        var a3 = RowOffset(i, 3, m, aRow);
        var a4 = RowOffset(i, 4, m, aRow);
        var a5 = RowOffset(i, 5, m, aRow);
        var a6 = RowOffset(i, 6, m, aRow);
        var a7 = RowOffset(i, 7, m, aRow);
        var i0 = Init<TV, T>(ref bias, hasBias, j);
        var i1 = Init<TV, T>(ref bias, hasBias, j + w);
        TV s00 = i0, s01 = i1;
        TV s10 = i0, s11 = i1;
        TV s20 = i0, s21 = i1;
        TV s30 = i0, s31 = i1;
        TV s40 = i0, s41 = i1;
        TV s50 = i0, s51 = i1;
        TV s60 = i0, s61 = i1;
        TV s70 = i0, s71 = i1;
        nint bk = j;
        nint ak = 0;
        for (var kk = 0; kk < k; kk++, bk += ldb, ak += aCol)
        {
            var b0 = TV.Load(ref b, bk);
            var b1 = TV.Load(ref b, bk + w);
            var x = TV.Broadcast(Unsafe.Add(ref a, a0 + ak));
            s00 = TV.FusedMultiplyAdd(x, b0, s00); s01 = TV.FusedMultiplyAdd(x, b1, s01);
            x = TV.Broadcast(Unsafe.Add(ref a, a1 + ak));
            s10 = TV.FusedMultiplyAdd(x, b0, s10); s11 = TV.FusedMultiplyAdd(x, b1, s11);
            x = TV.Broadcast(Unsafe.Add(ref a, a2 + ak));
            s20 = TV.FusedMultiplyAdd(x, b0, s20); s21 = TV.FusedMultiplyAdd(x, b1, s21);
            x = TV.Broadcast(Unsafe.Add(ref a, a3 + ak));
            s30 = TV.FusedMultiplyAdd(x, b0, s30); s31 = TV.FusedMultiplyAdd(x, b1, s31);
            x = TV.Broadcast(Unsafe.Add(ref a, a4 + ak));
            s40 = TV.FusedMultiplyAdd(x, b0, s40); s41 = TV.FusedMultiplyAdd(x, b1, s41);
            x = TV.Broadcast(Unsafe.Add(ref a, a5 + ak));
            s50 = TV.FusedMultiplyAdd(x, b0, s50); s51 = TV.FusedMultiplyAdd(x, b1, s51);
            x = TV.Broadcast(Unsafe.Add(ref a, a6 + ak));
            s60 = TV.FusedMultiplyAdd(x, b0, s60); s61 = TV.FusedMultiplyAdd(x, b1, s61);
            x = TV.Broadcast(Unsafe.Add(ref a, a7 + ak));
            s70 = TV.FusedMultiplyAdd(x, b0, s70); s71 = TV.FusedMultiplyAdd(x, b1, s71);
        }
        var rows = Math.Min(8, m - i);
        nint c0 = i * ldc;
        StoreRow<TV, T>(s00, ref c, c0, j, n);
        StoreRow<TV, T>(s01, ref c, c0, j + w, n);
        if (rows < 2) return;
        c0 += ldc;
        StoreRow<TV, T>(s10, ref c, c0, j, n);
        StoreRow<TV, T>(s11, ref c, c0, j + w, n);
        if (rows < 3) return;
        c0 += ldc;
        StoreRow<TV, T>(s20, ref c, c0, j, n);
        StoreRow<TV, T>(s21, ref c, c0, j + w, n);
        if (rows < 4) return;
        c0 += ldc;
        StoreRow<TV, T>(s30, ref c, c0, j, n);
        StoreRow<TV, T>(s31, ref c, c0, j + w, n);
        if (rows < 5) return;
        c0 += ldc;
        StoreRow<TV, T>(s40, ref c, c0, j, n);
        StoreRow<TV, T>(s41, ref c, c0, j + w, n);
        if (rows < 6) return;
        c0 += ldc;
        StoreRow<TV, T>(s50, ref c, c0, j, n);
        StoreRow<TV, T>(s51, ref c, c0, j + w, n);
        if (rows < 7) return;
        c0 += ldc;
        StoreRow<TV, T>(s60, ref c, c0, j, n);
        StoreRow<TV, T>(s61, ref c, c0, j + w, n);
        if (rows < 8) return;
        c0 += ldc;
        StoreRow<TV, T>(s70, ref c, c0, j, n);
        StoreRow<TV, T>(s71, ref c, c0, j + w, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x1<TV, T>(ref T a, nint aRow, nint aCol, ref T b, nint ldb, ref T bias, bool hasBias, ref T c, nint ldc, int i, int m, int j, int n, int k)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = TV.Count;
        var a0 = RowOffset(i, 0, m, aRow);
        var a1 = RowOffset(i, 1, m, aRow);
        var a2 = RowOffset(i, 2, m, aRow);
        var a3 = RowOffset(i, 3, m, aRow);
        var a4 = RowOffset(i, 4, m, aRow);
        var a5 = RowOffset(i, 5, m, aRow);
        var a6 = RowOffset(i, 6, m, aRow);
        var a7 = RowOffset(i, 7, m, aRow);
        var i0 = Init<TV, T>(ref bias, hasBias, j);
        TV s00 = i0;
        TV s10 = i0;
        TV s20 = i0;
        TV s30 = i0;
        TV s40 = i0;
        TV s50 = i0;
        TV s60 = i0;
        TV s70 = i0;
        nint bk = j;
        nint ak = 0;
        for (var kk = 0; kk < k; kk++, bk += ldb, ak += aCol)
        {
            var b0 = TV.Load(ref b, bk);
            var x = TV.Broadcast(Unsafe.Add(ref a, a0 + ak));
            s00 = TV.FusedMultiplyAdd(x, b0, s00);
            x = TV.Broadcast(Unsafe.Add(ref a, a1 + ak));
            s10 = TV.FusedMultiplyAdd(x, b0, s10);
            x = TV.Broadcast(Unsafe.Add(ref a, a2 + ak));
            s20 = TV.FusedMultiplyAdd(x, b0, s20);
            x = TV.Broadcast(Unsafe.Add(ref a, a3 + ak));
            s30 = TV.FusedMultiplyAdd(x, b0, s30);
            x = TV.Broadcast(Unsafe.Add(ref a, a4 + ak));
            s40 = TV.FusedMultiplyAdd(x, b0, s40);
            x = TV.Broadcast(Unsafe.Add(ref a, a5 + ak));
            s50 = TV.FusedMultiplyAdd(x, b0, s50);
            x = TV.Broadcast(Unsafe.Add(ref a, a6 + ak));
            s60 = TV.FusedMultiplyAdd(x, b0, s60);
            x = TV.Broadcast(Unsafe.Add(ref a, a7 + ak));
            s70 = TV.FusedMultiplyAdd(x, b0, s70);
        }
        var rows = Math.Min(8, m - i);
        nint c0 = i * ldc;
        StoreRow<TV, T>(s00, ref c, c0, j, n);
        if (rows < 2) return;
        c0 += ldc;
        StoreRow<TV, T>(s10, ref c, c0, j, n);
        if (rows < 3) return;
        c0 += ldc;
        StoreRow<TV, T>(s20, ref c, c0, j, n);
        if (rows < 4) return;
        c0 += ldc;
        StoreRow<TV, T>(s30, ref c, c0, j, n);
        if (rows < 5) return;
        c0 += ldc;
        StoreRow<TV, T>(s40, ref c, c0, j, n);
        if (rows < 6) return;
        c0 += ldc;
        StoreRow<TV, T>(s50, ref c, c0, j, n);
        if (rows < 7) return;
        c0 += ldc;
        StoreRow<TV, T>(s60, ref c, c0, j, n);
        if (rows < 8) return;
        c0 += ldc;
        StoreRow<TV, T>(s70, ref c, c0, j, n);
    }

    /// <summary>sums[j] = Σ_i a[i·lda + j] in row order, for j &lt; n; rows of a need <see cref="Padded{T}"/>(n) readable elements.</summary>
    public static void ColumnSums<T>(ReadOnlySpan<T> a, int lda, int m, int n, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n <= 0) return;
        if (m > 0 && (long)(m - 1) * lda + Padded<T>(n) > a.Length) throw new ArgumentException("a is too short", nameof(a));
        if (sums.Length < n) throw new ArgumentException("sums is too short", nameof(sums));
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rs = ref MemoryMarshal.GetReference(sums);
        if (Vector512.IsHardwareAccelerated) ColumnSumsCore<Simd512<T>, T>(ref ra, lda, m, n, ref rs);
        else if (Vector256.IsHardwareAccelerated) ColumnSumsCore<Simd256<T>, T>(ref ra, lda, m, n, ref rs);
        else ColumnSumsCore<Simd128<T>, T>(ref ra, lda, m, n, ref rs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSumsCore<TV, T>(ref T a, nint lda, int m, int n, ref T sums)
        where TV : struct, ISimdVector<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (nint j = 0; j < n; j += TV.Count)
        {
            var s = TV.Zero;
            nint offset = j;
            for (var i = 0; i < m; i++, offset += lda)
                s = TV.Add(s, TV.Load(ref a, offset));
            StoreRow<TV, T>(s, ref sums, 0, j, n);
        }
    }

    /// <summary>dst[j·ldDst + i] = src[i·ldSrc + j] for i &lt; rows, j &lt; cols.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose<T>(ReadOnlySpan<T> src, int ldSrc, int rows, int cols, Span<T> dst, int ldDst)
        where T : unmanaged
    {
        if (rows <= 0 || cols <= 0) return;
        if ((long)(rows - 1) * ldSrc + cols > src.Length) throw new ArgumentException("src is too short", nameof(src));
        if ((long)(cols - 1) * ldDst + rows > dst.Length) throw new ArgumentException("dst is too short", nameof(dst));
        ref var rs = ref MemoryMarshal.GetReference(src);
        ref var rd = ref MemoryMarshal.GetReference(dst);
        // Blocks of 8 rows keep the writes to one destination row within a cache line per pass.
        const int Block = 8;
        for (var i0 = 0; i0 < rows; i0 += Block)
        {
            var i1 = Math.Min(i0 + Block, rows);
            for (var j = 0; j < cols; j++)
            {
                nint d = (nint)j * ldDst;
                for (var i = i0; i < i1; i++)
                    Unsafe.Add(ref rd, d + i) = Unsafe.Add(ref rs, ((nint)i * ldSrc) + j);
            }
        }
    }

    /// <summary>
    /// Σ x² in a fixed order on every machine: always sixteen (float) or eight (double) 512-bit lanes, software-emulated
    /// where the hardware is narrower, then the lanes in order, then the tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var r = ref MemoryMarshal.GetReference(x);
        var w = Vector512<T>.Count;
        var acc = Vector512<T>.Zero;
        var i = 0;
        for (; i + w <= x.Length; i += w)
        {
            var v = Vector512.LoadUnsafe(ref r, (nuint)i);
            acc += v * v;
        }
        var total = 0.0;
        for (var lane = 0; lane < w; lane++) total += double.CreateChecked(acc[lane]);
        for (; i < x.Length; i++) total += double.CreateChecked(x[i] * x[i]);
        return total;
    }
}
