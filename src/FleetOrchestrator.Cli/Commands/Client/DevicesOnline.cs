using System.CommandLine;
using System.Text.Json;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// The online halves of `fleet devices`: list (with filters), show (with the saga timeline), register, revoke, against
/// a running server. <see cref="DevicesCommand"/> decides online or offline (docs/cli.md, "devices: online or
/// offline").
/// </summary>
internal static class DevicesOnline
{
    public sealed record ListFilters(string? Version, string? State, string? Outcome, bool? Online,
        IReadOnlyDictionary<string, string> Tags, int? Limit);

    public static async Task<int> ListAsync(FleetApiClient api, ClientOutput output, ListFilters filters,
        CancellationToken ct)
    {
        var page = await api.ListDevicesAsync(new Dictionary<string, string?>
        {
            ["version"] = filters.Version,
            ["state"] = filters.State,
            ["outcome"] = filters.Outcome,
            ["online"] = filters.Online?.ToString().ToLowerInvariant(),
            ["limit"] = filters.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct).ConfigureAwait(false);
        var devices = JsonText.Items(JsonText.Member(page, "devices")).ToList();
        if (filters.Tags.Count > 0)
        {
            // The fleet list carries no tags: each listed device's detail is asked for them (one request a device).
            var kept = new List<JsonElement>();
            foreach (var device in devices)
            {
                var detail = await api.GetDeviceAsync(JsonText.Of(device, "deviceId"), ct).ConfigureAwait(false);
                var tags = JsonText.Member(detail, "tags");
                if (filters.Tags.All(t => JsonText.Of(tags, t.Key) == t.Value)) kept.Add(device);
            }
            devices = kept;
            page = JsonSerializer.SerializeToElement(new
            {
                devices, total = devices.Count, offset = 0, limit = JsonText.Int(page, "limit"),
            });
        }
        if (output.Json)
        {
            output.WriteJson(page);
            return ExitCodes.Success;
        }
        output.Console.Write(Tables.Of(devices, ("device", "deviceId"), ("version", "runningVersion"),
            ("online", "online"), ("state", "state"), ("last outcome", "lastOutcome"), ("last seen", "lastSeen")));
        output.Console.WriteLine($"{devices.Count} shown of {JsonText.Int(page, "total")}");
        return ExitCodes.Success;
    }

    public static async Task<int> RevokeAsync(FleetApiClient api, ClientOutput output, string id, CancellationToken ct)
    {
        await api.RevokeDeviceAsync(id, ct).ConfigureAwait(false);
        if (output.Json) output.Out.WriteLine($$"""{"deviceId":{{JsonSerializer.Serialize(id)}},"revoked":true}""");
        else output.Out.WriteLine($"revoked  {id} on {api.Connection.Server}");
        return ExitCodes.Success;
    }

    public static Command Show(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var command = new Command("show", "One device on a running server: state, tags, saga timeline") { id };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var detail = await api.GetDeviceAsync(parseResult.GetValue(id)!, ct).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(detail);
                return ExitCodes.Success;
            }
            var summary = JsonText.Member(detail, "summary");
            output.Console.Write(Tables.Fields(summary, ("device", "deviceId"), ("version", "runningVersion"),
                ("online", "online"), ("state", "state"), ("last outcome", "lastOutcome"),
                ("target artifact", "targetArtifactId"), ("last seen", "lastSeen")));
            output.Console.WriteLine($"tags: {JsonText.Of(detail, "tags")}");
            output.Console.Write(Tables.Of(JsonText.Items(JsonText.Member(detail, "history")), ("at", "at"),
                ("saga", "sagaId"), ("event", "event"), ("detail", "detail")));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Register(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID")
        {
            Description = "Device id (its MQTT user name, client id and topic level)",
        };
        var tags = new Option<string[]>("--tag")
        {
            Description = "Tag k=v (repeat for more)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("register",
            "Provision a device on a running server and print its secret (shown once)")
        {
            id, tags,
        };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.RegisterDeviceAsync(parseResult.GetValue(id)!,
                TagArguments.Parse(parseResult.GetValue(tags)), ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Fields(answer, ("device", "deviceId"), ("secret", "secret"),
                    ("mqtt host", "mqttHost"), ("mqtt port", "mqttPort"), ("command topic", "commandTopic")));
                output.Console.WriteLine("the secret is shown this once: put it on the device");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
