using System.Security.Cryptography.X509Certificates;

namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>Settings of the in-process MQTTnet broker. Bindable from configuration (section <c>Mqtt:Embedded</c>).</summary>
public sealed record EmbeddedBrokerOptions
{
    /// <summary>TCP port; 0 picks a free port (tests), read it back from <c>EmbeddedMqttBroker.Port</c>.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// The plain-TCP listener on <see cref="Port"/>; with a <see cref="ServerCertificate"/> the host turns it off
    /// unless asked (fleet serve: <c>--mqtt-plain</c>), so devices cannot fall back to cleartext secrets.
    /// </summary>
    public bool PlainListener { get; init; } = true;

    /// <summary>MQTT over TLS on this port when <see cref="ServerCertificate"/> is set; 0 picks a free port.</summary>
    public int TlsPort { get; init; } = 8883;

    /// <summary>The certificate (with its private key) the TLS listener presents; null: no TLS listener.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>How long a client has for its TLS handshake before the socket is closed.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Address to listen on; loopback unless devices connect from elsewhere.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The orchestrator's own MQTT identity (may touch everything under fleet/v1/#).</summary>
    public string ServiceUserName { get; init; } = "fleet-orchestrator";

    /// <summary>Messages queued per session before the oldest is dropped (MQTTnet default 1000).</summary>
    public int MaxPendingMessagesPerClient { get; init; } = 1000;

    /// <summary>Commands waiting for a device that has no session yet, per device; older ones are dropped (and logged).</summary>
    public int MaxCommandsQueuedForAbsentDevice { get; init; } = 16;

    /// <summary>TCP accept backlog: 10,000 devices reconnecting at once after a restart need a deep one.</summary>
    public int ConnectionBacklog { get; init; } = 2000;

    public CommandDeliveryPath CommandDelivery { get; init; } = CommandDeliveryPath.DirectEnqueue;

    /// <summary>
    /// When false (default) device traffic is consumed in-process and NOT routed to other subscribers: evt messages stop
    /// at the interceptor, retained status/state are stored directly in the retained store. This avoids MQTTnet's
    /// O(sessions) routing per device message. Set true when some MQTT client (a dashboard, a tap) must see device
    /// traffic through subscriptions.
    /// </summary>
    public bool FanOutDeviceTraffic { get; init; }

    /// <summary>Refused CONNECTs from one address answered at once before the CONNACK starts to wait.</summary>
    public int ConnectFailuresBeforeDelay { get; init; } = 5;

    /// <summary>The first wait of a refused CONNECT; each further refusal from the address doubles it.</summary>
    public TimeSpan ConnectFailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a refused CONNECT waits for its CONNACK.</summary>
    public TimeSpan MaxConnectFailureDelay { get; init; } = TimeSpan.FromSeconds(30);
}
