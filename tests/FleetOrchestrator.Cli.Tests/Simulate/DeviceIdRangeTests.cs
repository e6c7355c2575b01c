using FleetOrchestrator.Simulation.Attached;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>The id ranges simulators on several machines split one fleet by.</summary>
public sealed class DeviceIdRangeTests
{
    [Fact]
    public void A_range_names_both_ends_and_pads_numbers_the_same_in_every_range()
    {
        var range = DeviceIdRange.Parse("sim-", "0-4999");
        var ids = range.Ids();

        Assert.Equal(5000, range.Count);
        Assert.Equal("sim-0000", ids[0]);
        Assert.Equal("sim-4999", ids[^1]);
        Assert.Equal("sim-12345", DeviceIdRange.Parse("sim-", "12345-12346").Ids()[0]);
        Assert.Equal("sim-0010", DeviceIdRange.Parse("sim-", "10-20000").Ids()[0]);
    }

    [Fact]
    public void First_id_and_count_give_the_same_ids_as_the_range_they_span()
    {
        Assert.Equal(DeviceIdRange.Parse("x-", "7-9").Ids(), DeviceIdRange.From("x-", null, 7, 3, true).Ids());
        Assert.Equal(["sim-0001", "sim-0002"], DeviceIdRange.From("sim-", null, null, 2, false).Ids());
    }

    [Theory]
    [InlineData("5-3", "ends before it starts")]
    [InlineData("a-b", "is not FIRST-LAST")]
    [InlineData("3", "is not FIRST-LAST")]
    [InlineData("-1-4", "is not FIRST-LAST")]
    [InlineData("0-200000", "at most 200000")]
    public void A_bad_range_is_refused_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => DeviceIdRange.Parse("sim-", text));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_range_with_first_id_or_an_explicit_count_is_refused()
    {
        Assert.Throws<FormatException>(() => DeviceIdRange.From("sim-", "0-9", 3, 10, false));
        Assert.Throws<FormatException>(() => DeviceIdRange.From("sim-", "0-9", null, 10, true));
        Assert.Throws<FormatException>(() => DeviceIdRange.From("sim-", null, -1, 10, false));
    }

    [Fact]
    public void Ranges_overlap_only_on_a_shared_number_under_one_prefix()
    {
        var a = DeviceIdRange.Parse("sim-", "0-4999");
        Assert.False(a.Overlaps(DeviceIdRange.Parse("sim-", "5000-9999")));
        Assert.True(a.Overlaps(DeviceIdRange.Parse("sim-", "4999-5000")));
        Assert.False(a.Overlaps(DeviceIdRange.Parse("lab-", "0-4999")));
    }
}
