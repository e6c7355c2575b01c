using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Mosquitto;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

public sealed class MosquittoFilesTests
{
    private static string ConfigDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) return Path.Combine(dir.FullName, "config");
            throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void A_password_line_is_mosquitto_2_pbkdf2_sha512_of_the_password()
    {
        var line = MosquittoPasswordFile.Line("dev-a", "secret");

        var parts = line.Split(':', 2);
        Assert.Equal("dev-a", parts[0]);
        var fields = parts[1].Split('$');   // "", "7", iterations, salt, hash
        Assert.Equal(["", "7", "101"], fields[..3]);
        var salt = Convert.FromBase64String(fields[3]);
        var hash = Convert.FromBase64String(fields[4]);
        Assert.Equal(12, salt.Length);
        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("secret"), salt, 101, HashAlgorithmName.SHA512, 64), hash);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("a\nb")]
    public void A_user_name_that_would_break_the_file_is_refused(string userName) =>
        Assert.Throws<ArgumentException>(() => MosquittoPasswordFile.Line(userName, "x"));

    [Fact]
    public void The_acl_in_config_is_the_one_the_code_generates_and_the_tests_run_against() =>
        Assert.Equal(
            MosquittoAclFile.Build("fleet-orchestrator").ReplaceLineEndings("\n").TrimEnd(),
            File.ReadAllText(Path.Combine(ConfigDirectory, "mosquitto", "acl")).ReplaceLineEndings("\n").TrimEnd());

    [Fact]
    public void The_example_appsettings_bind_to_the_transport_options()
    {
        var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };

        var embedded = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "appsettings.mqtt-embedded.json")))
            .RootElement.GetProperty(MqttTransportOptions.SectionName).Deserialize<MqttTransportOptions>(json)!;
        var external = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "appsettings.mqtt-external.json")))
            .RootElement.GetProperty(MqttTransportOptions.SectionName).Deserialize<MqttTransportOptions>(json)!;

        Assert.Equal(MqttTransportMode.Embedded, embedded.Mode);
        Assert.Equal(CommandDeliveryPath.DirectEnqueue, embedded.Embedded.CommandDelivery);
        Assert.Equal(MqttTransportMode.External, external.Mode);
        Assert.Equal("fleet-orchestrators", external.External.SharedSubscriptionGroup);
        Assert.Equal(TimeSpan.FromSeconds(2), external.External.ReconnectInterval);
    }

    [Fact]
    public void Shared_subscription_filters_cover_evt_state_and_status_in_one_group()
    {
        Assert.Equal(
            ["$share/g1/fleet/v1/devices/+/evt", "$share/g1/fleet/v1/devices/+/state", "$share/g1/fleet/v1/devices/+/status"],
            SharedSubscriptionFilters.For("g1"));
        Assert.Throws<ArgumentException>(() => SharedSubscriptionFilters.For("a/b"));
    }
}
