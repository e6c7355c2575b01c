using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>`fleet artifacts upload FILE --version X | list | show ID` against a running server.</summary>
internal static class ArtifactsCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("artifacts", "Firmware images on a running fleet serve: upload, list, show");
        command.Subcommands.Add(Upload(environment));
        command.Subcommands.Add(List(environment));
        command.Subcommands.Add(Show(environment));
        return command;
    }

    private static readonly (string, string)[] Columns =
    [
        ("id", "id"), ("version", "version"), ("target", "hardwareTarget"), ("size", "size"), ("crc32", "crc32"),
        ("file", "originalFileName"), ("uploaded", "uploadedAt"), ("damaged", "damaged"),
    ];

    private static Command Upload(ClientEnvironment environment)
    {
        var file = new Argument<string>("FILE") { Description = "Intel HEX or raw binary L072 bank image" };
        var version = new Option<string>("--version") { Description = "Version of the image, X.Y.Z", Required = true };
        var target = new Option<string?>("--target") { Description = "Hardware target (default stm32l072cz)" };
        var downgrade = new Option<bool>("--allow-downgrade")
        {
            Description = "Sign the manifest as a permitted downgrade (needed for a rollout's previousArtifactId)",
        };
        var command = new Command("upload", "Upload an image; the server validates, signs and stores it")
        {
            file, version, target, downgrade,
        };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, token) =>
            {
                var path = parseResult.GetValue(file)!;
                if (!File.Exists(path)) throw new ClientUsageException($"{path} does not exist");
                var length = new FileInfo(path).Length;
                var answer = output.ErrorIsTerminal && !output.Json
                    ? await WithProgressBarAsync(output, path, length, progress => api.UploadArtifactAsync(path,
                        parseResult.GetValue(version)!, parseResult.GetValue(target), parseResult.GetValue(downgrade),
                        progress, token)).ConfigureAwait(false)
                    : await api.UploadArtifactAsync(path, parseResult.GetValue(version)!, parseResult.GetValue(target),
                        parseResult.GetValue(downgrade), null, token).ConfigureAwait(false);
                if (output.Json)
                {
                    output.WriteJson(answer);
                    return ExitCodes.Success;
                }
                var artifact = JsonText.Member(answer, "artifact");
                var created = JsonText.Member(answer, "created").ValueKind == System.Text.Json.JsonValueKind.True;
                output.Console.WriteLine(created
                    ? $"uploaded {Path.GetFileName(path)} ({length} bytes) as a new artifact"
                    : $"{Path.GetFileName(path)} was already stored: the same artifact");
                output.Console.Write(Tables.Fields(artifact, Columns));
                return ExitCodes.Success;
            });
        return command;
    }

    private static async Task<System.Text.Json.JsonElement> WithProgressBarAsync(ClientOutput output, string path,
        long length, Func<IProgress<long>, Task<System.Text.Json.JsonElement>> upload)
    {
        System.Text.Json.JsonElement answer = default;
        await output.ErrorConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"upload {Path.GetFileName(path)}", maxValue: Math.Max(1, length));
            answer = await upload(new Progress<long>(sent => task.Value = sent)).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return answer;
    }

    private static Command List(ClientEnvironment environment)
    {
        var command = new Command("list", "List the stored artifacts");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (_, api, output, ct) =>
        {
            var answer = await api.ListArtifactsAsync(ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else output.Console.Write(Tables.Of(JsonText.Items(answer), Columns));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Artifact id (its SHA-256)" };
        var command = new Command("show", "Show one artifact and its signed manifest") { id };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, token) =>
            {
                var answer = await api.GetArtifactAsync(parseResult.GetValue(id)!, token).ConfigureAwait(false);
                if (output.Json)
                {
                    output.WriteJson(answer);
                    return ExitCodes.Success;
                }
                output.Console.Write(Tables.Fields(answer,
                [
                    .. Columns, ("min bootloader", "minimumBootloader"), ("downgrade", "downgradeAllowed"),
                    ("key id", "keyId"), ("damage", "damageReason"),
                ]));
                return ExitCodes.Success;
            });
        return command;
    }
}
