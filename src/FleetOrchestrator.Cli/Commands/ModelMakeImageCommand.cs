using System.CommandLine;
using System.Globalization;
using System.Text;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet model make-image --version X.Y.Z --behaviour boots|crash-loop|hang|fails-health --out FILE(.bin|.hex)`:
/// writes a synthetic L072 image whose marker tells the model how it behaves.
/// </summary>
internal static class ModelMakeImageCommand
{
    private static readonly Dictionary<string, ImageBehaviour> Behaviours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["boots"] = ImageBehaviour.Boots,
        ["crash-loop"] = ImageBehaviour.CrashLoop,
        ["hang"] = ImageBehaviour.Hang,
        ["fails-health"] = ImageBehaviour.FailsHealth,
    };

    public static Command Create()
    {
        var version = new Option<string>("--version") { Description = "Version carried in the marker, major.minor.patch" };
        var behaviour = new Option<string>("--behaviour") { Description = "boots | crash-loop | hang | fails-health (default boots)" };
        var lacksVtor = new Option<bool>("--lacks-vtor-fix") { Description = "The image does not set VTOR: it crashes after a ROM-mediated (BFB2) boot" };
        var size = new Option<string>("--size") { Description = "Image size in bytes, a multiple of 4 (default 98304 = a full bank)" };
        var output = new Option<string>("--out") { Description = "Output file: .hex (Intel HEX) or .bin" };
        var command = new Command("make-image", "Write a synthetic L072 image (vector table + behaviour marker) for the model and the simulator")
        {
            version, behaviour, lacksVtor, size, output,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            if (ModelCommands.UnexpectedTokens(parseResult) is { } unexpected) return ModelCommands.Usage(parseResult, unexpected);
            if (!SemanticVersion.TryParse(parseResult.GetValue(version), out var v))
                return ModelCommands.Usage(parseResult, $"--version must be major.minor.patch (e.g. 1.1.0), got '{parseResult.GetValue(version)}'");
            if (v.Major > ushort.MaxValue || v.Minor > ushort.MaxValue || v.Patch > ushort.MaxValue)
                return ModelCommands.Usage(parseResult, $"--version parts must be at most {ushort.MaxValue} (the marker holds 16 bits each)");
            string behaviourText = parseResult.GetValue(behaviour) ?? "boots";
            if (!Behaviours.TryGetValue(behaviourText, out var b))
                return ModelCommands.Usage(parseResult, $"--behaviour must be one of {string.Join(", ", Behaviours.Keys)}, got '{behaviourText}'");
            int bytes = 98_304;
            if (parseResult.GetValue(size) is { } sizeText
                && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out bytes) || bytes % 4 != 0 || bytes < 256 || bytes > 98_304))
                return ModelCommands.Usage(parseResult, $"--size must be a multiple of 4 from 256 to 98304 bytes, got '{sizeText}'");
            string? path = parseResult.GetValue(output);
            if (string.IsNullOrWhiteSpace(path)) return ModelCommands.Usage(parseResult, "--out FILE is required (.hex or .bin)");
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is not (".hex" or ".bin")) return ModelCommands.Usage(parseResult, $"--out must end in .hex or .bin, got '{path}'");

            var image = SyntheticImage.Create(v, b, bytes, parseResult.GetValue(lacksVtor));
            try
            {
                if (ext == ".hex") File.WriteAllText(path, IntelHexWriter.Write(image, SyntheticImage.LinkAddress, SyntheticImage.ResetHandler), Encoding.ASCII);
                else File.WriteAllBytes(path, image);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return ModelCommands.Usage(parseResult, $"{path}: cannot write: {e.Message}");
            }
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"wrote {path}: version {v}, {behaviourText}{(parseResult.GetValue(lacksVtor) ? ", lacks VTOR fix" : "")}, {bytes} bytes, CRC 0x{Stm32Crc.Compute(image):X8}");
            return 0;
        });
        return command;
    }
}
