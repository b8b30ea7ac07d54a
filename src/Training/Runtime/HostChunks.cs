using static TorchSharp.torch;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// A span over tensor memory is int-indexed, so it covers at most 2 GiB (TorchSharp's <c>bytes</c> throws beyond),
/// while a pack's flat parameters and optimizer moments may be several times that (a wide model, cells packed by
/// learning rate). Code that walks host memory in spans walks such tensors in chunks.
/// </summary>
internal static class HostChunks
{
    /// <summary>Bytes per chunk. By default every tensor a span can cover is one chunk, so results of anything that ran
    /// before chunks existed stay the same; tests lower it to walk small tensors in many chunks.</summary>
    internal static long Bytes { get; set; } = int.MaxValue;

    /// <summary>
    /// Calls <paramref name="body"/> with views of the same range of each of <paramref name="tensors"/> (contiguous,
    /// 1-D, one length), range by range in order; tensors that fit one chunk are passed themselves. Ranges are whole
    /// blocks of 16 elements but the last, so a generator that fills its span 16 draws at a time draws the same values
    /// filling chunks as filling the whole.
    /// </summary>
    public static void ForEach(Tensor[] tensors, Action<Tensor[]> body)
    {
        var first = tensors[0];
        if (InOneChunk(first))
        {
            body(tensors);   // the common case, on every optimizer step: no checks beyond what the spans make
            return;
        }
        if (tensors.Any(t => t.dim() != 1 || !t.is_contiguous() || t.shape[0] != first.shape[0] || t.ElementSize != first.ElementSize))
            throw new ArgumentException("chunks are walked over contiguous 1-D tensors of one length and element size", nameof(tensors));
        long length = first.NumberOfElements, per = Math.Max(16, Bytes / first.ElementSize / 16 * 16);
        for (long offset = 0; offset < length; offset += per)
        {
            var views = tensors.Select(t => t.narrow(0, offset, Math.Min(per, length - offset))).ToArray();
            try { body(views); }
            finally { foreach (var v in views) v.Dispose(); }
        }
    }

    /// <summary>Whether <paramref name="t"/>'s memory is one chunk: walked as it is, with no view.</summary>
    public static bool InOneChunk(Tensor t) => t.NumberOfElements * t.ElementSize <= Bytes;
}
