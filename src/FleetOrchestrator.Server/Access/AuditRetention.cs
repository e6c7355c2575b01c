using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Keeps the audit trail from growing for ever: every failed sign-in is a record, so an address guessing keys would
/// otherwise fill the database. At start and then every <see cref="Interval"/>, removes the records older than
/// <see cref="FleetServerOptions.AuditRetention"/> in batches, and writes one record saying how many and up to when
/// (<see cref="PrunedAction"/>, actor <see cref="AuditRecord.Server"/>), so the trail itself shows where it was cut.
/// Every node of a cluster runs it; a record two nodes both try to remove is counted by the one that did.
/// </summary>
public sealed class AuditRetention(IAuditLog audit, FleetServerOptions options, TimeProvider time,
    ILogger<AuditRetention> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public const string PrunedAction = "audit.pruned";

    /// <summary>Records removed per statement: a large trail is cut in steps, none holding the table long.</summary>
    public const int BatchSize = 10_000;

    /// <summary>Removes what is older than the retention now; the number removed (0 when retention is off).</summary>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken = default)
    {
        if (options.AuditRetention is not { } retention) return 0;
        var now = time.GetUtcNow();
        var cutoff = now - retention;
        var removed = 0;
        int batch;
        do
        {
            batch = await audit.DeleteBeforeAsync(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            removed += batch;
        } while (batch == BatchSize);
        if (removed == 0) return 0;
        var detail = $"{removed} records from before {cutoff:yyyy-MM-ddTHH:mm:ssZ} removed "
                     + $"(retention {retention.TotalDays:0.##} days)";
        await audit.AppendAsync(new AuditRecord(now, AuditRecord.Server, null, PrunedAction, "/api/audit", "",
            AuditRecord.Ok, 200, detail), cancellationToken).ConfigureAwait(false);
        log.LogInformation("Audit trail: {Detail}", detail);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.AuditRetention is null) return;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PruneOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be down for a while: the next hour tries again, the server keeps serving.
                log.LogWarning(e, "Audit trail: removing records older than the retention failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
