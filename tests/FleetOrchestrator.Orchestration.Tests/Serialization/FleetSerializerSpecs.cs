using System.Collections.Immutable;
using System.Text.Json;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Serialization;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Serialization;

public sealed class FleetSerializerSpecs(ITestOutputHelper output) : TestKit(SagaSpec.SpecConfig, output: output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeviceStateReport Report = Fleet.Report();

    /// <summary>One instance of every type the serializer is bound to, with every optional member filled.</summary>
    public static IEnumerable<object> Samples()
    {
        var saga = UpdateSaga.Begin(new UpdateRequested(At, "u1", "r1", Fleet.Target(), Fleet.Policy(), "u1-check", At.AddHours(1)));
        var state = DeviceState.Empty("d1")
            .Apply(new DeviceStateObserved(At, 3, Report))
            .Apply(new UpdateRequested(At, "u1", "r1", Fleet.Target(), Fleet.Policy(), "u1-check", At.AddHours(1)))
            .Apply(new PreflightPassed(At, 4, Fleet.Old, BankId.Bank1, Report));
        return
        [
            new DeviceStateObserved(At, 3, Report),
            new DevicePresenceObserved(At, true),
            new DeviceBootObserved(At, 5, Fleet.Old, BankId.Bank2, ImageState.Committed, ResetCause.IndependentWatchdog),
            new UpdateRequested(At, "u1", "r1", Fleet.Target(), Fleet.Policy(activateAutomatically: false), "u1-check", At.AddHours(1)),
            new PreflightPassed(At, 4, Fleet.Old, BankId.Bank1, Report, new DownloadCommanded(At, 1, "u1-dl1", 0, At.AddMinutes(30))),
            new DeviceRefused(At, 4, "rom-bootloader: 4.0", Report),
            new AlreadyUpToDate(At, 4, Fleet.New, Report),
            new DownloadCommanded(At, 2, "u1-dl2", 4096, At.AddMinutes(30)),
            new DownloadAccepted(At, 6, "u1-dl2"),
            new DownloadAttemptFailed(At, null, 2, "timeout", 8192, At.AddMinutes(1)),
            new StagedCrcVerified(At, 7, Fleet.New, 0xFFFFFFFF, new SwapAuthorized(At, "u1-swap", At.AddMinutes(10))),
            new CrcMismatchDetected(At, 7, 1, 0x12345678, 0x87654321, "u1-erase1", At.AddMinutes(2)),
            new SwapAuthorized(At, "u1-swap", At.AddMinutes(10)),
            new SwapAcknowledged(At, 8, At.AddMinutes(10)),
            new BootConfirmed(At, 9, Fleet.New, BankId.Bank2, 1, At.AddMinutes(10)),
            new CommitCommanded(At, "u1-commit", At.AddMinutes(10)),
            new UpdateSucceeded(At, 10, Fleet.New),
            new RollbackCommanded(At, 11, "health: x", "u1-rollback", At.AddMinutes(30)),
            new RollbackAwaitingBootGuard(At, null, "boot-deadline", At.AddMinutes(30)),
            new RollbackPendingDeclared(At),
            new RollbackCompleted(At, 12, Fleet.Old, "boot-guard"),
            new SilentRevertDetected(At, 12, Fleet.Old, "booted 1.0.0"),
            new SagaFailed(At, 13, "integrity: 2"),
            new SagaFailed(At, 13, "integrity: 2", "u1-erase2"),
            new DeviceLost(At, "no answer"),
            new UpdateCancelled(At, "operator: x", "u1-cancel-erase"),
            new LeftoverTrialRollbackCommanded(At, 14, Fleet.New, "u1-clear-trial", At.AddMinutes(30)),
            new HealthPassed(At, 15, "self-test passed"),
            new HealthVerdictAwaited(At, "u1-health-state", At.AddHours(24)),
            new SwapWindowAwaited(At, At.AddHours(7)),
            new RevertAfterCommitObserved(At, 16, "u1", "r1", Fleet.New, Fleet.Old, "revert-after-commit: 1.0.0"),
            new InactiveBankImageVerified(At, 17, Fleet.Old, 0x6A3F19C2,
                new SwapAuthorized(At, "rb-swap", At.AddMinutes(10))),
            new InactiveBankImageVerified(At, 17, Fleet.Old, 0x6A3F19C2),
            new PreflightPassed(At, 18, Fleet.New, BankId.Bank2,
                Report with { InactiveBank = new InactiveBankImage(Fleet.Old, 57_344, 0x6A3F19C2, true) }),
            state,
            new StartUpdate("d1", "u1", Fleet.Target(allowDowngrade: true), Fleet.Policy(), "r1"),
            new StartUpdate("d2", "u2", Fleet.Target(), Fleet.Policy() with
            {
                SwapWindow = new SwapWindow(new TimeOnly(22, 0), new TimeOnly(4, 30), "Europe/Berlin"),
            }, "r1"),
            new ActivateUpdate("d1", "u1"),
            new CancelUpdate("d1", "u1", "why"),
            new SagaRequestReply("d1", "u1", false, "busy", SagaPhase.Downloading),
            new GetDeviceSaga("d1"),
            new DeviceSagaView("d1", new RunningImage(Fleet.Old, BankId.Bank1, ImageState.Committed), Report, true, At,
                new SagaView("u1", "r1", Fleet.New, "a1", SagaPhase.HealthWindow, null, null, At, null, At.AddMinutes(5), 1, 0, null, saga.History), 7),
            new DeviceEventReceived("d1", new StateReported("c1", 1, Report)),
            new DeviceEventReceived("d1", new CommandAcknowledged("c1", 2, false, "busy")),
            new DeviceEventReceived("d1", new DownloadProgress("c1", 3, 10, 20)),
            new DeviceEventReceived("d1", new ImageStaged("c1", 4, Fleet.New, 90_000, 0xABCDEF01)),
            new DeviceEventReceived("d1", new StagingFailed("c1", 5, "download", "reset", 1024)),
            new DeviceEventReceived("d1", new DeviceBooted(null, 6, Fleet.New, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1)),
            new DeviceEventReceived("d1", new HealthReported(null, 7, false, "bad")),
            new DeviceEventReceived("d1", new ImageCommitted("c1", 8, Fleet.New)),
            new DeviceEventReceived("d1", new RolledBackOnDevice(null, 9, Fleet.Old, "boot-guard")),
            new DeviceStateReceived("d1", Report),
            new DeviceStateReceived("d1", Report with { ImageState = ImageState.Trial, Health = TrialHealth.Pending }),
            new DevicePresenceReceived("d1", false),
            new SagaOutcome("d1", "u1", "r1", UpdateOutcome.RolledBack, "crash-loop", At),
            new SagaOutcome("d1", "u1", "r1", UpdateOutcome.RevertedAfterCommit, "revert-after-commit: x", At),
            new SagaNeedsAttention("d1", "u1", null, "rollback pending", At),
        ];
    }

    public static TheoryData<object> SampleData() => new(Samples());

    private static IEnumerable<Type> BoundTypes() =>
        typeof(FleetSerializer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && (typeof(IDeviceActorEvent).IsAssignableFrom(t) || typeof(IDeviceMessage).IsAssignableFrom(t)))
            .Append(typeof(DeviceState));

    [Fact]
    public void Every_persisted_event_message_and_the_snapshot_have_a_manifest_and_a_sample()
    {
        var bound = BoundTypes().ToHashSet();
        Assert.NotEmpty(bound);
        Assert.Empty(bound.Except(FleetManifests.ByType.Keys));
        Assert.Empty(bound.Except(Samples().Select(s => s.GetType())));
        // every event type and every DeviceEvent subtype is exercised
        var deviceEvents = typeof(DeviceEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DeviceEvent)) && !t.IsAbstract);
        Assert.Empty(deviceEvents.Except(Samples().OfType<DeviceEventReceived>().Select(d => d.Event.GetType())));
    }

    [Fact]
    public void Manifests_are_short_unique_and_never_type_names()
    {
        Assert.Equal(FleetManifests.ByType.Count, FleetManifests.ByManifest.Count);
        Assert.All(FleetManifests.ByManifest.Keys, m => Assert.InRange(m.Length, 1, 6));
        Assert.True(FleetSerializer.Id > 100);
    }

    [Theory]
    [MemberData(nameof(SampleData))]
    public void Round_trips_through_the_bound_serializer(object sample)
    {
        var serializer = Sys.Serialization.FindSerializerFor(sample);
        var withManifest = Assert.IsType<FleetSerializer>(serializer);
        var manifest = withManifest.Manifest(sample);
        var bytes = serializer.ToBinary(sample);
        var back = Sys.Serialization.Deserialize(bytes, FleetSerializer.Id, manifest);

        Assert.IsType(sample.GetType(), back);
        // Records holding immutable lists compare lists by reference: compare the canonical JSON instead, plus record
        // equality where the type has only value members.
        Assert.Equal(Json(sample), Json(back));
        if (sample is not (DeviceState or DeviceSagaView))
            Assert.Equal(sample, back);
        Assert.DoesNotContain("FleetOrchestrator", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Versions_are_written_as_text()
    {
        var bytes = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys).ToBinary(new UpdateSucceeded(At, 1, new SemanticVersion(2, 10, 3)));
        Assert.Contains("\"2.10.3\"", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Unknown_manifests_and_garbage_fail_with_the_manifest_named()
    {
        var serializer = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var unknown = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([1, 2], "zz"));
        Assert.Contains("'zz'", unknown.Message);
        var garbage = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{not json"u8.ToArray(), "ur"));
        Assert.Contains("'ur'", garbage.Message);
        Assert.Throws<ArgumentException>(() => serializer.Manifest("a string"));
    }

    [Fact]
    public void Events_journaled_before_the_command_was_folded_in_still_read()
    {
        var serializer = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        // What earlier versions wrote: no FirstDownload / Swap member (a separate DownloadCommanded / SwapAuthorized followed).
        var preflight = Json(new PreflightPassed(At, 4, Fleet.Old, BankId.Bank1, Report)).Replace(",\"firstDownload\":null", "", StringComparison.Ordinal);
        var staged = Json(new StagedCrcVerified(At, 7, Fleet.New, 0xCAFE)).Replace(",\"swap\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("firstDownload", preflight);
        Assert.DoesNotContain("swap", staged);

        var p = Assert.IsType<PreflightPassed>(serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(preflight), "pp"));
        var v = Assert.IsType<StagedCrcVerified>(serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(staged), "scv"));

        Assert.Null(p.FirstDownload);
        Assert.Equal(Fleet.Old, p.FromVersion);
        Assert.Null(v.Swap);
        Assert.Equal(0xCAFEu, v.Crc);
    }

    [Fact]
    public void Events_and_policies_journaled_before_the_health_verdict_and_the_resend_backoff_still_read()
    {
        var serializer = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        // What earlier versions wrote: no health in a state report, no erase in SagaFailed, no HealthReportDeadline
        // or ResendIntervalCap in a persisted policy.
        var observed = Json(new DeviceStateObserved(At, 3, Report))
            .Replace(",\"health\":null", "", StringComparison.Ordinal);
        var failed = Json(new SagaFailed(At, 13, "integrity: 2")).Replace(",\"eraseCommandId\":null", "",
            StringComparison.Ordinal);
        var requested = Json(new UpdateRequested(At, "u1", null, Fleet.Target(), Fleet.Policy(), "u1-check", At))
            .Replace(",\"healthReportDeadline\":\"1.00:00:00\"", "", StringComparison.Ordinal)
            .Replace(",\"resendIntervalCap\":\"00:15:00\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("\"health\"", observed);
        Assert.DoesNotContain("eraseCommandId", failed);
        Assert.DoesNotContain("healthReportDeadline", requested);
        Assert.DoesNotContain("resendIntervalCap", requested);

        object Read(string json, string manifest) =>
            serializer.FromBinary(System.Text.Encoding.UTF8.GetBytes(json), manifest);
        var o = Assert.IsType<DeviceStateObserved>(Read(observed, "dso"));
        var f = Assert.IsType<SagaFailed>(Read(failed, "sf"));
        var r = Assert.IsType<UpdateRequested>(Read(requested, "ur"));
        Assert.Null(o.Report.Health);
        Assert.Null(f.EraseCommandId);
        Assert.Equal(UpdatePolicy.Default.HealthReportDeadline, r.Policy.HealthReportDeadline);
        Assert.Equal(UpdatePolicy.Default.ResendIntervalCap, r.Policy.ResendIntervalCap);
        Assert.Equal(Fleet.Policy().HealthWindow, r.Policy.HealthWindow);
    }

    [Fact]
    public void A_snapshot_round_trip_keeps_the_history()
    {
        var state = (DeviceState)Samples().Single(s => s is DeviceState);
        var serializer = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var back = (DeviceState)serializer.FromBinary(serializer.ToBinary(state), "ds");
        Assert.Equal(state.Saga!.History.ToArray(), back.Saga!.History.ToArray());
        Assert.Equal(state with { Saga = null }, back with { Saga = null });
        Assert.Equal(state.Saga with { History = ImmutableList<SagaTransition>.Empty }, back.Saga with { History = ImmutableList<SagaTransition>.Empty });
    }

    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType(), FleetSerializer.JsonOptions);
}
