using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Protocol.Validation;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

public sealed class EmbeddedBrokerTransportLimitsTests
{
    private const int Announced = 200 * 1024 * 1024;

    [Fact]
    public async Task A_CONNECT_announcing_200_MB_is_closed_at_once_without_buffering_it()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // CONNECT, remaining length 200 MB (varint), then the start of an MQTT 5 variable header.
        byte[] header =
            [0x10, .. RemainingLength(Announced), 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5];
        await socket.SendAsync(header);

        var watch = Stopwatch.StartNew();
        var closed = await ReadUntilClosedAsync(socket, Deadline.Default);
        Assert.True(closed,
            $"the broker kept the connection open for {Deadline.Default} after a 200 MB CONNECT header");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"closing took {watch.Elapsed}");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < Announced / 4, $"{allocated} bytes were allocated after the header arrived");
    }

    [Fact]
    public async Task A_CONNECT_one_byte_over_the_pre_authentication_cap_is_refused()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        // Remaining length such that 1 + 2 (varint) + length is the cap + 1.
        int overCap = WireLimits.MaxConnectPacketBytes - 3 + 1;
        using var over = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await over.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
        byte[] header = [0x10, .. RemainingLength(overCap)];
        await over.SendAsync(header);

        Assert.True(await ReadUntilClosedAsync(over, Deadline.Default), "an oversized CONNECT was not refused");
    }

    [Fact]
    public async Task An_authenticated_device_publishing_more_than_the_packet_cap_is_disconnected()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var client = new MqttClientFactory().CreateMqttClient();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        var connect = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", harness.Broker.Port).WithClientId("dev-a")
            .WithCredentials("dev-a", harness.SecretOf("dev-a"))
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);
        var topic = DeviceTopics.Events("dev-a");

        // Within the cap: a payload of the protocol's maximum is still carried (rejected by the codec, not the link).
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic)
            .WithPayload(new byte[WireLimits.MaxPayloadBytes])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(client.IsConnected);

        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic)
                .WithPayload(new byte[WireLimits.MaxMqttPacketBytes])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
        catch (Exception)
        {
            // The broker may close the link before the acknowledgement: that is the expected outcome.
        }
        await disconnected.Task.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task An_IPv4_loopback_broker_does_not_accept_on_IPv6_loopback()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(
            new EmbeddedBrokerOptions { BindAddress = "127.0.0.1" }, "dev-a");

        using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await v4.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
        using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(
            () => v6.ConnectAsync(IPAddress.IPv6Loopback, harness.Broker.Port).WaitAsync(Deadline.Default));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task An_IPv6_loopback_broker_accepts_on_IPv6_loopback_only()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(
            new EmbeddedBrokerOptions { BindAddress = "::1" }, "dev-a");

        using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await v6.ConnectAsync(IPAddress.IPv6Loopback, harness.Broker.Port);
        using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(
            () => v4.ConnectAsync(IPAddress.Loopback, harness.Broker.Port).WaitAsync(Deadline.Default));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static byte[] RemainingLength(int value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value % 128);
            value /= 128;
            if (value > 0) b |= 0x80;
            bytes.Add(b);
        } while (value > 0);
        return [.. bytes];
    }

    // True when the peer closed (EOF or reset) within the timeout; anything the broker sends first is read past.
    private static async Task<bool> ReadUntilClosedAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) == 0) return true;
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
