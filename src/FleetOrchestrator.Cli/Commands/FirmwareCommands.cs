using System.CommandLine;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>`fleet firmware ...`: inspect, keygen, sign, verify.</summary>
public static class FirmwareCommands
{
    public static Command Create()
    {
        var firmware = new Command("firmware", "Inspect, sign and verify STM32L072 bank images");
        firmware.Subcommands.Add(FirmwareInspectCommand.Create());
        firmware.Subcommands.Add(FirmwareKeygenCommand.Create());
        firmware.Subcommands.Add(FirmwareSignCommand.Create());
        firmware.Subcommands.Add(FirmwareVerifyCommand.Create());
        return firmware;
    }
}
