using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>`--store sqlite:PATH` or `--store postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`.</summary>
public sealed record StoreUrl(FleetPersistenceOptions Options, string Display)
{
    public static StoreUrl? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.Length == 0) throw new FormatException("--store sqlite: needs a file path, e.g. sqlite:.fleet/run.db");
            return new StoreUrl(FleetPersistenceOptions.Sqlite(path), text);
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "postgres" or "postgresql")
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            var database = uri.AbsolutePath.Trim('/');
            if (userInfo[0].Length == 0 || database.Length == 0)
                throw new FormatException($"--store '{text}' needs a user and a database: postgres://USER[:PASSWORD]@HOST:PORT/DATABASE");
            var cs = $"Host={uri.Host};Port={(uri.Port > 0 ? uri.Port : 5432)};Username={userInfo[0]};Database={database}" +
                     (userInfo.Length > 1 ? $";Password={userInfo[1]}" : "");
            return new StoreUrl(FleetPersistenceOptions.Postgres(cs), $"postgres://{userInfo[0]}@{uri.Host}:{uri.Port}/{database}");
        }
        throw new FormatException($"--store '{text}' is not sqlite:PATH or postgres://USER@HOST:PORT/DATABASE");
    }
}
