using FleetOrchestrator.Simulation.Links;

namespace FleetOrchestrator.Simulation.Tests.Links;

public sealed class LinkProfileTests
{
    /// <summary>A 96 KB image in 4 KB requests, as reference/anchors.md part 2 §4.2 budgets it.</summary>
    private static TimeSpan DownloadOf96K(LinkProfile link) =>
        TimeSpan.FromTicks(Enumerable.Range(0, 24).Sum(_ => link.RequestTime(4096).Ticks));

    [Fact]
    public void Presets_download_96_kb_in_the_ranges_the_anchors_give()
    {
        Assert.InRange(DownloadOf96K(LinkProfile.LteM), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20));
        Assert.InRange(DownloadOf96K(LinkProfile.NbIot), TimeSpan.FromMinutes(1.5), TimeSpan.FromMinutes(5));
        Assert.InRange(DownloadOf96K(LinkProfile.PoorCoverage), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(6));
        Assert.Equal(TimeSpan.Zero, DownloadOf96K(LinkProfile.Instant));
    }

    [Theory]
    [InlineData("lte-m")]
    [InlineData("NB-IoT")]
    [InlineData(" poor-coverage ")]
    [InlineData("instant")]
    public void Presets_are_found_by_name(string name) =>
        Assert.Equal(name.Trim().ToLowerInvariant(), LinkProfile.Preset(name).Name);

    [Fact]
    public void An_unknown_preset_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => LinkProfile.Preset("5g"));
        Assert.Contains("unknown link profile '5g' (known: lte-m, nb-iot, poor-coverage, instant)", e.Message);
    }

    [Fact]
    public void Time_compression_divides_simulated_time_and_infinity_means_no_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new TimeCompression(60).ToReal(TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.Zero, TimeCompression.NoDelays.ToReal(TimeSpan.FromDays(1)));
        Assert.True(TimeCompression.NoDelays.WaitAsync(TimeSpan.FromDays(1), CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(TimeCompression.NoDelays.HasDelays);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeCompression(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeCompression(double.NaN));
    }
}
