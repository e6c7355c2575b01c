using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using FleetOrchestrator.Protocol.Validation;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// <c>/api/rollouts</c>: plan (<c>?dryRun=true</c>) and start staged rollouts, list them, watch one, its devices and
/// why a device waits, and the operator actions. Every action is recorded with the authenticated operator's name (the
/// API key's name) and the request's reason.
/// </summary>
internal static class RolloutEndpoints
{
    public const int MaxReasonLength = 500;

    public static void MapRolloutApi(this RouteGroupBuilder api)
    {
        api.MapPost("/rollouts", SubmitAsync);
        api.MapGet("/rollouts", ListAsync);
        api.MapGet("/rollouts/{id}", GetAsync);
        api.MapGet("/rollouts/{id}/devices", DevicesAsync);
        api.MapGet("/rollouts/{id}/devices/{deviceId}/why", WhyAsync);
        api.MapPost("/rollouts/{id}/{action}", ActAsync);
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, ArtifactStore store,
        [FromServices] IRollouts rollouts, CancellationToken ct)
    {
        if (!TryReadDryRun(request, out var dryRun, out var dryRunProblem)) return dryRunProblem!;
        RolloutRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RolloutRequest>(request.Body, FleetJson.Options, ct)
                .ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return BadRequest("Malformed rollout request",
                "the body is not JSON of the form {\"artifactId\": \"<sha256>\", \"policy\": {...}}: " + e.Message);
        }
        if (body is null)
            return BadRequest("Malformed rollout request",
                "the body is empty; send {\"artifactId\": ..., \"policy\": {...}}");

        var problems = new List<RolloutPolicyProblem>();
        if (body.Id is { } id && rollouts.DescribeRolloutIdProblem(id) is { } idProblem)
            problems.Add(new("$.id", idProblem));
        if (body.Reason is { Length: > MaxReasonLength })
            problems.Add(new("$.reason", $"reason is longer than {MaxReasonLength} characters"));
        var artifact = Artifact(store, body.ArtifactId, "$.artifactId", required: true, problems);
        var previous = Artifact(store, body.PreviousArtifactId, "$.previousArtifactId", required: false, problems);
        if (previous is { Metadata.DowngradeAllowed: false })
            problems.Add(new("$.previousArtifactId", $"artifact {previous.Id} ({previous.Metadata.Version}) was not "
                + "uploaded with allowDowngrade=true, so devices could not return to it"));
        var sagaErrors = new List<string>();
        var sagaPolicy = UpdatePolicyRequest.Parse(body.UpdatePolicy, sagaErrors);
        // UpdatePolicyRequest names members "policy.x" (POST /api/updates); here they live under $.updatePolicy.
        problems.AddRange(sagaErrors.Select(e => new RolloutPolicyProblem(
            "$.update" + char.ToUpperInvariant(e[0]) + e[1..e.IndexOf(": ", StringComparison.Ordinal)],
            e[(e.IndexOf(": ", StringComparison.Ordinal) + 2)..])));
        if (body.Policy is not { ValueKind: JsonValueKind.Object } policy)
            problems.Add(new("$.policy", "policy is required: an object (docs/rollouts.md)"));
        else if (problems.Count > 0)
            problems.AddRange(rollouts.DescribePolicyProblems(policy));
        else
        {
            var order = new RolloutOrder(body.Id, artifact!, previous, body.Seed, policy, Who(request.HttpContext),
                body.Reason ?? "", sagaPolicy);
            var submission = await rollouts.SubmitAsync(order, dryRun, ct).ConfigureAwait(false);
            return Answer(submission, dryRun);
        }
        return Invalid(problems);
    }

    private static IResult Answer(RolloutSubmission submission, bool dryRun)
    {
        if (submission.Problems.Count > 0) return Invalid(submission.Problems);
        if (submission.Refused is { } refused)
            return FleetProblems.Result(StatusCodes.Status409Conflict, "Rollout refused",
                $"rollout {submission.RolloutId}: {refused}",
                new Dictionary<string, object?> { ["rolloutId"] = submission.RolloutId });
        if (dryRun)
            return TypedResults.Ok(new { dryRun = true, rolloutId = submission.RolloutId, plan = submission.Plan });
        return TypedResults.Created($"/api/rollouts/{submission.RolloutId}",
            new { rolloutId = submission.RolloutId, status = submission.Status, plan = submission.Plan });
    }

    private static StoredArtifact? Artifact(ArtifactStore store, string? id, string path, bool required,
        List<RolloutPolicyProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            if (required) problems.Add(new(path, "an artifact id is required (upload it with POST /api/artifacts)"));
            return null;
        }
        if (store.Get(id) is not { } artifact)
        {
            problems.Add(new(path, $"no artifact with id '{id}' is stored; upload it with POST /api/artifacts first"));
            return null;
        }
        if (store.DamageOf(artifact.Id) is { } damage)
            problems.Add(new(path, $"artifact {artifact.Id} is damaged on the server ({damage}); upload it again"));
        return artifact;
    }

    private static async Task<IResult> ListAsync([FromServices] IRollouts rollouts, CancellationToken ct) =>
        TypedResults.Ok(await rollouts.ListAsync(ct).ConfigureAwait(false));

    private static async Task<IResult> GetAsync(string id, [FromServices] IRollouts rollouts, CancellationToken ct)
    {
        if (IdProblem(rollouts, id) is { } problem) return problem;
        return await rollouts.GetAsync(id, ct).ConfigureAwait(false) is { } rollout
            ? TypedResults.Ok(rollout)
            : NotFound(id);
    }

    private static async Task<IResult> DevicesAsync(string id, HttpRequest request, [FromServices] IRollouts rollouts,
        CancellationToken ct)
    {
        if (IdProblem(rollouts, id) is { } problem) return problem;
        var errors = new List<string>();
        string? Query(string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        int? wave = Query("wave") is { } w ? ReadInt(w, "wave", 0, 0, int.MaxValue, errors) : null;
        var offset = ReadInt(Query("offset"), "offset", 0, 0, int.MaxValue, errors);
        var limit = ReadInt(Query("limit"), "limit", RolloutDevicePage.DefaultLimit, 1, RolloutDevicePage.MaxLimit,
            errors);
        if (errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid device query",
                string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });
        return await rollouts.DevicesAsync(id, wave, offset, limit, ct).ConfigureAwait(false) is { } page
            ? TypedResults.Ok(page)
            : NotFound(id);
    }

    private static async Task<IResult> WhyAsync(string id, string deviceId, [FromServices] IRollouts rollouts,
        CancellationToken ct)
    {
        if (IdProblem(rollouts, id) is { } problem) return problem;
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } deviceProblem)
            return BadRequest("Invalid device id", $"'{deviceId}': {deviceProblem}");
        return await rollouts.WhyAsync(id, deviceId, ct).ConfigureAwait(false) is { } why
            ? TypedResults.Ok(why)
            : NotFound(id);
    }

    private static async Task<IResult> ActAsync(string id, string action, HttpRequest request,
        [FromServices] IRollouts rollouts, CancellationToken ct)
    {
        // Exactly one name: Enum.TryParse would also take "1" and "pause,resume" (their bitwise or).
        var name = Enum.GetNames<RolloutActionKind>()
            .FirstOrDefault(n => string.Equals(n, action, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown rollout action",
                $"'{action}' is not an action; use one of: "
                + string.Join(", ", Enum.GetNames<RolloutActionKind>().Select(n => n.ToLowerInvariant())));
        }
        var kind = Enum.Parse<RolloutActionKind>(name);
        if (IdProblem(rollouts, id) is { } problem) return problem;
        RolloutActionRequest? body = null;
        if (request.ContentLength is not 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync<RolloutActionRequest>(request.Body, FleetJson.Options, ct)
                    .ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return BadRequest("Malformed action request",
                    "the body is empty or JSON of the form {\"reason\": \"...\"}: " + e.Message);
            }
        }
        if (body?.Reason is { Length: > MaxReasonLength })
            return BadRequest("Invalid reason", $"reason is longer than {MaxReasonLength} characters");
        if (body?.Wave is not null && kind != RolloutActionKind.Approve)
            return BadRequest("Invalid action request", "wave is only taken by approve");

        var result = await rollouts.ActAsync(id, kind, Who(request.HttpContext), body?.Reason ?? "", body?.Wave, ct)
            .ConfigureAwait(false);
        if (!result.Found) return NotFound(id);
        return result.Accepted
            ? TypedResults.Ok(result)
            : FleetProblems.Result(StatusCodes.Status409Conflict, "Action refused",
                $"rollout {id} refused {action.ToLowerInvariant()}: {result.Reason}",
                new Dictionary<string, object?> { ["rolloutId"] = id, ["rolloutStatus"] = result.Status });
    }

    /// <summary>The authenticated operator's name (today one operator key, whose handler names it "operator").
    /// </summary>
    private static string Who(HttpContext context) => context.User.FindFirstValue(ClaimTypes.Name) ?? "operator";

    private static bool TryReadDryRun(HttpRequest request, out bool dryRun, out IResult? problem)
    {
        dryRun = false;
        problem = null;
        if (request.Query["dryRun"].FirstOrDefault() is not { Length: > 0 } text) return true;
        if (bool.TryParse(text, out dryRun)) return true;
        problem = BadRequest("Invalid dryRun", $"dryRun is '{text}'; use true or false");
        return false;
    }

    private static IResult? IdProblem(IRollouts rollouts, string id) =>
        rollouts.DescribeRolloutIdProblem(id) is { } problem
            ? BadRequest("Invalid rollout id", $"'{id}': {problem}")
            : null;

    private static IResult Invalid(IReadOnlyList<RolloutPolicyProblem> problems) =>
        FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid rollout",
            string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")),
            new Dictionary<string, object?> { ["errors"] = problems });

    private static IResult NotFound(string id) =>
        FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown rollout", $"no rollout has the id '{id}'");

    private static IResult BadRequest(string title, string detail) =>
        FleetProblems.Result(StatusCodes.Status400BadRequest, title, detail);

    private static int ReadInt(string? text, string name, int fallback, int min, int max, List<string> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        errors.Add($"{name} is '{text}'; use a whole number from {min} to {max}");
        return fallback;
    }
}
