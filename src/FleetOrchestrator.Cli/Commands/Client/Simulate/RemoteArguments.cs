using System.CommandLine;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>The options `fleet simulate` shares between its in-process run and its run against a server.</summary>
internal sealed record RemoteArguments(
    Option<long> Seed,
    Option<string?> Faults,
    Option<string?> Population,
    Option<string> Link,
    Option<double> Speedup,
    Option<bool> NoDelays,
    Option<int> MaxInFlight,
    Option<int> Timeout,
    Option<string?> Rollout,
    Option<bool> DryRun,
    Option<bool> KeepWindow,
    Option<string?> Report);
