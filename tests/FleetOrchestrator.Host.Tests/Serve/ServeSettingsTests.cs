using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Configuration;
using Microsoft.Extensions.Configuration;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>`fleet serve` settings: defaults, the appsettings file shipped in config/, and bad values named.</summary>
public sealed class ServeSettingsTests
{
    [Fact]
    public void Defaults_are_the_embedded_broker_and_sqlite_in_the_data_directory()
    {
        var options = new ServeSettings().ToOrchestratorOptions();
        Assert.Equal(MqttTransportMode.Embedded, options.Mqtt.Mode);
        Assert.Equal(1883, options.Mqtt.Embedded.Port);
        Assert.Equal("http://127.0.0.1:8080", options.Server.Urls);
        Assert.Equal(Path.GetFullPath(Path.Combine(".fleet", "device-credentials.json")), options.ResolveDeviceCredentialsPath());
    }

    [Fact]
    public void A_signing_key_file_from_the_configuration_becomes_the_servers_signing_key_path()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Fleet:Serve:SigningKey"] = "secrets/key.pem" })
            .Build();
        var options = ServeSettings.FromConfiguration(configuration).ToOrchestratorOptions();
        Assert.Equal(Path.GetFullPath("secrets/key.pem"), options.Server.SigningKeyPath);
        Assert.Null(new ServeSettings().ToOrchestratorOptions().Server.SigningKeyPath);
    }

    [Fact]
    public void The_shipped_appsettings_file_binds()
    {
        var path = Path.Combine(RepositoryRoot(), "config", "appsettings.serve.json");
        var settings = new ConfigurationBuilder().AddJsonFile(path).Build().GetSection(ServeSettings.SectionName).Get<ServeSettings>();
        Assert.NotNull(settings);
        var options = settings.ToOrchestratorOptions();
        Assert.Equal(settings.MqttPort, options.Mqtt.Embedded.Port);
        Assert.Equal(settings.Urls, options.Server.Urls);
    }

    [Fact]
    public void Audit_records_are_kept_a_year_unless_the_settings_say_otherwise()
    {
        Assert.Equal(TimeSpan.FromDays(365), new ServeSettings().ToOrchestratorOptions().Server.AuditRetention);
        var configured = ServeSettings.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Fleet:Serve:AuditRetentionDays"] = "30" })
            .Build());
        Assert.Equal(TimeSpan.FromDays(30), configured.ToOrchestratorOptions().Server.AuditRetention);
        Assert.Null(new ServeSettings { AuditRetentionDays = 0 }.ToOrchestratorOptions().Server.AuditRetention);
        var bad = Assert.Throws<FormatException>(
            () => new ServeSettings { AuditRetentionDays = -1 }.ToOrchestratorOptions());
        Assert.Contains("--audit-retention-days", bad.Message);
    }

    [Fact]
    public void Metrics_need_a_key_and_traces_are_off_unless_the_settings_say_otherwise()
    {
        var plain = new ServeSettings().ToOrchestratorOptions().Telemetry;
        Assert.True(plain.MetricsRequireKey);
        Assert.Null(plain.OtlpEndpoint);

        var open = new ServeSettings { MetricsWithoutKey = true, OtlpEndpoint = "http://collector:4317" }
            .ToOrchestratorOptions().Telemetry;
        Assert.False(open.MetricsRequireKey);
        Assert.Equal(new Uri("http://collector:4317"), open.OtlpEndpoint);
        var bad = Assert.Throws<FormatException>(
            () => new ServeSettings { OtlpEndpoint = "collector" }.ToOrchestratorOptions());
        Assert.Contains("--otlp-endpoint", bad.Message);
    }

    [Fact]
    public void An_external_broker_url_selects_the_external_transport()
    {
        var options = new ServeSettings { Broker = "mqtt://fleet-orchestrator:pw@10.0.0.5:1884" }.ToOrchestratorOptions();
        Assert.Equal(MqttTransportMode.External, options.Mqtt.Mode);
        Assert.Equal(("10.0.0.5", 1884, "fleet-orchestrator", "pw"),
            (options.Mqtt.External.Host, options.Mqtt.External.Port, options.Mqtt.External.UserName, options.Mqtt.External.Password));
    }

    [Theory]
    [InlineData("--mqtt-port", 70000, null, null, null)]
    [InlineData("--urls", 1883, "ftp://x", null, null)]
    [InlineData("--public-url", 1883, null, "not a url", null)]
    [InlineData("--store", 1883, null, null, "mysql://x")]
    public void Bad_settings_are_refused_naming_the_option(string option, int port, string? urls, string? publicUrl, string? store)
    {
        var settings = new ServeSettings { MqttPort = port, Urls = urls ?? "http://127.0.0.1:8080", PublicUrl = publicUrl, Store = store };
        var error = Assert.Throws<FormatException>(() => settings.ToOrchestratorOptions());
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void A_mosquitto_password_file_needs_an_external_broker()
    {
        var error = Assert.Throws<FormatException>(() => new ServeSettings { MosquittoPasswordFile = "passwd" }.ToOrchestratorOptions());
        Assert.Contains("--mosquitto-passwd", error.Message);
        var external = new ServeSettings { MosquittoPasswordFile = "passwd", Broker = "mqtt://svc:pw@127.0.0.1:1883" }.ToOrchestratorOptions();
        Assert.Equal("passwd", external.MosquittoPasswordFile);
    }

    [Fact]
    public void Mosquitto_dynsec_takes_the_admin_from_its_value_and_the_broker_from_the_broker_url()
    {
        var options = new ServeSettings
        {
            Broker = "mqtt://svc:pw@10.0.0.5:1884",
            MosquittoDynsec = "fleet-admin:se:cret",
            DataDirectory = "node-a",
        }.ToOrchestratorOptions();

        var dynsec = options.MosquittoDynamicSecurity;
        Assert.NotNull(dynsec);
        Assert.Equal(("10.0.0.5", 1884, "fleet-admin", "se:cret"),
            (dynsec.Host, dynsec.Port, dynsec.AdminUserName, dynsec.AdminPassword));
        Assert.Equal(options.Mqtt.External.ClientId + "-dynsec", dynsec.ClientId);
    }

    [Theory]
    [InlineData("embedded", "admin:pw", null, "needs an external broker")]
    [InlineData("mqtt://svc:pw@127.0.0.1:1883", "admin:pw", "passwd", "not both")]
    [InlineData("mqtt://svc:pw@127.0.0.1:1883", "admin", null, "USER:PASSWORD")]
    [InlineData("mqtt://svc:pw@127.0.0.1:1883", "admin:", null, "USER:PASSWORD")]
    public void Bad_mosquitto_dynsec_settings_are_refused(string broker, string dynsec, string? passwd, string says)
    {
        var error = Assert.Throws<FormatException>(() => new ServeSettings
        {
            Broker = broker,
            MosquittoDynsec = dynsec,
            MosquittoPasswordFile = passwd,
        }.ToOrchestratorOptions());
        Assert.Contains("--mosquitto-dynsec", error.Message);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void An_mqtts_broker_is_reached_over_tls_checked_against_the_broker_ca_and_dynsec_follows()
    {
        var folder = Directory.CreateTempSubdirectory("fleet-broker-ca-").FullName;
        try
        {
            var ca = Path.Combine(folder, "ca.crt");
            using (var key = System.Security.Cryptography.ECDsa.Create())
            {
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                    "CN=broker CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
                using var certificate =
                    request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
                File.WriteAllText(ca, certificate.ExportCertificatePem());
            }

            var options = new ServeSettings
            {
                Broker = "mqtts://svc:pw@broker.example",
                BrokerCa = ca,
                MosquittoDynsec = "admin:pw",
            }.ToOrchestratorOptions();

            var external = options.Mqtt.External;
            Assert.Equal(("broker.example", 8883, true, ca),
                (external.Host, external.Port, external.UseTls, external.CaFile));
            var dynsec = options.MosquittoDynamicSecurity!;
            Assert.Equal((8883, true, ca), (dynsec.Port, dynsec.UseTls, dynsec.CaFile));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("embedded", "ca.crt", "--broker-ca needs a broker reached over TLS")]
    [InlineData("mqtt://svc:pw@127.0.0.1:1883", "ca.crt", "--broker-ca needs a broker reached over TLS")]
    [InlineData("mqtts://svc:pw@127.0.0.1", "no-such-ca.crt", "does not exist")]
    [InlineData("mqtts://127.0.0.1:8883", null, "needs the orchestrator's credentials")]
    [InlineData("tls://svc:pw@127.0.0.1", null, "mqtts://")]
    public void Bad_tls_broker_settings_are_refused_by_name(string broker, string? ca, string says)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ServeSettings { Broker = broker, BrokerCa = ca }
            .ToOrchestratorOptions());
        Assert.True(error is FormatException or InvalidDataException, error.ToString());
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void Each_node_gets_its_own_stable_mqtt_client_id_from_its_data_directory()
    {
        static string ClientId(string dataDirectory) => new ServeSettings
        {
            Broker = "mqtt://svc:pw@127.0.0.1:1883",
            DataDirectory = dataDirectory,
        }.ToOrchestratorOptions().Mqtt.External.ClientId;

        Assert.NotEqual(ClientId("/var/lib/fleet/node-1"), ClientId("/var/lib/fleet/node-2"));
        Assert.Equal(ClientId("/var/lib/fleet/node-1"), ClientId("/var/lib/fleet/node-1"));
        Assert.NotEqual(NodeClientId.For("/data", "host-a"), NodeClientId.For("/data", "host-b"));
        Assert.StartsWith("fleet-orchestrator-", ClientId("/var/lib/fleet/node-1"));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FleetOrchestrator.sln not found above the test binaries");
    }
}
