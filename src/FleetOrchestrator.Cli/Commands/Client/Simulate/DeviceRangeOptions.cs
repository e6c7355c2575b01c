using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Simulation.Attached;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// The device id range of a simulator attached to a server (`fleet simulate --server`, `fleet devices simulate`):
/// --id-prefix, --first-id with the command's own count option, or --id-range FIRST-LAST instead of both.
/// </summary>
internal sealed class DeviceRangeOptions
{
    private readonly Option<int> _count;

    private DeviceRangeOptions(Option<int> count) => _count = count;

    public Option<string> Prefix { get; } = new("--id-prefix", "--prefix")
    {
        Description = "Device ids are PREFIX followed by the number, zero-padded to at least 4 digits",
        DefaultValueFactory = _ => "sim-",
    };

    public Option<long?> FirstId { get; } = new("--first-id")
    {
        Description = "Number of the first device (default 1); the devices are FIRST … FIRST+COUNT-1",
    };

    public Option<string?> IdRange { get; } = new("--id-range")
    {
        Description = "Numbers FIRST-LAST (both included), e.g. 0-4999, instead of --first-id and the count; "
            + "simulators sharing one server need disjoint ranges",
    };

    /// <summary>Adds the range options to <paramref name="command"/>, beside its existing count option.</summary>
    public static DeviceRangeOptions AddTo(Command command, Option<int> count)
    {
        var options = new DeviceRangeOptions(count);
        command.Options.Add(options.Prefix);
        command.Options.Add(options.FirstId);
        command.Options.Add(options.IdRange);
        return options;
    }

    /// <summary>True when the command line names any of the range options (they only mean something with a
    /// server).</summary>
    public bool Given(ParseResult parseResult) =>
        new Option[] { Prefix, FirstId, IdRange }.Any(o => parseResult.GetResult(o) is { Implicit: false });

    public DeviceIdRange Read(ParseResult parseResult)
    {
        try
        {
            return DeviceIdRange.From(parseResult.GetValue(Prefix)!, parseResult.GetValue(IdRange),
                parseResult.GetValue(FirstId), parseResult.GetValue(_count),
                parseResult.GetResult(_count) is { Implicit: false });
        }
        catch (FormatException e)
        {
            throw new ClientUsageException(e.Message);
        }
    }
}
