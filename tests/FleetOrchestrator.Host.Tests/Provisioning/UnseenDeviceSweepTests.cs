using System.Collections.Concurrent;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>
/// A device whose announcement never reached the orchestrator (here: a device that connects and says nothing) is
/// asked for its state by the sweep, and its answer puts it in the fleet view. The real embedded broker, a real MQTT
/// client speaking the device protocol; the sweep's timer is off and its tick called by hand.
/// </summary>
public sealed class UnseenDeviceSweepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    [Fact]
    public void A_device_is_asked_only_once_it_was_unseen_at_two_sweeps_in_a_row_and_at_most_the_limit()
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "d-1" };
        var first = UnseenDeviceSweep.Due(["d-1", "d-2", "d-3", "d-4"], known, None, limit: 2);
        Assert.Empty(first.Ask);
        Assert.Equal(["d-2", "d-3", "d-4"], first.Unseen.Order());

        known.Add("d-3"); // announced between the two sweeps
        var second = UnseenDeviceSweep.Due(["d-1", "d-2", "d-3", "d-4", "d-5"], known, first.Unseen, limit: 2);
        Assert.Equal(["d-2", "d-4"], second.Ask);
        Assert.Equal(["d-2", "d-4", "d-5"], second.Unseen.Order());

        var third = UnseenDeviceSweep.Due(["d-2", "d-4", "d-5"], known, second.Unseen, limit: 1);
        Assert.Equal(["d-2"], third.Ask);
    }

    [Fact]
    public async Task A_silent_connected_device_is_asked_for_its_state_and_its_answer_puts_it_in_the_fleet_view()
    {
        await using var orchestrator =
            await TestOrchestrator.StartAsync(adjust: o => o with { UnseenDeviceSweep = null });
        var host = orchestrator.Host;
        const string deviceId = "silent-0001";
        var secret = host.Devices.Register(deviceId)!;
        var sweep = host.Services.GetRequiredService<UnseenDeviceSweep>();

        var commands = new BlockingCollection<DeviceCommand>();
        using var device = new MqttClientFactory().CreateMqttClient();
        device.ApplicationMessageReceivedAsync += e =>
        {
            if (ProtocolCodec.DecodeCommand(e.ApplicationMessage.Payload) is { Value: { } command })
                commands.Add(command);
            return Task.CompletedTask;
        };
        var (brokerHost, brokerPort) = host.BrokerEndpoint;
        var connected = await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(brokerHost, brokerPort).WithClientId(deviceId).WithCredentials(deviceId, secret)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await device.SubscribeAsync(DeviceTopics.Commands(deviceId), MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Empty(await sweep.SweepAsync(CancellationToken.None)); // first time unseen: not asked yet
        Assert.Equal([deviceId], await sweep.SweepAsync(CancellationToken.None));
        Assert.True(commands.TryTake(out var asked, Deadline), "the sweep's getState never reached the device");
        var getState = Assert.IsType<GetState>(asked);

        var report = new DeviceStateReport(new SemanticVersion(1, 0, 0), BankId.Bank1, false, ImageState.Committed,
            ResetCause.PowerOn, new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 1, new SemanticVersion(2, 0, 0)),
            0x11112222, null);
        await device.PublishBinaryAsync(DeviceTopics.Events(deviceId),
            ProtocolCodec.Encode(new StateReported(getState.Id, 1, report)), MqttQualityOfServiceLevel.AtLeastOnce);

        var row = await Poll.UntilAsync(() => host.Fleet.GetAsync(deviceId), r => r is not null, Deadline,
            "the answering device in the fleet view");
        Assert.Equal(new SemanticVersion(1, 0, 0), row!.RunningVersion);
        Assert.Empty(await sweep.SweepAsync(CancellationToken.None)); // seen now: never asked again
    }
}
