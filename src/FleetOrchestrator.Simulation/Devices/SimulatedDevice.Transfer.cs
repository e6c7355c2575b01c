using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Protocol.Idempotency;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Downloads;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Simulation.Devices;

// The download's transfer beside the command queue: ranged fetches, flash writes, verification (§5, §8.2).
public sealed partial class SimulatedDevice
{
    private async Task TransferAsync(DownloadJob job, CancellationToken ct)
    {
        var command = job.Command;
        var manifest = job.Manifest;
        try
        {
            if (BeginOrResume(job, out string? problem) is not int start)
            {
                await FailStagingAsync(job, ErrorReasons.Flash, problem ?? "staging could not begin", 0, ct)
                    .ConfigureAwait(false);
                return;
            }
            int offset = start;
            int attempts = 0;
            bool progressSent = offset * 2 >= manifest.Size;
            while (offset < manifest.Size)
            {
                if (!StillCurrent(job)) return;
                int n = Math.Min(_env.ChunkSize, manifest.Size - offset);
                var requestTime = _context.Link.RequestTime(n);
                await _context.Time.WaitAsync(requestTime, ct).ConfigureAwait(false);
                if (!LetTimePass(job, requestTime)) return;

                var fetch = await _fetcher.FetchAsync(command.Url, offset, n, manifest.Size, ct).ConfigureAwait(false);
                // The server sent it, the radio lost it: the device asks for the same range again.
                if (fetch.Status == ChunkFetchStatus.Ok && _context.TransferChance(_context.Link.DropProbability))
                    fetch = ChunkFetch.Fail(ChunkFetchStatus.Retryable, "chunk lost on the radio link");
                if (fetch.Status != ChunkFetchStatus.Ok)
                {
                    if (fetch.Status == ChunkFetchStatus.Oversized)
                    {
                        await FailStagingAsync(job, ErrorReasons.Integrity, fetch.Problem!, 0, ct)
                            .ConfigureAwait(false);
                        return;
                    }
                    attempts++;
                    _context.Counters.CountChunkRetry();
                    if (fetch.Status == ChunkFetchStatus.Refused || attempts >= _env.MaxChunkAttempts)
                    {
                        await FailStagingAsync(job, ErrorReasons.Download,
                            $"gave up at offset {offset} after {attempts} attempt(s): {fetch.Problem}", offset, ct)
                                .ConfigureAwait(false);
                        return;
                    }
                    continue;
                }
                attempts = 0;
                var bytes = fetch.Bytes;
                CorruptOnce(bytes);
                var (written, flashTime) = OnMcu(a => a.WriteChunk(offset, bytes.Span));
                if (!StillCurrent(job)) return;
                await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
                if (!written.Succeeded)
                {
                    await FailStagingAsync(job, ErrorReasons.Flash, written.Reason ?? "write failed", 0, ct)
                        .ConfigureAwait(false);
                    return;
                }
                offset += n;
                if (!progressSent && offset * 2 >= manifest.Size)
                {
                    progressSent = true;
                    await PublishAsync(seq => new DownloadProgress(command.Id, seq, offset, manifest.Size),
                            remember: true, ct)
                        .ConfigureAwait(false);
                }
            }
            await FinishAsync(job, ct).ConfigureAwait(false);
            // The transfer is a step of its own: it never ends with an event held back by the reorder fault.
            await _outbox.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (PowerLostException)
        {
            // The transfer dies with the RAM; the queue brings the link in line with the MCU.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_download, job)) _download = null;
            }
        }
        if (!ct.IsCancellationRequested) _ = _queue.Enqueue(() => CatchUpWithMcuAsync(ct));
    }

    /// <summary>Resumes a partial image of the same manifest when asked to (PROTOCOL.md §5), else starts from
    /// 0.</summary>
    private int? BeginOrResume(DownloadJob job, out string? problem)
    {
        var m = job.Manifest;
        problem = null;
        lock (_gate)
        {
            int resumeOffset = job.Command.ResumeOffset;
            if (resumeOffset > 0 && _partialImageSha256 == m.ImageSha256
                && _agent.StagingNextOffset is int next && next >= resumeOffset)
                return next;
            ArmPowerCutOnce();
            _fetcher.Forget();
            var begun = _agent.BeginStaging(m.Size, m.Crc32);
            if (!begun.Succeeded)
            {
                problem = begun.Reason;
                return null;
            }
            _partialImageSha256 = m.ImageSha256;
            return 0;
        }
    }

    /// <summary>SHA-256 of <paramref name="size"/> bytes of flash, read a sector at a time.</summary>
    /// <remarks>Not one image-sized array: at 96 KB it lands on the large-object heap, and one per device per update
    /// made
    /// the runtime run full collections all through a 10,000-device simulation.</remarks>
    private string HashFlash(uint address, int size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> block = stackalloc byte[4096];
        for (int done = 0; done < size; done += block.Length)
        {
            var part = block[..Math.Min(block.Length, size - done)];
            _mcu.ReadFlash(address + (uint)done, part);
            sha.AppendData(part);
        }
        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private async Task FinishAsync(DownloadJob job, CancellationToken ct)
    {
        var m = job.Manifest;
        var (finished, flashTime) = OnMcu(a => a.FinishStaging());
        if (!StillCurrent(job)) return;
        await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
        if (!finished.Succeeded)
        {
            bool crcDiffers = finished.Crc is uint got && got != m.Crc32;
            var reason = crcDiffers || finished.Outcome == AgentOutcome.Failed
                ? ErrorReasons.Integrity
                : ErrorReasons.Flash;
            await FailStagingAsync(job, reason,
                crcDiffers
                    ? $"CRC unit gives {ManifestJson.FormatCrc(finished.Crc!.Value)} over the written bank, "
                      + $"the manifest says {ManifestJson.FormatCrc(m.Crc32)}"
                    : finished.Reason ?? "staging did not finish", 0, ct).ConfigureAwait(false);
            return;
        }
        // The CRC unit agreed; SHA-256 over the same bytes is the manifest's stronger promise (PROTOCOL.md §8.2 step
        // 6).
        string sha;
        lock (_gate) sha = HashFlash(_mcu.Part.Bank2Address, m.Size);
        if (sha != m.ImageSha256)
        {
            OnMcu(a => a.EraseStaged()); // never leave a verified-looking image that is not the manifest's
            var detail = $"SHA-256 over the written bank is {sha}, the manifest says {m.ImageSha256}";
            await FailStagingAsync(job, ErrorReasons.Integrity, detail, 0, ct).ConfigureAwait(false);
            return;
        }
        lock (_gate) _partialImageSha256 = null;
        uint crc = finished.Crc ?? m.Crc32;
        await PublishAsync(seq => new ImageStaged(job.Command.Id, seq, m.Version, m.Size, crc),
                remember: true, ct, endsTransfer: job)
            .ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    private async Task FailStagingAsync(
        DownloadJob job, string reason, string detail, int resumeOffset, CancellationToken ct)
    {
        if (resumeOffset == 0)
        {
            lock (_gate) _partialImageSha256 = null;
        }
        if (detail.Length > 256) detail = detail[..256];
        await PublishAsync(seq => new StagingFailed(job.Command.Id, seq, reason, detail, resumeOffset),
                remember: true, ct, endsTransfer: job)
            .ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);
    }

    private bool StillCurrent(DownloadJob job)
    {
        lock (_gate) return ReferenceEquals(_download, job) && _mcu.IsPowered && _mcu.ResetCount == job.Epoch;
    }

    /// <summary>The firmware keeps running (and refreshing its IWDG) while it waits for the network.</summary>
    private bool LetTimePass(DownloadJob job, TimeSpan duration)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_download, job) || _mcu.ResetCount != job.Epoch) return false;
            RunFirmwareFor(duration);
            return _mcu.ResetCount == job.Epoch;
        }
    }
}
