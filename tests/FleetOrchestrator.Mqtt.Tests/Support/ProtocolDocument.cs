using System.Text.RegularExpressions;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>PROTOCOL.md as shipped (linked into the test output): tests hold the broker to what it says.</summary>
internal static class ProtocolDocument
{
    public static readonly string Text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PROTOCOL.md"));

    /// <summary>The text with each run of whitespace as one space: a sentence is found across line breaks.</summary>
    public static readonly string Prose = Regex.Replace(Text, @"\s+", " ");
}
