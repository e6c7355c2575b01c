using System.Text.Json;
using System.Text.Json.Nodes;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// The body of POST /api/rollouts from a file: either the whole request ({"artifactId", "policy", …}, as in
/// docs/rollouts.md) or just a policy (as in config/rollouts/); the command's options fill or replace the request's
/// members. The server validates the rest and names each problem by its JSON path.
/// </summary>
internal sealed record RolloutRequestFile(string? ArtifactId, string? PreviousArtifactId, string? Id, int? Seed,
    string? Reason)
{
    public JsonElement Build(string path)
    {
        if (!File.Exists(path)) throw new ClientUsageException($"{path} does not exist");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ClientUsageException($"{path} is not JSON: {e.Message}");
        }
        if (root is not JsonObject file) throw new ClientUsageException($"{path} is not a JSON object");
        var request = file.ContainsKey("policy") ? file : new JsonObject { ["policy"] = file };
        if (ArtifactId is not null) request["artifactId"] = ArtifactId;
        if (PreviousArtifactId is not null) request["previousArtifactId"] = PreviousArtifactId;
        if (Id is not null) request["id"] = Id;
        if (Seed is not null) request["seed"] = Seed;
        if (Reason is not null) request["reason"] = Reason;
        if (request["artifactId"] is null)
            throw new ClientUsageException($"{path} names no artifactId: give --artifact ID");
        return JsonSerializer.SerializeToElement(request);
    }
}
