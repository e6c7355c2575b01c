using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Sweep;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet model sweep --from OLD --to NEW [--json] [--torn] [--chunk-size N] [--rom 4.0|4.1] [--start-bank 1|2]`:
/// cuts power before every non-volatile operation of one update and checks the device never bricks and always ends
/// as the uninterrupted update does (NEW committed; or OLD again when NEW crash-loops, hangs or fails health).
/// Exit 0 when bricked = 0 and completed = cuts, 1 otherwise, 2 on usage or I/O errors.
/// </summary>
internal static class ModelSweepCommand
{
    private const int FailuresListed = 20;

    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Image the device runs first (.hex or .bin, linked at 0x08000000)" };
        var to = new Option<string>("--to") { Description = "Image the update installs (.hex or .bin)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (operations, cuts, bricked, completed, failures)" };
        var torn = new Option<bool>("--torn") { Description = "Interrupted operations leave torn content instead of not running (see the L072 README)" };
        var chunk = new Option<string>("--chunk-size") { Description = "Download chunk size in bytes handed to the agent (default 1024)" };
        var rom = new Option<string>("--rom") { Description = "ROM bootloader version of the modelled part: 4.1 (default) or 4.0 (no dual-bank boot)" };
        var startBank = new Option<string>("--start-bank") { Description = "Bank OLD runs from: 1 (default, BFB2=0) or 2 (second update, BFB2=1)" };
        var command = new Command("sweep", "Power-cut sweep: cut before every flash/EEPROM/option-byte operation of an update, check nothing bricks")
        {
            from, to, json, torn, chunk, rom, startBank,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            if (ModelCommands.UnexpectedTokens(parseResult) is { } unexpected) return ModelCommands.Usage(parseResult, unexpected);
            string? fromPath = parseResult.GetValue(from), toPath = parseResult.GetValue(to);
            if (string.IsNullOrWhiteSpace(fromPath) || string.IsNullOrWhiteSpace(toPath))
                return ModelCommands.Usage(parseResult, "both --from OLD and --to NEW are required (image files, .hex or .bin)");
            int chunkSize = 1024;
            if (parseResult.GetValue(chunk) is { } chunkText
                && (!int.TryParse(chunkText, NumberStyles.None, CultureInfo.InvariantCulture, out chunkSize) || chunkSize < 1 || chunkSize > 98_304))
                return ModelCommands.Usage(parseResult, $"--chunk-size must be a whole number of bytes from 1 to 98304, got '{chunkText}'");
            string romText = parseResult.GetValue(rom) ?? "4.1";
            if (romText is not ("4.0" or "4.1")) return ModelCommands.Usage(parseResult, $"--rom must be 4.0 or 4.1, got '{romText}'");
            string startText = parseResult.GetValue(startBank) ?? "1";
            if (startText is not ("1" or "2")) return ModelCommands.Usage(parseResult, $"--start-bank must be 1 or 2, got '{startText}'");
            if (!ModelImageFiles.TryLoad(fromPath, out var oldImage, out var error)) return ModelCommands.Usage(parseResult, error);
            if (!ModelImageFiles.TryLoad(toPath, out var newImage, out error)) return ModelCommands.Usage(parseResult, error);

            var options = new SweepOptions
            {
                ChunkSize = chunkSize,
                Start = startText == "2" ? SweepStart.OldOnBank2 : SweepStart.OldOnBank1,
                Configuration = L072Configuration.Default with
                {
                    RomBootloader = romText == "4.0" ? RomBootloaderVersion.V4_0 : RomBootloaderVersion.V4_1,
                    Assumptions = L072Assumptions.Default with
                    {
                        InterruptedOperation = parseResult.GetValue(torn) ? InterruptedOperation.Torn : InterruptedOperation.NotStarted,
                    },
                },
            };
            bool asJson = parseResult.GetValue(json);
            var stderr = parseResult.InvocationConfiguration.Error;
            var progress = asJson ? null : new StderrProgress(stderr);
            SweepResult result;
            try
            {
                result = PowerCutSweep.Run(oldImage, newImage, options, progress);
            }
            catch (InvalidOperationException e)
            {
                // The uninterrupted update itself fails (e.g. NEW crash-loops and is reverted): nothing to sweep.
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
            progress?.Finish();
            var stdout = parseResult.InvocationConfiguration.Output;
            if (asJson) stdout.WriteLine(JsonSerializer.Serialize(ToJson(result), JsonOptions));
            else WriteSummary(stdout, fromPath, toPath, result);
            return result.Passed ? 0 : 1;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static object ToJson(SweepResult r) => new
    {
        operations = r.Operations,
        cuts = r.Cuts,
        bricked = r.Bricked,
        completed = r.Completed,
        expectedEnd = r.ExpectedEnd == ProcedureResult.Completed ? "NewCommitted" : "RolledBack",
        passed = r.Passed,
        operationsByKind = r.OperationsByKind.OrderBy(k => k.Key).ToDictionary(k => k.Key.ToString(), k => k.Value),
        simulatedUpdateSeconds = Math.Round(r.SimulatedUpdateTime.TotalSeconds, 3),
        elapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 3),
        failureCount = r.Failures.Count,
        failures = r.Failures.Take(100).Select(f => new
        {
            cutBeforeOperation = f.CutBeforeOperation,
            operation = f.Operation.Kind.ToString(),
            address = $"0x{f.Operation.Address:X8}",
            result = f.Outcome.Result.ToString(),
            detail = f.Outcome.Detail,
            runState = f.Outcome.FinalReport.RunState.ToString(),
            runningVersion = f.Outcome.FinalReport.RunningVersion?.ToString(),
            activeBank = f.Outcome.FinalReport.ActiveBank,
            bfb2 = f.Outcome.FinalReport.Bfb2,
        }),
    };

    private static void WriteSummary(TextWriter o, string from, string to, SweepResult r)
    {
        var kinds = string.Join(", ", r.OperationsByKind.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key}"));
        o.WriteLine($"Power-cut sweep: {from} -> {to}");
        o.WriteLine($"  operations in one update: {r.Operations} ({kinds})");
        o.WriteLine($"  simulated update time:    {r.SimulatedUpdateTime.TotalSeconds:F1} s");
        o.WriteLine($"  uninterrupted run ends:   {(r.ExpectedEnd == ProcedureResult.Completed ? "on the new image, committed" : "back on the old image (the new one was reverted)")}");
        o.WriteLine($"  cuts: {r.Cuts}   bricked: {r.Bricked}   completed: {r.Completed}   (swept in {r.Elapsed.TotalSeconds:F1} s)");
        foreach (var f in r.Failures.Take(FailuresListed))
            o.WriteLine($"  cut before #{f.CutBeforeOperation} ({f.Operation.Kind} at 0x{f.Operation.Address:X8}): {f.Outcome.Result}: {f.Outcome.Detail}");
        if (r.Failures.Count > FailuresListed) o.WriteLine($"  ... and {r.Failures.Count - FailuresListed} more (use --json for up to 100)");
        o.WriteLine(r.Passed ? "PASS: never bricked, every run ended as the uninterrupted one" : "FAIL");
    }

    /// <summary>Live progress on one stderr line; called from worker threads, so it writes under a lock.</summary>
    private sealed class StderrProgress(TextWriter stderr) : IProgress<SweepProgress>
    {
        private readonly Lock _gate = new();
        private bool _wrote;

        public void Report(SweepProgress value)
        {
            lock (_gate)
            {
                stderr.Write($"\rsweeping: {value.Done}/{value.Total} cuts");
                _wrote = true;
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                if (_wrote) stderr.WriteLine();
            }
        }
    }
}
