using System.CommandLine;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>`fleet firmware inspect FILE [--json]`: exit 0 valid, 1 not a valid L072 bank image, 2 unreadable.</summary>
public static class FirmwareInspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Image file: Intel HEX (.hex) or raw binary (.bin, taken as linked at 0x08000000)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a summary" };
        var command = new Command("inspect", "Check that an image can be written into an STM32L072 bank and boot after the swap");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string path = parse.GetValue(file)!;
            if (!CliFiles.TryReadBytes(path, error, out var content)) return ExitCodes.UsageOrIoError;
            var result = ImageFileReader.Read(path, content);
            output.Write(parse.GetValue(json) ? InspectionReport.ToJson(path, result) + Environment.NewLine : InspectionReport.ToText(path, result));
            return result.IsValid ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }
}
