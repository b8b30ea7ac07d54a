namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// What the coordinator tells placement about the pack it starts: the bytes its state holds in host memory on a CPU slot,
/// and on a GPU slot (its rollback copy), so that the ledger places it on a silo whose memory has room for it
/// (<see cref="GpuLedgerGrain"/>). Carried in the start call's
/// request context, which Orleans hands to the placement director (<c>PlacementTarget.RequestContextData</c>); the
/// training grain drops it on arrival, as its own calls need no hint. A training grain whose start was refused sets it
/// again, marked as moving, around its <c>MigrateOnIdle</c>, which hands it to placement the same way.
/// </summary>
public static class PlacementHints
{
    private const string CpuBytesKey = "gg.cpu-bytes";
    private const string GpuHostBytesKey = "gg.gpu-host-bytes";
    private const string MovingKey = "gg.moving";

    /// <summary>Sets the hint for the calls made until the returned scope is disposed. <paramref name="moving"/>: for a
    /// training grain's own migration after a refused start, which placement answers without reserving a slot.</summary>
    public static IDisposable HostBytes(PackHostBytes bytes, bool moving = false)
    {
        RequestContext.Set(CpuBytesKey, bytes.Cpu);
        RequestContext.Set(GpuHostBytesKey, bytes.Gpu);
        if (moving) RequestContext.Set(MovingKey, true);
        return new Scope();
    }

    /// <summary>Whether a placement is a training grain's own move (<see cref="HostBytes"/> with moving).</summary>
    public static bool IsMoving(IReadOnlyDictionary<string, object>? requestContext) =>
        requestContext?.GetValueOrDefault(MovingKey) is true;

    /// <summary>The hint in a placement's request context; 0 where there is none (a grain activated by another call).</summary>
    public static PackHostBytes HostBytesOf(IReadOnlyDictionary<string, object>? requestContext) =>
        new(Positive(requestContext?.GetValueOrDefault(CpuBytesKey)), Positive(requestContext?.GetValueOrDefault(GpuHostBytesKey)));

    private static long Positive(object? value) => value is long bytes and > 0 ? bytes : 0;

    /// <summary>Drops the hint from this call's context.</summary>
    public static void Clear()
    {
        RequestContext.Remove(CpuBytesKey);
        RequestContext.Remove(GpuHostBytesKey);
        RequestContext.Remove(MovingKey);
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Clear();
    }
}
