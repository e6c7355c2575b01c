using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Simulation.Tests.Runs;

public sealed class DeviceLinkNamesTests
{
    [Fact]
    public void Every_link_parses_back_from_the_name_the_report_gives_it() =>
        Assert.All(Enum.GetValues<DeviceLink>(), link => Assert.Equal(link, DeviceLinkNames.Parse(link.Name())));

    [Theory]
    [InlineData("In-Process", DeviceLink.InProcess)]
    [InlineData("TCP", DeviceLink.Tcp)]
    public void Names_are_read_in_any_case(string value, DeviceLink expected) => Assert.Equal(expected, DeviceLinkNames.Parse(value));

    [Fact]
    public void An_unknown_name_is_refused_with_the_choices() =>
        Assert.Contains("inprocess or tcp, got 'udp'", Assert.Throws<FormatException>(() => DeviceLinkNames.Parse("udp")).Message);
}
