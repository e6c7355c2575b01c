using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>The maintenance window as the saga reads it: device-local, across midnight, in IANA zones with daylight
/// saving, fixed offsets and UTC.</summary>
public sealed class SwapWindowRuleSpecs
{
    private static readonly TimeOnly Two = new(2, 0), Five = new(5, 0);

    [Theory]
    [InlineData("2026-12-05T00:59:00Z", false)] // 01:59 in Berlin (CET, +01:00)
    [InlineData("2026-12-05T01:00:00Z", true)] // 02:00 in Berlin
    [InlineData("2026-12-05T03:59:00Z", true)]
    [InlineData("2026-12-05T04:00:00Z", false)] // 05:00: the end is outside
    [InlineData("2026-07-05T00:30:00Z", true)] // 02:30 in Berlin (CEST, +02:00)
    [InlineData("2026-07-05T03:00:00Z", false)] // 05:00 in summer
    public void Berlin_reads_the_window_in_local_time_with_daylight_saving(string utc, bool open) =>
        Assert.Equal(open, new SwapWindow(Two, Five, "Europe/Berlin").Contains(DateTimeOffset.Parse(utc)));

    [Theory]
    [InlineData("22:00", "04:00", "23:30", true)]
    [InlineData("22:00", "04:00", "03:59", true)]
    [InlineData("22:00", "04:00", "04:00", false)]
    [InlineData("22:00", "04:00", "12:00", false)]
    [InlineData("22:00", "04:00", "21:59", false)]
    public void A_window_whose_end_is_before_its_start_spans_midnight(string start, string end, string at, bool open)
    {
        var window = new SwapWindow(TimeOnly.Parse(start), TimeOnly.Parse(end), null);
        Assert.Equal(open, window.Contains(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero)
            + TimeOnly.Parse(at).ToTimeSpan()));
    }

    [Fact]
    public void The_next_opening_is_today_or_tomorrow_in_the_devices_zone()
    {
        var chicago = new SwapWindow(Two, Five, "America/Chicago"); // CST, -06:00 in December
        var noonUtc = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero); // 06:00 in Chicago: closed
        Assert.False(chicago.Contains(noonUtc));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero), chicago.NextOpening(noonUtc));
        var early = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero); // 00:00 in Chicago
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero), chicago.NextOpening(early));
    }

    [Fact]
    public void A_start_in_the_spring_forward_gap_opens_at_the_first_local_minute_after_it()
    {
        // Berlin skips 02:00-03:00 on 2026-03-29: the window opens at 03:00 CEST (01:00 UTC).
        var window = new SwapWindow(new TimeOnly(2, 30), Five, "Europe/Berlin");
        var evening = new DateTimeOffset(2026, 3, 28, 20, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), window.NextOpening(evening));
    }

    [Fact]
    public void Fixed_offsets_and_utc_are_zones_too()
    {
        var at = new DateTimeOffset(2026, 12, 5, 23, 30, 0, TimeSpan.Zero);
        Assert.True(new SwapWindow(Two, Five, "+03:00").Contains(at)); // 02:30 the next day there
        Assert.False(new SwapWindow(Two, Five, "-05:30").Contains(at));
        Assert.False(new SwapWindow(Two, Five, null).Contains(at));
        Assert.True(new SwapWindow(new TimeOnly(23, 0), Two, "UTC").Contains(at));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("+25:00")]
    [InlineData("02:00")]
    public void An_unknown_zone_is_a_problem_the_saga_refuses_to_start_with(string zone)
    {
        var window = new SwapWindow(Two, Five, zone);
        Assert.Contains($"'{zone}'", window.DescribeProblem());
        Assert.Contains("SwapWindow", (Fleet.Policy() with { SwapWindow = window }).DescribeProblem());
    }
}
