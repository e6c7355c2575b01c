using System.Buffers;
using System.Text;
using FleetOrchestrator.Mqtt.Routing;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Mqtt.Tests.Routing;

/// <summary>
/// Random topics and payloads (seeded, so a failure reproduces): the router never throws and makes exactly one handler
/// call per message, and the ACL never lets a device out of its own three topics.
/// </summary>
public sealed class DeviceTrafficRouterFuzzTests
{
    private static readonly string[] Levels =
        ["fleet", "v1", "v2", "devices", "dev-a", "dev-b", "evt", "state", "status", "cmd", "+", "#", "", "dev a", "$share", "ü", "dev-a\u0000"];

    private static readonly byte[][] ValidPayloads =
    [
        ProtocolCodec.Encode(SampleMessages.Booted()),
        ProtocolCodec.Encode(SampleMessages.State()),
        ProtocolCodec.Encode(new DevicePresence(true)),
        ProtocolCodec.Encode(new GetState("c-1")),
    ];

    private static string RandomTopic(Random random)
    {
        if (random.Next(3) == 0)
        {
            // Mostly well-formed device topics, so the decoding branches are exercised as much as the topic checks.
            var kind = (DeviceTopicKind)random.Next(4);
            return DeviceTopics.For(random.Next(2) == 0 ? "dev-a" : "dev-b", kind);
        }
        return string.Join('/', Enumerable.Range(0, random.Next(1, 8)).Select(_ => Levels[random.Next(Levels.Length)]));
    }

    private static byte[] RandomPayload(Random random)
    {
        var valid = ValidPayloads[random.Next(ValidPayloads.Length)];
        switch (random.Next(5))
        {
            case 0: return valid;
            case 1: return valid[..random.Next(valid.Length)];
            case 2:
                var edited = (byte[])valid.Clone();
                edited[random.Next(edited.Length)] = (byte)random.Next(256);
                return edited;
            case 3: return Encoding.UTF8.GetBytes("{\"schema\":1,\"type\":\"" + Levels[random.Next(Levels.Length)] + "\"}");
            default:
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
        }
    }

    [Fact]
    public void Every_message_ends_in_exactly_one_handler_call_and_nothing_throws()
    {
        var random = new Random(20261124);
        var traffic = new RecordingTrafficHandler();
        var router = new DeviceTrafficRouter(traffic, NullLogger.Instance);
        int acceptedCount = 0;

        for (int i = 0; i < 5000; i++)
        {
            int before = traffic.Seen.Count;
            var topic = RandomTopic(random);
            var payload = new ReadOnlySequence<byte>(RandomPayload(random));

            bool accepted = router.Route(topic, "fuzzer", payload);
            if (accepted) acceptedCount++;

            var calls = traffic.Seen.Skip(before).ToList();
            var call = Assert.Single(calls);
            Assert.Equal(accepted, call is not RejectedTraffic);
            if (call is RejectedTraffic rejected) Assert.False(string.IsNullOrWhiteSpace(rejected.Reason));
        }
        // The generator must reach both outcomes, or the property above says little.
        Assert.InRange(acceptedCount, 20, 4900);
    }

    [Fact]
    public void A_device_is_never_allowed_outside_its_own_topics()
    {
        var random = new Random(424242);
        var device = MqttIdentity.Device("dev-a");
        var mayPublish = new HashSet<string> { DeviceTopics.Status("dev-a"), DeviceTopics.State("dev-a"), DeviceTopics.Events("dev-a") };

        for (int i = 0; i < 20000; i++)
        {
            var topic = RandomTopic(random);

            Assert.Equal(mayPublish.Contains(topic), DeviceTopicAcl.CheckPublish(device, topic).Allowed);
            Assert.Equal(topic == DeviceTopics.Commands("dev-a"), DeviceTopicAcl.CheckSubscribe(device, topic).Allowed);
        }
    }
}
