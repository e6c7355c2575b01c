using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api.Access;

/// <summary>
/// <c>GET /api/me</c> (any role) and the admin's key management: <c>POST /api/keys</c> (201 with the secret, shown
/// once), <c>GET /api/keys</c>, <c>DELETE /api/keys/{id}</c> (204; 409 for the last admin key). Roles are
/// <see cref="AccessRules"/>'.
/// </summary>
internal static partial class KeyEndpoints
{
    public const int MaxNameLength = 64;

    public static void MapKeyApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", Me);
        api.MapPost("/keys", CreateAsync);
        api.MapGet("/keys", ListAsync);
        api.MapDelete("/keys/{id}", RevokeAsync);
    }

    private static IResult Me(ClaimsPrincipal user) => TypedResults.Ok(new SignedInKey(
        user.FindFirstValue(ClaimTypes.Name) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(OperatorClaims.KeyId) ?? ""));

    private static async Task<IResult> CreateAsync(HttpContext context, IApiKeyStore store, TimeProvider time,
        CancellationToken ct)
    {
        ApiKeyRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ApiKeyRequest>(context.Request.Body, FleetJson.Options, ct)
                .ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Malformed key request",
                "the body is not JSON of the form {\"name\": \"ci-bot\", \"role\": \"operator\"}: " + e.Message);
        }
        var errors = new List<string>();
        if (body?.Name is not { } name || !NamePattern().IsMatch(name))
            errors.Add($"name: must be 1 to {MaxNameLength} characters of letters, digits, '.', '_', '@' or '-', " +
                       $"got {(body?.Name is null ? "nothing" : $"'{body.Name}'")}");
        if (!OperatorRoles.TryParse(body?.Role, out var role))
            errors.Add($"role: must be one of {string.Join(", ", OperatorRoles.Names)}, " +
                       $"got {(body?.Role is null ? "nothing" : $"'{body.Role}'")}");
        if (errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid key request",
                string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });

        var (id, key, salt, hash) = ApiKeySecrets.Generate();
        var creator = context.User.FindFirstValue(ClaimTypes.Name) ?? "";
        var stored = new StoredApiKey(id, body!.Name!, role, salt, hash, time.GetUtcNow(), creator, null);
        if (!await store.TryAddAsync(stored, ct).ConfigureAwait(false))
            return FleetProblems.Result(StatusCodes.Status409Conflict, "Key name taken",
                $"a key named '{stored.Name}' exists and is not revoked; revoke it or choose another name");
        AuditMiddleware.Note(context, $"key '{stored.Name}' with the {role.Name()} role");
        return TypedResults.Created($"/api/keys/{id}",
            new CreatedApiKey(id, stored.Name, role.Name(), stored.CreatedAt, key));
    }

    private static async Task<IResult> ListAsync(IApiKeyStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct).ConfigureAwait(false)).Select(ApiKeyView.Of).ToList());

    private static async Task<IResult> RevokeAsync(string id, IApiKeyStore store, TimeProvider time,
        CancellationToken ct) =>
        await store.RevokeAsync(id, time.GetUtcNow(), ct).ConfigureAwait(false) switch
        {
            KeyRevocation.Revoked or KeyRevocation.AlreadyRevoked => TypedResults.NoContent(),
            KeyRevocation.LastAdmin => FleetProblems.Result(StatusCodes.Status409Conflict, "Last admin key",
                $"key '{id}' is the last admin key that is not revoked; create another admin key first"),
            _ => FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown key", $"no key has the id '{id}'"),
        };

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
