using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Security;

public sealed class DeviceTopicAclTests
{
    private static readonly MqttIdentity DeviceA = MqttIdentity.Device("dev-a");
    private static readonly MqttIdentity Service = MqttIdentity.Service("fleet-orchestrator");

    [Theory]
    [InlineData("fleet/v1/devices/dev-a/status")]
    [InlineData("fleet/v1/devices/dev-a/state")]
    [InlineData("fleet/v1/devices/dev-a/evt")]
    public void A_device_may_publish_on_its_own_device_to_orchestrator_topics(string topic) =>
        Assert.True(DeviceTopicAcl.CheckPublish(DeviceA, topic).Allowed);

    [Theory]
    [InlineData("fleet/v1/devices/dev-a/cmd", "command topic")]
    [InlineData("fleet/v1/devices/dev-b/evt", "device 'dev-b'")]
    [InlineData("fleet/v1/devices/dev-a/evt/x", "not a device topic")]
    [InlineData("fleet/v1/devices/dev-ab/evt", "device 'dev-ab'")]
    [InlineData("fleet/v2/devices/dev-a/evt", "not a device topic")]
    [InlineData("other/dev-a/evt", "not a device topic")]
    public void Anything_else_a_device_publishes_is_refused_with_a_reason(string topic, string reasonPart)
    {
        var decision = DeviceTopicAcl.CheckPublish(DeviceA, topic);

        Assert.False(decision.Allowed);
        Assert.Contains(reasonPart, decision.Reason);
        Assert.Contains("dev-a", decision.Reason);
    }

    [Theory]
    [InlineData("fleet/v1/devices/dev-a/cmd", true)]
    [InlineData("fleet/v1/devices/dev-a/#", false)]
    [InlineData("fleet/v1/devices/+/cmd", false)]
    [InlineData("fleet/v1/devices/dev-b/cmd", false)]
    [InlineData("fleet/v1/devices/dev-a/evt", false)]
    [InlineData("$share/g/fleet/v1/devices/dev-a/cmd", false)]
    public void A_device_subscribes_to_exactly_its_own_command_topic(string filter, bool allowed) =>
        Assert.Equal(allowed, DeviceTopicAcl.CheckSubscribe(DeviceA, filter).Allowed);

    [Theory]
    [InlineData("fleet/v1/devices/dev-a/cmd", true)]
    [InlineData("fleet/v1/anything/else", true)]
    [InlineData("fleet/v2/devices/dev-a/cmd", false)]
    [InlineData("$SYS/broker/uptime", false)]
    public void The_service_identity_owns_fleet_v1(string topic, bool allowed)
    {
        Assert.Equal(allowed, DeviceTopicAcl.CheckPublish(Service, topic).Allowed);
        Assert.Equal(allowed, DeviceTopicAcl.CheckSubscribe(Service, topic).Allowed);
    }

    [Fact]
    public void The_service_identity_may_not_subscribe_to_everything() =>
        Assert.False(DeviceTopicAcl.CheckSubscribe(Service, "#").Allowed);
}
