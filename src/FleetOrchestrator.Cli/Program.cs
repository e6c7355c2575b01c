using FleetOrchestrator.Cli;
using FleetOrchestrator.Cli.Commands;

var root = FleetCli.CreateRoot();
root.Subcommands.Add(ModelCommands.Create());
root.Subcommands.Add(SimulateCommand.Create());
return await FleetCli.RunAsync(root, args, Console.Out, Console.Error);
