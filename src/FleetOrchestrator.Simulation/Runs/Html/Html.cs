using System.Globalization;
using System.Xml.Linq;

namespace FleetOrchestrator.Simulation.Runs.Html;

/// <summary>
/// Builds the report's markup as XML trees, so every page is well-formed and every text escaped by construction.
/// HTML parses a self-closed non-void element as an open tag, so every element that is not void gets an explicit
/// (possibly empty) body; SVG children may self-close.
/// </summary>
internal static class Html
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "meta", "br", "hr", "col" };

    private static readonly HashSet<string> Svg = new(StringComparer.Ordinal)
    {
        "rect", "line", "polyline", "circle", "path", "polygon",
    };

    public static XElement E(string name, params object?[] content)
    {
        var element = new XElement(name, content.Where(c => c is not null));
        if (!element.Nodes().Any() && !Void.Contains(name) && !Svg.Contains(name)) element.Add("");
        return element;
    }

    public static XAttribute A(string name, object value) =>
        new(name, value is double d ? Num(d) : Convert.ToString(value, CultureInfo.InvariantCulture)!);

    public static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static XElement Table(IEnumerable<string> headers, IEnumerable<IEnumerable<object?>> rows) =>
        E("table",
            E("thead", E("tr", headers.Select(h => E("th", h)))),
            E("tbody", rows.Select(r => E("tr", r.Select(c => c is XElement x && x.Name == "td" ? x : E("td", c))))));
}
