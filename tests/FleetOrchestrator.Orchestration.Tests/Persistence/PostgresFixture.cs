using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

/// <summary>
/// A real, throw-away PostgreSQL server for the tests: the Debian binaries (/usr/lib/postgresql/*/bin), a fresh
/// cluster in a temp folder, run as the `postgres` user (initdb and postgres refuse to run as root), listening on a
/// free loopback port with its unix socket inside the temp folder. pg_ctl -w waits for readiness (bounded by -t),
/// pg_isready confirms it. Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string DebianPackage = "postgresql";
    private const int StartTimeoutSeconds = 60;
    private string? _binaries;
    private string? _folder;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries();
        _folder = Path.Combine(Path.GetTempPath(), "fleet-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(_folder, "data");
        var socket = Path.Combine(_folder, "sock");
        Directory.CreateDirectory(socket);
        Run("chown", "-R", "postgres:postgres", _folder);

        var port = FreePort();
        AsPostgres("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
        var serverOptions = $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        AsPostgres("pg_ctl", "-D", data, "-l", Path.Combine(_folder, "server.log"), "-o", serverOptions, "-w", "-t", StartTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "start");
        AsPostgres("pg_isready", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "10");

        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE DATABASE fleet", connection);
            await command.ExecuteNonQueryAsync();
        }
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=fleet";
    }

    /// <summary>
    /// A new, empty database on this server, named <paramref name="prefix"/> and a random suffix: its connection
    /// string (for tests that need nothing made yet, or one database each).
    /// </summary>
    public string NewDatabase(string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is not null && _binaries is not null && Directory.Exists(Path.Combine(_folder, "data")))
        {
            try { AsPostgres("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { /* already down: nothing to stop */ }
        }
        if (_folder is not null && Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "postgres")) && File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries not found in {root}/*/bin (need initdb, postgres, pg_ctl, pg_isready). " +
            $"Install the Debian package '{DebianPackage}' (apt-get install {DebianPackage}; tests/run-all.sh does this).");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void AsPostgres(string tool, params string[] args) =>
        Run("runuser", ["-u", "postgres", "--", Path.Combine(_binaries!, tool), .. args]);

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(StartTimeoutSeconds + 30)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish within {StartTimeoutSeconds + 30} s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }
}
