using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>Refused CONNECTs from one address wait longer and longer for their CONNACK (on the broker's
/// clock).</summary>
public sealed class EmbeddedBrokerConnectFailureTests
{
    [Fact]
    public async Task Repeated_refusals_from_one_address_are_answered_later_and_a_right_secret_is_never_slowed()
    {
        var time = new FakeTimeProvider();
        var credentials = new HashedCredentialStore(EmbeddedBrokerHarness.ServiceUser,
            EmbeddedBrokerHarness.ServiceSecret);
        var secret = DeviceSecrets.Generate();
        credentials.AddDevice("dev-a", secret);
        var traffic = new RecordingTrafficHandler();
        var options = new EmbeddedBrokerOptions
        {
            Port = 0,
            ServiceUserName = EmbeddedBrokerHarness.ServiceUser,
            ConnectFailuresBeforeDelay = 1,
            ConnectFailureDelay = TimeSpan.FromSeconds(2),
        };
        await using var broker = new EmbeddedMqttBroker(options, credentials, traffic, time: time);
        await broker.StartAsync();
        DeviceMqttConnection Connect(string secretToUse) =>
            new(new DeviceConnectionOptions("127.0.0.1", broker.Port, "dev-a", secretToUse), _ => Task.CompletedTask);

        await using (var first = Connect("wrong-1"))
            Assert.Equal("BadUserNameOrPassword", (await first.ConnectAsync()).ResultCode);

        await using var second = Connect("wrong-2");
        var pending = second.ConnectAsync();
        // Reported once the wait has started (the broker starts it first): until the clock moves, no CONNACK.
        await traffic.WaitFor<RejectedTraffic>(r =>
            r.ClientId == "dev-a" && traffic.Seen.OfType<RejectedTraffic>().Count() == 2);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted, "the second refusal was answered before its 2 s wait");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("BadUserNameOrPassword", (await pending.WaitAsync(Deadline.Default)).ResultCode);

        await using var right = Connect(secret);
        var outcome = await right.ConnectAsync().WaitAsync(Deadline.Default);
        Assert.True(outcome.IsConnected, outcome.ResultCode);
    }
}
