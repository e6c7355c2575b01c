using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Protocol.Tests;

public class TopicParsingTests
{
    [Theory]
    [InlineData("fleet/v1/devices/dev-0042/status", DeviceTopicKind.Status)]
    [InlineData("fleet/v1/devices/dev-0042/state", DeviceTopicKind.State)]
    [InlineData("fleet/v1/devices/dev-0042/evt", DeviceTopicKind.Events)]
    [InlineData("fleet/v1/devices/dev-0042/cmd", DeviceTopicKind.Commands)]
    public void Recognizes_every_v1_leaf(string topic, DeviceTopicKind expected)
    {
        Assert.True(DeviceTopics.TryParse(topic, out var id, out var kind));
        Assert.Equal("dev-0042", id);
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(DeviceTopicKind.Status)]
    [InlineData(DeviceTopicKind.State)]
    [InlineData(DeviceTopicKind.Events)]
    [InlineData(DeviceTopicKind.Commands)]
    public void Built_topics_parse_back_to_the_same_device_and_kind(DeviceTopicKind kind)
    {
        string topic = DeviceTopics.For("A_z-09", kind);
        Assert.True(DeviceTopics.TryParse(topic, out var id, out var parsed, out var error), error);
        Assert.Equal("A_z-09", id);
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void Named_builders_match_the_kind_builder()
    {
        Assert.Equal(DeviceTopics.For("d", DeviceTopicKind.Status), DeviceTopics.Status("d"));
        Assert.Equal(DeviceTopics.For("d", DeviceTopicKind.State), DeviceTopics.State("d"));
        Assert.Equal(DeviceTopics.For("d", DeviceTopicKind.Events), DeviceTopics.Events("d"));
        Assert.Equal(DeviceTopics.For("d", DeviceTopicKind.Commands), DeviceTopics.Commands("d"));
        Assert.Equal("fleet/v1/devices/d/#", DeviceTopics.DeviceSubtree("d"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("devices/dev-1/evt", "does not start with 'fleet/'")]
    [InlineData("$SYS/broker/clients", "does not start with 'fleet/'")]
    [InlineData("fleet", "ends after 'fleet'")]
    [InlineData("fleet/v2/devices/dev-1/evt", "version level is 'v2'")]
    [InlineData("fleet/v1", "ends after 'fleet/v1'")]
    [InlineData("fleet/v1/gateways/dev-1/evt", "'gateways' where 'devices'")]
    [InlineData("fleet/v1/devices/dev-1", "no device id and leaf")]
    [InlineData("fleet/v1/devices/dev-1/telemetry", "unknown leaf 'telemetry'")]
    [InlineData("fleet/v1/devices/dev-1/EVT", "unknown leaf 'EVT'")]
    [InlineData("fleet/v1/devices/dev-1/evt/extra", "after the leaf")]
    [InlineData("fleet/v1/devices/dev-1/evt/", "after the leaf")]
    [InlineData("fleet/v1/devices/+/evt", "wildcard '+'")]
    [InlineData("fleet/v1/devices/dev-1/#", "wildcard '#'")]
    [InlineData("fleet/v1/devices//evt", "device id is empty")]
    [InlineData("fleet/v1/devices/dev.1/evt", "'.' at position 3")]
    [InlineData("fleet/v1/devices/dév/evt", "'é' at position 1")]
    [InlineData("fleet/v1/devices/dev 1/evt", "' ' at position 3")]
    [InlineData("fleet/v1/devices/0123456789012345678901234567890123456789012345678901234567890123X/evt", "65 characters long")]
    public void Rejects_anything_else_with_a_reason(string topic, string reasonPart)
    {
        Assert.False(DeviceTopics.TryParse(topic, out var id, out _, out var error));
        Assert.Null(id);
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_id_of_64_characters_is_the_longest_accepted()
    {
        string id64 = new('a', 64);
        Assert.True(DeviceTopics.TryParse($"fleet/v1/devices/{id64}/cmd", out var id, out _));
        Assert.Equal(id64, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("dev 1")]
    public void Builders_refuse_ids_that_could_escape_the_device_subtree(string badId)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceTopics.Commands(badId));
        Assert.Contains("not a valid device id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_topic_is_rejected_not_thrown()
    {
        Assert.False(DeviceTopics.TryParse(null, out _, out _, out var error));
        Assert.Equal("topic is empty", error);
    }
}
