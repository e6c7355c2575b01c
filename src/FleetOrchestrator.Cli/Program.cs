using FleetOrchestrator.Cli;

return await FleetCli.RunAsync(args, Console.Out, Console.Error);
