using System.Text.Json;
using FleetOrchestrator.Protocol.Validation;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api;

/// <summary><c>POST /api/updates {artifactId, deviceIds[]}</c>: start the update saga of each listed device.</summary>
internal static class UpdateEndpoints
{
    /// <summary>One request starts at most this many sagas; larger fleets go through rollouts.</summary>
    public const int MaxDevicesPerRequest = 100_000;

    public static void MapUpdateApi(this RouteGroupBuilder api) => api.MapPost("/updates", StartAsync);

    private static async Task<IResult> StartAsync(HttpRequest request, ArtifactStore store, IUpdateCommands updates, CancellationToken ct)
    {
        UpdateRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<UpdateRequest>(request.Body, FleetJson.Options, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return BadRequest("Malformed update request",
                $"the body is not JSON of the form {{\"artifactId\": \"<sha256>\", \"deviceIds\": [\"dev-1\"]}}: {e.Message}");
        }
        if (body is null) return BadRequest("Malformed update request", "the body is empty; send {\"artifactId\": ..., \"deviceIds\": [...]}");

        if (string.IsNullOrWhiteSpace(body.ArtifactId)) return BadRequest("Missing artifact", "artifactId is required");
        if (store.Get(body.ArtifactId) is not { } artifact)
            return BadRequest("Unknown artifact", $"no artifact with id '{body.ArtifactId}' is stored; upload it with POST /api/artifacts first");
        if (store.DamageOf(artifact.Id) is { } damage)
            return FleetProblems.Result(StatusCodes.Status409Conflict, "Artifact damaged",
                $"artifact {artifact.Id} is damaged on the server ({damage}); " +
                "upload the image again or delete the artifact",
                new Dictionary<string, object?> { ["artifactId"] = artifact.Id });

        if (body.DeviceIds is not { Count: > 0 } ids) return BadRequest("No devices", "deviceIds must list at least one device");
        if (ids.Count > MaxDevicesPerRequest)
            return BadRequest("Too many devices", $"deviceIds lists {ids.Count:N0} devices; one request takes at most {MaxDevicesPerRequest:N0} (use a rollout)");

        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (WireIdentifiers.DescribeDeviceIdProblem(id) is { } problem) errors.Add($"deviceIds[{i}] '{id}': {problem}");
            else if (!seen.Add(id!)) errors.Add($"deviceIds[{i}] '{id}' is listed twice");
            if (errors.Count == 20)
            {
                errors.Add("(further errors not listed)");
                break;
            }
        }
        if (errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid device ids", string.Join("; ", errors),
                new Dictionary<string, object?> { ["errors"] = errors });

        var policy = UpdatePolicyRequest.Parse(body.Policy, errors);
        if (policy is not null && updates.DescribePolicyProblem(policy) is { } policyProblem)
            errors.Add("policy: " + policyProblem);
        if (policy is null || errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid update policy",
                string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });

        var order = new UpdateOrder(artifact, [.. ids.Select(id => id!)], policy);
        var decisions = await updates.StartUpdateAsync(order, ct).ConfigureAwait(false);
        int accepted = decisions.Count(d => d.Accepted);
        int pending = decisions.Count(d => d.Status == UpdateDecision.PendingStatus);
        var response = new UpdateResponse(artifact.Id, artifact.Metadata.Version, accepted,
            decisions.Count - accepted - pending, decisions, pending);
        // Pending: a saga may have started without its answer reaching us; 202 says "not decided yet", each pending
        // decision says where to look (GET /api/devices/{id}).
        return pending > 0 ? TypedResults.Accepted((string?)null, response) : TypedResults.Ok(response);
    }

    private static IResult BadRequest(string title, string detail) => FleetProblems.Result(StatusCodes.Status400BadRequest, title, detail);
}
