using System.CommandLine;
using FleetOrchestrator.Cli.Commands;

var root = new RootCommand("fleet: over-the-air firmware updates for STM32L072 fleets");
root.Subcommands.Add(ModelCommands.Create());
return await root.Parse(args).InvokeAsync();
