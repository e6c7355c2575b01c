using System.CommandLine;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>`fleet model ...` (owned by the L072 work; replaced by the real sweep command).</summary>
public static class ModelCommands
{
    public static Command Create() => new("model", "The STM32L072 flash/boot model");
}
