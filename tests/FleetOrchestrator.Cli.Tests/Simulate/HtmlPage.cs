using System.Xml;
using System.Xml.Linq;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// Reads a report page strictly (as XML: an unclosed or misnested tag fails), and lists whatever in it would make a
/// browser fetch something: elements that load, attributes that point elsewhere, CSS url().
/// </summary>
public static class HtmlPage
{
    private static readonly HashSet<string> Loading = ["script", "link", "img", "iframe", "object", "embed", "image",
        "use", "source", "video", "audio"];

    public static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        using var reader = XmlReader.Create(new StringReader(html),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IReadOnlyList<string> ExternalReferences(XDocument document)
    {
        var found = new List<string>();
        foreach (var element in document.Descendants())
        {
            if (Loading.Contains(element.Name.LocalName)) found.Add($"<{element.Name.LocalName}>");
            foreach (var attribute in element.Attributes())
            {
                var name = attribute.Name.LocalName;
                if (name is "src" or "href" or "srcset" or "action" or "xmlns" || attribute.Value.Contains("//")
                    || attribute.Value.Contains("url(", StringComparison.OrdinalIgnoreCase))
                    found.Add($"{element.Name.LocalName} {name}=\"{attribute.Value}\"");
            }
        }
        foreach (var style in document.Descendants("style"))
            if (style.Value.Contains("url(", StringComparison.OrdinalIgnoreCase) || style.Value.Contains("@import"))
                found.Add("style with url() or @import");
        return found;
    }
}
