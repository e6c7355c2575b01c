using System.Text.Json;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// Where a client verb writes: the JSON for scripts, or Spectre.Console tables for people. Tables go to the command's
/// output writer; without a terminal there are no colours or cursor moves and the width is wide enough not to wrap ids.
/// </summary>
internal sealed class ClientOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public ClientOutput(TextWriter output, TextWriter error, bool json)
    {
        Out = output;
        Error = error;
        Json = json;
        IsTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = Create(output, IsTerminal);
        ErrorIsTerminal = ReferenceEquals(error, System.Console.Error) && !System.Console.IsErrorRedirected;
        ErrorConsole = Create(error, ErrorIsTerminal);
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public bool Json { get; }
    /// <summary>The output is the process's stdout and that is a terminal: live displays may move the cursor.</summary>
    public bool IsTerminal { get; }
    public bool ErrorIsTerminal { get; }
    public IAnsiConsole Console { get; }
    public IAnsiConsole ErrorConsole { get; }

    public void WriteJson(JsonElement element) => Out.WriteLine(JsonSerializer.Serialize(element, Indented));

    public static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal) console.Profile.Width = 200;
        return console;
    }
}
