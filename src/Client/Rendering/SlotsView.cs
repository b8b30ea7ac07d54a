using System.Globalization;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess slots</c>: a summary line, one row per slot holder (or free device) of every active silo, and the
/// sweeps waiting for a slot, longest first, with the holder that ends first. <c>ends</c>: each holding pack's time left
/// at its own pace, where its sweep knows one (<see cref="PackEnds"/>).</summary>
internal static class SlotsView
{
    public static void Render(ClusterSlots slots, DateTimeOffset now, PackEnds ends)
    {
        Output.Line(Summary(slots));
        if (slots.Silos.Count > 0) CliConsole.Out.Write(Build(slots, now, ends));
        foreach (var line in WaitingLines(slots, now)) Output.Line(line);
        if (FirstToEnd(slots, ends) is { } first) Output.Line(first);
        Output.Line(Preemption(slots));
    }

    /// <summary>"first to end: study's pack p1, in about 3 min": for the sweeps waiting, where a slot comes free next at the
    /// holders' pace (a yielding pack frees its slot sooner, at its next checkpoint). Null when nobody waits, or no
    /// holder has an estimate yet.</summary>
    internal static string? FirstToEnd(ClusterSlots slots, PackEnds ends)
    {
        if (slots.Waiting.Count == 0) return null;
        var first = Holders(slots).Select(h => (h.Sweep, h.Pack, Left: ends.Of(h))).Where(x => x.Left is not null).OrderBy(x => x.Left).FirstOrDefault();
        return first.Left is { } left ? $"first to end: {first.Sweep}'s pack {first.Pack}, in {TimeLeft.Duration(left)}" : null;
    }

    private static IEnumerable<SlotHolder> Holders(ClusterSlots slots) => slots.Silos.SelectMany(s => s.Devices).SelectMany(d => d.Held);

    /// <summary>When a waiting sweep takes a slot from a sweep holding more (see PreemptAfterSeconds).</summary>
    internal static string Preemption(ClusterSlots slots) => slots.PreemptAfter > TimeSpan.Zero
        ? $"preemption: a sweep waiting {Ago(slots.PreemptAfter)} takes a slot from one holding at least two more (for their priorities), at that one's next checkpoint or within a watchdog interval"
        : "preemption: off (slots change hands only as packs end)";

    /// <summary>"2 silos, 3/4 training slots in use (study 2 at priority 3, student 1), 1 sweep waiting": the share each
    /// sweep holds, most first, with its priority where it is not the default.</summary>
    public static string Summary(ClusterSlots slots)
    {
        var total = slots.Silos.Sum(s => s.Devices.Sum(d => d.Slots));
        var held = Holders(slots).ToList();
        var bySweep = held.GroupBy(h => h.Sweep).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count().ToString(CultureInfo.InvariantCulture)}{AtPriority(slots, g.Key)}");
        return $"{Units.Count(slots.Silos.Count, "silo")}, {held.Count}/{total} training slots in use" +
               (held.Count > 0 ? $" ({string.Join(", ", bySweep)})" : "") +
               (slots.Waiting.Count > 0 ? $", {Units.Count(slots.Waiting.Count, "sweep")} waiting" : "");
    }

    internal static IEnumerable<string> WaitingLines(ClusterSlots slots, DateTimeOffset now) =>
        slots.Waiting.Select(w => $"waiting: sweep {w.Sweep}{AtPriority(slots, w.Sweep)}, {Units.Count(w.Packs, "ready pack")}, for {Ago(now - w.Since)}");

    /// <summary>" at priority 3", or nothing for the default.</summary>
    private static string AtPriority(ClusterSlots slots, string sweep) =>
        slots.PriorityOf(sweep) is var p && p != SweepPriority.Default ? $" at priority {p.ToString(CultureInfo.InvariantCulture)}" : "";

    internal static Table Build(ClusterSlots slots, DateTimeOffset now, PackEnds ends)
    {
        // The memory column only where a silo advertises its memory for CPU packs (none on a GPU-only cluster); the time
        // left only where a holder has one.
        var memory = slots.Silos.SelectMany(s => s.Devices).Any(d => d.MemoryBytes > 0);
        var left = Holders(slots).Any(h => ends.Of(h) is not null);
        var table = new Table().Border(TableBorder.Simple).AddColumns(
            ["silo", "device", "slots", .. memory ? new[] { "memory" } : [], "sweep", "pack", "state", "for", .. left ? new[] { "time left" } : []]);
        void Row(string silo, string device, string use, string held, params string[] rest) =>
            table.AddRow([silo, device, use, .. memory ? new[] { held } : [], .. rest]);   // a row without a time left is padded with an empty cell
        string Left(SlotHolder h) => ends.Of(h) is { } s ? TimeLeft.Duration(s) : "";
        foreach (var silo in slots.Silos)
        {
            var name = Markup.Escape($"{silo.Silo} ({silo.Address})");
            if (silo.Devices.Count == 0) Row(name, "", "none", "", "", "", "coordinates only", "");
            foreach (var device in silo.Devices)
            {
                var use = $"{device.Held.Count}/{device.Slots}";
                var held = Memory(device);
                if (device.Held.Count == 0) Row(name, device.Device, use, held, "", "", "free", "");
                foreach (var (h, i) in device.Held.Select((h, i) => (h, i)))
                    Row(i == 0 ? name : "", i == 0 ? device.Device : "", i == 0 ? use : "", i == 0 ? held : "",
                        [Markup.Escape(h.Sweep), Markup.Escape(h.Pack), Markup.Escape(State(h)), Ago(now - h.Since), .. left ? new[] { Left(h) } : []]);
                if (device.Held.Count is > 0 and var n && n < device.Slots) Row("", "", "", "", "", "", $"{device.Slots - n} free", "");
                name = "";
            }
        }
        return table;
    }

    /// <summary>"1.2 GB of 16.0 GB": what a silo's CPU packs hold of its memory for them; empty for a GPU.</summary>
    private static string Memory(DeviceSlotsView device) =>
        device.MemoryBytes > 0 ? $"{Units.Bytes(device.HeldBytes)} of {Units.Bytes(device.MemoryBytes)}" : "";

    /// <summary>"training", "starting" (placed, not yet claimed) or "yielding to SWEEP".</summary>
    private static string State(SlotHolder h) =>
        h.YieldingTo is { } to ? $"yielding to {to}" : h.Training ? "training" : "starting";

    /// <summary>"12 s", "5 min", "3 h 05 min".</summary>
    internal static string Ago(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return $"{Math.Max(0, (int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
        var minutes = (long)span.TotalMinutes;
        return minutes < 60
            ? $"{minutes.ToString(CultureInfo.InvariantCulture)} min"
            : $"{(minutes / 60).ToString(CultureInfo.InvariantCulture)} h {(minutes % 60).ToString("00", CultureInfo.InvariantCulture)} min";
    }
}
