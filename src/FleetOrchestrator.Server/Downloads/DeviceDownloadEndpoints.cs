using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// <c>GET|HEAD /artifacts/{id}/image.bin?device=&amp;exp=&amp;sig=</c>: the image a device writes into its inactive bank.
/// Single byte ranges (RFC 7233) let an interrupted download resume; the strong ETag is the artifact id, so
/// If-Range can never splice two different images.
/// </summary>
internal static class DeviceDownloadEndpoints
{
    public const string ImagePathTemplate = "/artifacts/{id}/image.bin";

    public static void MapDeviceDownloads(this IEndpointRouteBuilder routes) =>
        routes.MapMethods(ImagePathTemplate, [HttpMethods.Get, HttpMethods.Head], ServeImage)
            .RequireAuthorization(FleetPolicies.Device)
            .WithName("DownloadImage");

    private static IResult ServeImage(
        string id,
        [FromQuery(Name = "device")] string? grantDevice,
        [FromQuery(Name = "exp")] string? exp,
        [FromQuery(Name = "sig")] string? sig,
        HttpContext context,
        DownloadGrants grants,
        ArtifactStore store)
    {
        var deviceId = context.User.Identity?.Name ?? "";
        var verdict = grants.Verify(deviceId, id, grantDevice, exp, sig);
        if (!verdict.Allowed)
            return FleetProblems.Result(StatusCodes.Status403Forbidden, "Download not granted", verdict.Reason!);

        var artifact = store.Get(id);
        byte[]? bytes;
        try
        {
            bytes = artifact is null ? null : store.ReadImage(artifact);
        }
        catch (ArtifactDamagedException e)
        {
            // A device must never flash bytes that differ from what its manifest promises; say so instead of serving
            // them. The message names the artifact and the mismatch, never where the server keeps it.
            return FleetProblems.Result(StatusCodes.Status500InternalServerError, "Artifact damaged on the server",
                e.Message);
        }
        if (artifact is null || bytes is null)
            return FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown artifact", $"no artifact with id '{id}' is stored");

        // RFC 9110 §14.2: a range unit the server does not support is ignored, the whole representation is sent.
        // ASP.NET Core's range processing would read "items=0-10" as bytes.
        if (context.Request.Headers.Range is [{ } range, ..] && !IsByteRange(range))
            context.Request.Headers.Remove(HeaderNames.Range);
        return new UnsatisfiableRangeAsProblem(TypedResults.Bytes(
            bytes,
            contentType: "application/octet-stream",
            enableRangeProcessing: true,
            lastModified: artifact.Metadata.UploadedAt,
            entityTag: new EntityTagHeaderValue($"\"{id}\"")), bytes.Length);
    }

    private static bool IsByteRange(string range) =>
        range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase);
}
