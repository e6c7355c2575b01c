using System.Text.Json.Nodes;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

/// <summary>
/// The JSON commands of Mosquitto's dynamic security plugin (<c>$CONTROL/dynamic-security/v1</c>) the orchestrator
/// sends. Mosquitto 2.0's plugin has no <c>%u</c>/<c>%c</c> in ACL topics (eclipse/mosquitto#2222; only from 2.1), so
/// each device gets a role of its own, <c>fleet-device-{id}</c>, that names its topics literally: the same rules as
/// <see cref="Security.DeviceTopicAcl"/> and the <c>acl_file</c> of <see cref="MosquittoAclFile"/>.
/// </summary>
public static class DynamicSecurityCommands
{
    public const string DeviceRolePrefix = "fleet-device-";

    // The plugin checks the highest priority first: the device's own topics, then a deny of everything else, so the
    // role holds even where the broker's defaultACLAccess allows more.
    private const int OwnTopics = 10;
    private const int Everything = 0;

    public static string DeviceRoleName(string deviceId) => DeviceRolePrefix + CheckedId(deviceId);

    /// <summary>The device's role: publish its status, state and events; subscribe to and receive its commands.</summary>
    public static JsonObject CreateDeviceRole(string deviceId)
    {
        var id = CheckedId(deviceId);
        return new JsonObject
        {
            ["command"] = "createRole",
            ["rolename"] = DeviceRoleName(id),
            ["textname"] = $"FleetOrchestrator device {id}",
            ["acls"] = new JsonArray(
                Acl("publishClientSend", DeviceTopics.Status(id), true, OwnTopics),
                Acl("publishClientSend", DeviceTopics.State(id), true, OwnTopics),
                Acl("publishClientSend", DeviceTopics.Events(id), true, OwnTopics),
                Acl("subscribeLiteral", DeviceTopics.Commands(id), true, OwnTopics),
                Acl("publishClientReceive", DeviceTopics.Commands(id), true, OwnTopics),
                Acl("publishClientSend", "#", false, Everything),
                Acl("publishClientReceive", "#", false, Everything),
                Acl("subscribePattern", "#", false, Everything)),
        };
    }

    /// <summary>The device's client: user name and client id are its id (a session cannot be taken under another id).</summary>
    public static JsonObject CreateDeviceClient(string deviceId, string secret)
    {
        var id = CheckedId(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new JsonObject
        {
            ["command"] = "createClient",
            ["username"] = id,
            ["password"] = secret,
            ["clientid"] = id,
            ["textname"] = $"FleetOrchestrator device {id}",
            ["roles"] = new JsonArray(new JsonObject { ["rolename"] = DeviceRoleName(id) }),
        };
    }

    /// <summary>Deleting a client also disconnects it (Mosquitto kicks clients whose account is gone).</summary>
    public static JsonObject DeleteClient(string userName) =>
        new() { ["command"] = "deleteClient", ["username"] = userName };

    public static JsonObject DeleteRole(string roleName) =>
        new() { ["command"] = "deleteRole", ["rolename"] = roleName };

    /// <summary>Every client with its roles (<c>verbose</c>); <c>count</c> -1 means all.</summary>
    public static JsonObject ListClients() =>
        new() { ["command"] = "listClients", ["verbose"] = true, ["count"] = -1, ["offset"] = 0 };

    /// <summary>
    /// A role for the orchestrator's own traffic account: everything under the fleet's root (<c>fleet/v1/#</c>). The
    /// plugin checks a shared subscription's whole filter, <c>$share/{group}/…</c>, so that needs its own rules.
    /// </summary>
    public static JsonObject CreateServiceRole(string roleName)
    {
        const string all = "fleet/v1/#";
        const string shared = "$share/+/" + all;
        return new JsonObject
        {
            ["command"] = "createRole",
            ["rolename"] = roleName,
            ["acls"] = new JsonArray(
                Acl("publishClientSend", all, true, OwnTopics),
                Acl("publishClientReceive", all, true, OwnTopics),
                Acl("subscribePattern", all, true, OwnTopics),
                Acl("subscribePattern", shared, true, OwnTopics),
                Acl("unsubscribePattern", all, true, OwnTopics),
                Acl("unsubscribePattern", shared, true, OwnTopics)),
        };
    }

    /// <summary>A client without a fixed client id (each orchestrator node connects with its own).</summary>
    public static JsonObject CreateServiceClient(string userName, string password, string roleName) => new()
    {
        ["command"] = "createClient",
        ["username"] = userName,
        ["password"] = password,
        ["roles"] = new JsonArray(new JsonObject { ["rolename"] = roleName }),
    };

    private static JsonObject Acl(string type, string topic, bool allow, int priority) => new()
    {
        ["acltype"] = type,
        ["topic"] = topic,
        ["priority"] = priority,
        ["allow"] = allow,
    };

    private static string CheckedId(string deviceId) =>
        WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem
            ? throw new ArgumentException($"'{deviceId}' cannot have a broker account: {problem}", nameof(deviceId))
            : deviceId;
}
