using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// <c>POST /api/artifacts</c> (upload: raw body, or multipart with a file part; fields from the form or the query),
/// <c>GET /api/artifacts</c>, <c>GET /api/artifacts/{id}</c> (each with the image's integrity: <c>damaged</c>),
/// <c>DELETE /api/artifacts/{id}</c> (409 while a saga references it).
/// </summary>
internal static class ArtifactEndpoints
{
    public static void MapArtifactApi(this RouteGroupBuilder api)
    {
        api.MapPost("/artifacts", UploadAsync).DisableAntiforgery();
        api.MapGet("/artifacts", (ArtifactStore store) =>
            TypedResults.Ok(store.List().Select(a => ArtifactView.Of(a, store)).ToList()));
        api.MapGet("/artifacts/{id}", (string id, ArtifactStore store) =>
            store.Get(id) is { } artifact
                ? TypedResults.Ok(ArtifactView.Of(artifact, store))
                : UnknownArtifact(id));
        api.MapDelete("/artifacts/{id}", DeleteAsync);
    }

    private static async Task<IResult> DeleteAsync(string id, ArtifactStore store, IArtifactReferences references,
        CancellationToken ct)
    {
        if (store.Get(id) is null) return UnknownArtifact(id);
        if (await references.IsReferencedAsync(id, ct).ConfigureAwait(false))
            return FleetProblems.Result(StatusCodes.Status409Conflict, "Artifact in use",
                $"artifact {id} is the target of an update saga that has not finished; delete it once those sagas end",
                new Dictionary<string, object?> { ["artifactId"] = id });
        return store.Delete(id) ? TypedResults.NoContent() : UnknownArtifact(id);
    }

    private static IResult UnknownArtifact(string id) =>
        FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown artifact",
            $"no artifact with id '{Shorten(id)}' is stored");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static async Task<IResult> UploadAsync(HttpRequest request, ArtifactUploader uploader, FleetServerOptions options, CancellationToken ct)
    {
        var (body, fileName, fields, bodyProblem) = await ReadUploadAsync(request, options.MaxUploadBytes, ct).ConfigureAwait(false);
        if (bodyProblem is not null) return bodyProblem;

        var fieldErrors = new List<string>();
        var version = ReadVersion(fields("version"), "version", required: true, fieldErrors);
        var minBootloader = ReadVersion(fields("minBootloader"), "minBootloader", required: false, fieldErrors) ?? new SemanticVersion(0, 0, 0);
        var target = fields("target") is { Length: > 0 } t ? t : FirmwareManifest.DefaultHardwareTarget;
        bool allowDowngrade = false;
        if (fields("allowDowngrade") is { Length: > 0 } d && !bool.TryParse(d, out allowDowngrade))
            fieldErrors.Add($"allowDowngrade is '{d}'; use true or false");
        if (fieldErrors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid upload fields", string.Join("; ", fieldErrors),
                new Dictionary<string, object?> { ["errors"] = fieldErrors });

        var outcome = uploader.Upload(new ArtifactUpload(fileName, body, version!.Value, target, minBootloader, allowDowngrade));
        return outcome switch
        {
            UploadOutcome.Stored { Created: true } s =>
                TypedResults.Created($"/api/artifacts/{s.Artifact.Id}", new UploadResponse(true, ArtifactView.Of(s.Artifact))),
            UploadOutcome.Stored s =>
                TypedResults.Ok(new UploadResponse(false, ArtifactView.Of(s.Artifact, uploader.Store))),
            UploadOutcome.Rejected r => FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid upload fields",
                string.Join("; ", r.Errors), ErrorList(r.Errors)),
            UploadOutcome.Unreadable u => FleetProblems.Result(StatusCodes.Status400BadRequest, $"Unreadable {Describe(u.Format)} file",
                $"'{fileName}' could not be read: {string.Join("; ", u.Errors)}", ErrorList(u.Errors)),
            UploadOutcome.Invalid i => FleetProblems.Result(StatusCodes.Status422UnprocessableEntity, "Image cannot go into an L072 bank",
                $"'{fileName}' has {i.Errors.Count} problem(s): {string.Join("; ", i.Errors)}", ErrorList(i.Errors)),
            UploadOutcome.Conflict c => FleetProblems.Result(StatusCodes.Status409Conflict, "Artifact already stored with another manifest",
                c.Reason, new Dictionary<string, object?> { ["artifactId"] = c.Existing.Id }),
            _ => throw new InvalidOperationException($"unhandled upload outcome {outcome.GetType().Name}"),
        };
    }

    private static Dictionary<string, object?> ErrorList(IReadOnlyList<string> errors) => new() { ["errors"] = errors };

    private static string Describe(Firmware.Images.ImageFormat format) =>
        format == Firmware.Images.ImageFormat.IntelHex ? "Intel HEX" : "binary";

    private static SemanticVersion? ReadVersion(string? text, string field, bool required, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add($"{field} is required (e.g. {field}=1.4.0)");
            return null;
        }
        if (SemanticVersion.TryParse(text, out var v)) return v;
        errors.Add($"{field} '{text}' is not a version of the form major.minor.patch (e.g. 1.4.0)");
        return null;
    }

    private sealed record UploadBody(ReadOnlyMemory<byte> Body, string FileName, Func<string, string?> Fields, IResult? Problem);

    private static async Task<UploadBody> ReadUploadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);
        // Only multipart is a form here: curl --data-binary labels raw bytes application/x-www-form-urlencoded.
        if (request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            IFormCollection form;
            try
            {
                // The limit applies while reading, so a chunked body without Content-Length cannot buffer more than allowed.
                form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes }, ct).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                return e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                    ? TooLarge(maxBytes)
                    : new UploadBody(default, "", _ => null, FleetProblems.Result(StatusCodes.Status400BadRequest, "Malformed multipart body", e.Message));
            }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            string? Field(string name) => form.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : request.Query[name].FirstOrDefault();
            if (file is null)
                return new UploadBody(default, "", Field, FleetProblems.Result(StatusCodes.Status400BadRequest, "No image in upload",
                    "the multipart form has no file part; send the .hex or .bin as a part named 'file'"));
            if (file.Length > maxBytes) return TooLarge(maxBytes);
            using var buffer = new MemoryStream((int)file.Length);
            await using (var stream = file.OpenReadStream())
            {
                await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            }
            return new UploadBody(buffer.ToArray(), Field("fileName") is { Length: > 0 } n ? n : file.FileName, Field, null);
        }

        string? Query(string name) => request.Query[name].FirstOrDefault();
        var body = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes) return TooLarge(maxBytes);
            body.Write(chunk, 0, read);
        }
        if (body.Length == 0)
            return new UploadBody(default, "", Query, FleetProblems.Result(StatusCodes.Status400BadRequest, "No image in upload",
                "the request body is empty; send the .hex or .bin content as the body (or as a multipart part named 'file')"));
        return new UploadBody(body.ToArray(), Query("fileName") is { Length: > 0 } name ? name : "upload", Query, null);
    }

    private static UploadBody TooLarge(long maxBytes) =>
        new(default, "", _ => null, FleetProblems.Result(StatusCodes.Status413PayloadTooLarge, "Upload too large",
            $"uploads are limited to {maxBytes:N0} bytes; a full 96 KB bank as Intel HEX is about 270 KB"));
}
