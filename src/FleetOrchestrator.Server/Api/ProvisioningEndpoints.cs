using System.Text.Json;
using FleetOrchestrator.Protocol.Validation;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// <c>POST /api/devices {deviceId}</c> (provision: 201 with the secret, shown once; 409 when it exists) and
/// <c>DELETE /api/devices/{id}/credentials</c> (revoke), and <c>PUT /api/devices/{id}/tags</c> (replace its tags;
/// <c>POST /api/devices</c> takes them too). Hosts that own a credential store map these with
/// <see cref="MapDeviceProvisioningApi"/> and register <see cref="IDeviceProvisioning"/>.
/// </summary>
public static class ProvisioningEndpoints
{
    public static IEndpointRouteBuilder MapDeviceProvisioningApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").RequireAuthorization(FleetPolicies.Operator);
        api.MapPost("/devices", RegisterAsync);
        api.MapDelete("/devices/{id}/credentials", RevokeAsync);
        api.MapPut("/devices/{id}/tags", SetTagsAsync);
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(HttpRequest request, IDeviceProvisioning provisioning, CancellationToken ct)
    {
        DeviceRegistrationRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<DeviceRegistrationRequest>(request.Body, FleetJson.Options, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return BadRequest("Malformed device registration", $"the body is not JSON of the form {{\"deviceId\": \"dev-0001\"}}: {e.Message}");
        }
        if (body is null || string.IsNullOrEmpty(body.DeviceId))
            return InvalidDeviceId("Missing device id", "send {\"deviceId\": \"dev-0001\"}");
        if (provisioning.DescribeDeviceIdProblem(body.DeviceId) is { } problem)
            return InvalidDeviceId("Invalid device id", $"deviceId '{body.DeviceId}': {problem}");
        // Tags are checked before anything is written: a refused registration leaves no credentials behind.
        if (body.Tags is { } tags && DeviceTagRules.Problems(tags) is { Count: > 0 } tagProblems)
            return InvalidTags(tagProblems);

        DeviceRegistration? registration;
        try
        {
            registration = await provisioning.RegisterAsync(body.DeviceId, ct).ConfigureAwait(false);
        }
        catch (DeviceProvisioningException e)
        {
            return Refused(e);
        }
        if (registration is not null)
        {
            if (body.Tags is { Count: > 0 } given)
                await provisioning.SetTagsAsync(registration.DeviceId, Valid(given), ct).ConfigureAwait(false);
            return TypedResults.Created($"/api/devices/{Uri.EscapeDataString(registration.DeviceId)}", registration);
        }
        return FleetProblems.Result(StatusCodes.Status409Conflict, "Device already provisioned",
                $"device '{body.DeviceId}' already has credentials; revoke them with DELETE /api/devices/{body.DeviceId}/credentials to issue a new secret");
    }

    private static async Task<IResult> RevokeAsync(string id, IDeviceProvisioning provisioning, CancellationToken ct)
    {
        if (WireIdentifiers.DescribeDeviceIdProblem(id) is { } problem)
            return BadRequest("Invalid device id", $"'{id}': {problem}");
        bool revoked;
        try
        {
            revoked = await provisioning.RevokeAsync(id, ct).ConfigureAwait(false);
        }
        catch (DeviceProvisioningException e)
        {
            return Refused(e);
        }
        return revoked
            ? TypedResults.NoContent()
            : FleetProblems.Result(StatusCodes.Status404NotFound, "No credentials", $"device '{id}' has no credentials to revoke");
    }

    private static IResult Refused(DeviceProvisioningException e) =>
        FleetProblems.Result(StatusCodes.Status502BadGateway, "Broker refused the change", e.Message);

    private static async Task<IResult> SetTagsAsync(string id, HttpRequest request, IDeviceProvisioning provisioning,
        CancellationToken ct)
    {
        if (WireIdentifiers.DescribeDeviceIdProblem(id) is { } problem)
            return BadRequest("Invalid device id", $"'{id}': {problem}");
        Dictionary<string, string?>? tags;
        try
        {
            tags = await JsonSerializer
                .DeserializeAsync<Dictionary<string, string?>>(request.Body, FleetJson.Options, ct)
                .ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return BadRequest("Malformed tags", "the body is not a JSON object of tag names to string values, "
                + $"e.g. {{\"region\": \"eu\"}}: {e.Message}");
        }
        if (tags is null)
            return BadRequest("Malformed tags", "the body is empty; send {\"region\": \"eu\"} ({} removes all)");
        if (DeviceTagRules.Problems(tags) is { Count: > 0 } tagProblems) return InvalidTags(tagProblems);
        var valid = Valid(tags);
        return await provisioning.SetTagsAsync(id, valid, ct).ConfigureAwait(false)
            ? TypedResults.Ok(new DeviceTagsResponse(id, valid))
            : FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown device",
                $"device '{id}' is not provisioned; register it with POST /api/devices first");
    }

    private static Dictionary<string, string> Valid(Dictionary<string, string?> tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal);

    private static IResult InvalidTags(IReadOnlyList<string> problems) =>
        FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid tags", string.Join("; ", problems),
            new Dictionary<string, object?> { ["errors"] = problems });

    private static IResult BadRequest(string title, string detail) => FleetProblems.Result(StatusCodes.Status400BadRequest, title, detail);

    // Names the offending field the way ASP.NET Core's validation problems do: errors.deviceId.
    private static IResult InvalidDeviceId(string title, string detail) =>
        FleetProblems.Result(StatusCodes.Status400BadRequest, title, detail,
            new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { ["deviceId"] = [detail] },
            });
}
