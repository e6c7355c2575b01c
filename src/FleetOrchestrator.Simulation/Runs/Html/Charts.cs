using System.Xml.Linq;
using static FleetOrchestrator.Simulation.Runs.Html.Html;

namespace FleetOrchestrator.Simulation.Runs.Html;

/// <summary>The report's SVG charts, drawn from the JSON report's numbers, each with its own legend and axes.</summary>
internal static class Charts
{
    private const double Width = 1000;
    private const double Left = 60;
    private const double Right = 20;
    private const double PlotWidth = Width - Left - Right;

    /// <summary>Cumulative devices concluded per outcome over time, one line each.</summary>
    public static XElement Cumulative(IReadOnlyList<OutcomeSample> series)
    {
        const double height = 300, top = 20, bottom = 40, plot = height - top - bottom;
        var outcomes = series.SelectMany(s => s.Cumulative.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var maxX = Math.Max(series[^1].Seconds, 0.001);
        var maxY = Math.Max(1, series.Max(s => s.Cumulative.Values.DefaultIfEmpty(0).Max()));
        double X(double seconds) => Left + seconds / maxX * PlotWidth;
        double Y(double count) => top + plot - count / maxY * plot;
        var svg = Frame(height, "Devices concluded by outcome over time");
        svg.Add(Axes(top, plot, maxX, maxY, "s", "devices"));
        foreach (var outcome in outcomes)
        {
            var points = string.Join(" ", series.Select(s =>
                $"{Num(X(s.Seconds))},{Num(Y(s.Cumulative.GetValueOrDefault(outcome)))}"));
            svg.Add(E("polyline", A("points", points), A("fill", "none"), A("stroke", OutcomeColors.Of(outcome)),
                A("stroke-width", 2), E("title", $"{outcome}: {series[^1].Cumulative.GetValueOrDefault(outcome)}")));
        }
        svg.Add(Legend(outcomes, top));
        return svg;
    }

    /// <summary>
    /// Each wave as a bar from its start to its end (or to the last wave's end while it runs), coloured by its state,
    /// with a diamond at each gate decision.
    /// </summary>
    public static XElement WaveTimeline(IReadOnlyList<WaveReport> waves)
    {
        const double row = 28, top = 20, axis = 30;
        var height = top + row * Math.Max(1, waves.Count) + axis;
        var end = Math.Max(0.001, waves.Select(w => w.EndedAtSeconds ?? w.StartedAtSeconds ?? 0)
            .Concat(waves.SelectMany(w => w.Decisions ?? []).Select(d => d.AtSeconds)).DefaultIfEmpty(0).Max());
        double X(double seconds) => Left + 80 + seconds / end * (PlotWidth - 80);
        var svg = Frame(height, "Waves on a timeline with their gate decisions");
        for (var i = 0; i < waves.Count; i++)
        {
            var wave = waves[i];
            var y = top + i * row;
            svg.Add(E("text", A("x", 4), A("y", y + 17), wave.Name));
            if (wave.StartedAtSeconds is not { } start)
            {
                svg.Add(E("text", A("x", X(0)), A("y", y + 17), A("fill", "#9e9e9e"), "not started"));
                continue;
            }
            var stop = wave.EndedAtSeconds ?? end;
            svg.Add(E("rect", A("x", X(start)), A("y", y + 4), A("width", Math.Max(2, X(stop) - X(start))),
                A("height", row - 10), A("rx", 3), A("fill", OutcomeColors.Of(wave.State)), A("opacity", 0.8),
                E("title", $"{wave.Name}: {wave.State}, {Num(start)}-{Num(stop)} s, {wave.DeviceIds.Count} devices")));
            foreach (var decision in wave.Decisions ?? [])
            {
                var cx = X(decision.AtSeconds);
                var cy = y + row / 2 - 1;
                svg.Add(E("polygon",
                    A("points", $"{Num(cx)},{Num(cy - 8)} {Num(cx + 8)},{Num(cy)} "
                        + $"{Num(cx)},{Num(cy + 8)} {Num(cx - 8)},{Num(cy)}"),
                    A("fill", OutcomeColors.Of(decision.Decision)), A("stroke", "#212121"),
                    E("title", $"gate {decision.Decision} at {Num(decision.AtSeconds)} s: {decision.Detail}")));
            }
        }
        var axisY = top + row * Math.Max(1, waves.Count) + 4;
        svg.Add(E("line", A("x1", X(0)), A("y1", axisY), A("x2", X(end)), A("y2", axisY), A("stroke", "#9e9e9e")));
        foreach (var tick in Ticks(end))
        {
            svg.Add(E("line", A("x1", X(tick)), A("y1", axisY), A("x2", X(tick)), A("y2", axisY + 4),
                A("stroke", "#9e9e9e")));
            svg.Add(E("text", A("x", X(tick)), A("y", axisY + 16), A("text-anchor", "middle"), $"{Num(tick)} s"));
        }
        return svg;
    }

    /// <summary>p50, p90 and p99 of each saga phase as grouped horizontal bars on one scale.</summary>
    public static XElement Percentiles(IReadOnlyDictionary<string, StepDurations> steps)
    {
        const double row = 22, top = 20, axis = 30, labels = 140;
        var height = top + row * steps.Count + axis;
        var max = Math.Max(0.001, steps.Values.Max(s => s.P99));
        // Room to the right of the longest bar for its three numbers.
        double W(double ms) => ms / max * (PlotWidth - labels - 160);
        var svg = Frame(height, "Step duration percentiles (ms): p50, p90, p99");
        var i = 0;
        foreach (var (phase, d) in steps)
        {
            var y = top + i++ * row;
            svg.Add(E("text", A("x", 4), A("y", y + 14), phase));
            foreach (var (value, shade, name) in new[] { (d.P99, "#bbdefb", "p99"), (d.P90, "#64b5f6", "p90"),
                         (d.P50, "#1565c0", "p50") })
                svg.Add(E("rect", A("x", Left + labels), A("y", y + 3), A("width", Math.Max(1, W(value))),
                    A("height", row - 8), A("fill", shade), E("title", $"{phase} {name}: {Num(value)} ms")));
            svg.Add(E("text", A("x", Left + labels + W(d.P99) + 4), A("y", y + 14),
                $"{Num(d.P50)} / {Num(d.P90)} / {Num(d.P99)}"));
        }
        return svg;
    }

    private static XElement Frame(double height, string title) =>
        E("svg", A("width", Width), A("height", height), A("viewBox", $"0 0 {Num(Width)} {Num(height)}"),
            A("role", "img"), E("title", title));

    private static IEnumerable<XElement> Axes(double top, double plot, double maxX, double maxY, string xUnit,
        string yUnit)
    {
        var bottom = top + plot;
        yield return E("line", A("x1", Left), A("y1", bottom), A("x2", Left + PlotWidth), A("y2", bottom),
            A("stroke", "#9e9e9e"));
        yield return E("line", A("x1", Left), A("y1", top), A("x2", Left), A("y2", bottom), A("stroke", "#9e9e9e"));
        foreach (var tick in Ticks(maxX))
        {
            var x = Left + tick / maxX * PlotWidth;
            yield return E("line", A("x1", x), A("y1", bottom), A("x2", x), A("y2", bottom + 4),
                A("stroke", "#9e9e9e"));
            yield return E("text", A("x", x), A("y", bottom + 16), A("text-anchor", "middle"), $"{Num(tick)} {xUnit}");
        }
        foreach (var tick in Ticks(maxY))
        {
            var y = bottom - tick / maxY * plot;
            yield return E("line", A("x1", Left - 4), A("y1", y), A("x2", Left + PlotWidth), A("y2", y),
                A("stroke", "#eeeeee"));
            yield return E("text", A("x", Left - 6), A("y", y + 4), A("text-anchor", "end"), Num(tick));
        }
        yield return E("text", A("x", 4), A("y", top - 6), yUnit);
    }

    private static XElement Legend(IEnumerable<string> keys, double top)
    {
        var g = E("g");
        var x = Left + 10;
        foreach (var key in keys)
        {
            g.Add(E("rect", A("x", x), A("y", top + 2), A("width", 10), A("height", 10),
                A("fill", OutcomeColors.Of(key))));
            g.Add(E("text", A("x", x + 14), A("y", top + 11), key));
            x += 24 + key.Length * 7;
        }
        return g;
    }

    /// <summary>About five round ticks from 0 to <paramref name="max"/>.</summary>
    private static IEnumerable<double> Ticks(double max)
    {
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = 0.0; t <= max + step * 1e-9; t += step) yield return Math.Round(t, 6);
    }
}
