using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Tests.Fakes;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Downloads;

public sealed class DownloadGrantsTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];
    private const string Artifact = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly ManualTimeProvider _time = new(ServerHost.Epoch);

    private DownloadGrants Grants(byte[]? secret = null) => new(secret ?? Secret, TimeSpan.FromHours(1), _time);

    private static string Exp(DownloadGrant g) => g.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void An_issued_grant_verifies_for_its_device_and_artifact()
    {
        var g = Grants().Issue("dev-1", Artifact);
        Assert.True(Grants().Verify("dev-1", Artifact, g.DeviceId, Exp(g), g.Signature).Allowed);
        Assert.Equal(ServerHost.Epoch.AddHours(1), g.ExpiresAt);
    }

    [Fact]
    public void A_grant_is_valid_until_the_second_before_expiry()
    {
        var g = Grants().Issue("dev-1", Artifact, TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(Grants().Verify("dev-1", Artifact, "dev-1", Exp(g), g.Signature).Allowed);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("expired", Grants().Verify("dev-1", Artifact, "dev-1", Exp(g), g.Signature).Reason);
    }

    [Fact]
    public void Extending_the_expiry_in_the_url_breaks_the_signature()
    {
        var g = Grants().Issue("dev-1", Artifact);
        var later = (g.ExpiresAt.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var verdict = Grants().Verify("dev-1", Artifact, "dev-1", later, g.Signature);
        Assert.False(verdict.Allowed);
        Assert.Contains("signature", verdict.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("=")]
    public void A_signature_with_characters_added_or_cut_is_refused(string extra)
    {
        var g = Grants().Issue("dev-1", Artifact);
        foreach (var sig in new[] { g.Signature + extra, g.Signature[..^1] + extra, g.Signature[1..] })
        {
            if (sig == g.Signature) continue;
            var verdict = Grants().Verify("dev-1", Artifact, "dev-1", Exp(g), sig);
            Assert.False(verdict.Allowed, sig);
            Assert.Contains("signature", verdict.Reason);
        }
    }

    [Fact]
    public void A_grant_for_a_device_id_longer_than_the_stack_buffer_round_trips_and_binds_to_that_id()
    {
        var longId = "dev-" + new string('\u00e9', 400); // 800+ UTF-8 bytes
        var g = Grants().Issue(longId, Artifact);
        Assert.True(Grants().Verify(longId, Artifact, longId, Exp(g), g.Signature).Allowed);
        var other = longId[..^1] + "e";
        Assert.False(Grants().Verify(other, Artifact, other, Exp(g), g.Signature).Allowed);
    }

    [Fact]
    public void A_grant_from_a_server_with_another_secret_is_refused()
    {
        var g = Grants([.. Enumerable.Range(0, 32).Select(i => (byte)i)]).Issue("dev-1", Artifact);
        Assert.False(Grants().Verify("dev-1", Artifact, "dev-1", Exp(g), g.Signature).Allowed);
    }

    [Theory]
    [InlineData(null, "1", "x")]
    [InlineData("dev-1", null, "x")]
    [InlineData("dev-1", "1", null)]
    public void Missing_grant_parameters_are_refused(string? device, string? exp, string? sig) =>
        Assert.Contains("no download grant", Grants().Verify("dev-1", Artifact, device, exp, sig).Reason);

    [Fact]
    public void A_non_numeric_expiry_is_refused_with_the_value()
    {
        var verdict = Grants().Verify("dev-1", Artifact, "dev-1", "tomorrow", "x");
        Assert.Contains("'tomorrow'", verdict.Reason);
    }

    [Fact]
    public void A_short_secret_is_rejected_at_construction() =>
        Assert.Throws<ArgumentException>(() => new DownloadGrants(new byte[16], TimeSpan.FromHours(1)));

    [Fact]
    public void The_absolute_url_keeps_a_path_prefix_and_escapes_the_device_id()
    {
        var g = Grants().Issue("dev-1", Artifact);
        var url = g.ToUrl(new Uri("https://fleet.example.com/ota"));
        Assert.StartsWith($"https://fleet.example.com/ota/artifacts/{Artifact}/image.bin?device=dev-1&exp=", url.AbsoluteUri);
        Assert.EndsWith("&sig=" + g.Signature, url.AbsoluteUri);
    }
}
