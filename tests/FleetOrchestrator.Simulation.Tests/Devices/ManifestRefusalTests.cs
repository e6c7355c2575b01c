using System.Text;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Tests.Support;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Devices;

/// <summary>
/// PROTOCOL.md §8.2 step 2: a download whose manifest fails a check is refused with that reason before anything is
/// fetched or erased.
/// </summary>
public sealed class ManifestRefusalTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    public static TheoryData<string, string> Cases => new()
    {
        { "tampered", ErrorReasons.Signature },
        { "untrusted-key", ErrorReasons.Signature },
        { "not-a-manifest", ErrorReasons.Manifest },
        { "other-hardware", ErrorReasons.Hardware },
        { "too-large", ErrorReasons.TooLarge },
        { "same-version", ErrorReasons.Downgrade },
        { "older-version", ErrorReasons.Downgrade },
        { "newer-agent-needed", ErrorReasons.Unsupported },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_manifest_that_fails_a_check_is_refused_with_its_reason_and_nothing_is_downloaded(string variant, string reason)
    {
        string id = "man-" + variant;
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id);
        var manifest = Variant(variant, image);

        await Rig.SendAsync(id, new StartDownload(id + "-dl", manifest, Rig.UrlFor(id, image.ArtifactId), 0));
        var ack = await Rig.Traffic.Answer<CommandAcknowledged>(id, id + "-dl");

        Assert.False(ack.Accepted);
        Assert.Equal(reason, ack.Reason);
        await device.IdleAsync();
        Assert.Empty(Rig.Tap.RangesOf(id));
        Assert.Null(device.Truth().Staged);
        Assert.Empty(Rig.Traffic.All<DownloadProgress>(id));
    }

    [Fact]
    public async Task The_untampered_manifest_of_the_same_image_is_accepted()
    {
        const string id = "man-genuine";
        var image = Rig.Publish(V110);
        await Rig.StartDeviceAsync(id);
        await Rig.SendAsync(id, Rig.Download(id, "gen-dl", image));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "gen-dl")).Accepted);
        await Rig.Traffic.Answer<ImageStaged>(id, "gen-dl");
    }

    private SignedManifestDto Variant(string variant, PublishedImage image)
    {
        var genuine = ManifestJson.Parse(Convert.FromBase64String(image.Manifest.ManifestBase64));
        switch (variant)
        {
            case "tampered":
                // Same signature, manifest edited to claim another version.
                var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(image.Manifest.ManifestBase64)).Replace("\"1.1.0\"", "\"1.9.0\"", StringComparison.Ordinal));
                return image.Manifest with { ManifestBase64 = Convert.ToBase64String(edited) };
            case "untrusted-key":
                using (var stranger = ManifestSigningKey.Generate())
                    return Dto(ManifestSigner.Sign(genuine, stranger));
            case "not-a-manifest":
                var junk = "{\"hello\":\"world\"}"u8.ToArray();
                return new SignedManifestDto(Convert.ToBase64String(junk), Convert.ToBase64String(Rig.SigningKey.Sign(junk)), Rig.SigningKey.KeyId);
            case "other-hardware": return Signed(genuine with { HardwareTarget = "stm32l073rz" });
            case "too-large": return Signed(genuine with { Size = 96 * 1024 + 128 });
            case "same-version": return Signed(genuine with { Version = V100 });
            case "older-version": return Signed(genuine with { Version = new SemanticVersion(0, 9, 0) });
            case "newer-agent-needed": return Signed(genuine with { MinimumBootloader = new SemanticVersion(2, 0, 0) });
            default: throw new ArgumentOutOfRangeException(nameof(variant), variant, "no such case");
        }
    }

    private SignedManifestDto Signed(FirmwareManifest manifest) => Dto(ManifestSigner.Sign(manifest, Rig.SigningKey));

    private static SignedManifestDto Dto(SignedManifest s) => new(s.ManifestBase64, s.SignatureBase64, s.KeyId);
}
