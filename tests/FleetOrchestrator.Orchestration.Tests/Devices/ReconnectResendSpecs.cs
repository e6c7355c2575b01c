using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// A device that reconnects gets the saga's outstanding command again at once: a broker restart without stored
/// sessions drops the commands queued for it, and the re-send backoff would otherwise leave it idle for up to 15 min.
/// </summary>
public sealed class ReconnectResendSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void A_device_that_comes_back_online_is_sent_the_outstanding_command_again_with_the_same_id()
    {
        var check = Begin();
        Saga.Tell(new DevicePresenceReceived(DeviceId, false));
        ExpectNoCommand();

        Saga.Tell(new DevicePresenceReceived(DeviceId, true));

        Assert.Equal(check.Id, ExpectCommand<GetState>().Id);
    }

    [Fact]
    public void A_download_in_flight_is_sent_again_with_its_id_when_the_device_reconnects()
    {
        var download = ToDownloading();
        Saga.Tell(new DevicePresenceReceived(DeviceId, false));
        Saga.Tell(new DevicePresenceReceived(DeviceId, true));

        Assert.Equal(download.Id, ExpectCommand<StartDownload>().Id);
        // Presence that repeats "online" changes nothing and sends nothing.
        Saga.Tell(new DevicePresenceReceived(DeviceId, true));
        ExpectNoCommand();
    }
}
