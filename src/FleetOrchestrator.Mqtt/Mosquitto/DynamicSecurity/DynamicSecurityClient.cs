using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Security;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

/// <summary>
/// An admin client of Mosquitto's dynamic security plugin: publishes <c>{"commands": [...]}</c> on
/// <c>$CONTROL/dynamic-security/v1</c> and awaits the plugin's <c>{"responses": [...]}</c> on <c>…/response</c>,
/// matched
/// by the <c>correlationData</c> each command carries (several nodes' admin clients share that topic). Over MQTT, so
/// any
/// orchestrator node that reaches the broker can administer it. Connects on first use and again after a drop.
/// </summary>
public sealed class DynamicSecurityClient : IAsyncDisposable
{
    public const string ControlTopic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = ControlTopic + "/response";

    private readonly DynamicSecurityOptions _options;
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _pending = new();

    public DynamicSecurityClient(DynamicSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnResponse(e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
    }

    private string Broker => $"{_options.Host}:{_options.Port}";

    /// <summary>Connects and subscribes to the responses; throws <see cref="DynamicSecurityException"/> saying why
    /// not.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client.IsConnected) return;
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(_options.Host, _options.Port)
                .WithClientId(_options.ClientId)
                .WithCredentials(_options.AdminUserName, _options.AdminPassword)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithTimeout(_options.ResponseTimeout)
                .WithCleanStart(true);
            if (_options.UseTls)
                builder = builder.WithServerTrust(_options.Host,
                    ServerTrustMqttExtensions.BrokerTrust(_options.CaFile));
            MqttClientConnectResult connect;
            try
            {
                connect = await _client.ConnectAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new DynamicSecurityException(
                    $"cannot reach Mosquitto at {Broker} to administer its dynamic security plugin: {Reason(e)}", e);
            }
            if (connect.ResultCode != MqttClientConnectResultCode.Success)
                throw new DynamicSecurityException(
                    $"Mosquitto at {Broker} refused the dynamic-security admin '{_options.AdminUserName}': " +
                    $"{connect.ResultCode} {connect.ReasonString}; check the admin user name and password " +
                    "(--mosquitto-dynsec USER:PASSWORD, the client `mosquitto_ctrl dynsec init` created)".Trim());
            var subscribe = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(ResponseTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken)
                .ConfigureAwait(false);
            if (subscribe.Items.Any(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
                throw new DynamicSecurityException(
                    $"Mosquitto at {Broker} does not let '{_options.AdminUserName}' subscribe to {ResponseTopic} " +
                    $"({subscribe.Items.First().ResultCode}): give it the role 'admin' of " +
                    "`mosquitto_ctrl dynsec init`, " +
                    "and check that mosquitto.conf loads mosquitto_dynamic_security.so");
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="commands"/> as one request and returns the plugin's responses in the same order. Throws
    /// <see cref="DynamicSecurityException"/> when the request cannot be delivered or no answer comes in time (no
    /// plugin
    /// loaded, or the user is not its admin); a command the plugin refuses comes back with its <c>Error</c> set.
    /// </summary>
    public async Task<IReadOnlyList<DynamicSecurityResponse>> ExecuteAsync(
        IReadOnlyList<JsonObject> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0) return [];
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var request = Guid.NewGuid().ToString("N");
        var array = new JsonArray();
        for (int i = 0; i < commands.Count; i++)
        {
            var command = (JsonObject)commands[i].DeepClone();
            command["correlationData"] = $"{request}:{i}";
            array.Add(command);
        }
        var answered = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request] = answered;
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["commands"] = array });
            var published = await _client.PublishAsync(new MqttApplicationMessage
            {
                Topic = ControlTopic,
                Payload = new ReadOnlySequence<byte>(payload),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            }, cancellationToken).ConfigureAwait(false);
            if (!published.IsSuccess)
                throw new DynamicSecurityException(
                    $"Mosquitto at {Broker} refused '{_options.AdminUserName}''s publish on {ControlTopic}: " +
                    $"{published.ReasonCode} {published.ReasonString}".Trim());
            JsonArray responses;
            try
            {
                responses = await answered.Task.WaitAsync(_options.ResponseTimeout,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new DynamicSecurityException(
                    $"no answer from Mosquitto's dynamic security plugin at {Broker} within " +
                    $"{_options.ResponseTimeout}: is mosquitto_dynamic_security.so loaded, and is " +
                    $"'{_options.AdminUserName}' in its role 'admin'?", e);
            }
            return ByCorrelation(request, commands, responses);
        }
        finally
        {
            _pending.TryRemove(request, out _);
        }
    }

    private static List<DynamicSecurityResponse> ByCorrelation(
        string request, IReadOnlyList<JsonObject> commands, JsonArray responses)
    {
        var byIndex = new DynamicSecurityResponse?[commands.Count];
        foreach (var node in responses)
        {
            if (node is not JsonObject response || !TryIndex(response, request, out var index)
                || index >= byIndex.Length)
                continue;
            byIndex[index] = new DynamicSecurityResponse(
                response["command"]?.GetValue<string>() ?? "", response["error"]?.GetValue<string>(), response["data"]);
        }
        return byIndex.Select((r, i) => r ?? new DynamicSecurityResponse(
            commands[i]["command"]?.GetValue<string>() ?? "", "the plugin sent no response for this command",
                null)).ToList();
    }

    private void OnResponse(ReadOnlySequence<byte> payload)
    {
        JsonArray? responses;
        try
        {
            responses = JsonNode.Parse(payload.ToArray())?["responses"] as JsonArray;
        }
        catch (JsonException)
        {
            return;
        }
        if (responses?.FirstOrDefault() is not JsonObject first) return;
        var correlation = first["correlationData"]?.GetValue<string>();
        var request = correlation?.Split(':')[0];
        // Another node's admin client, or an operator's mosquitto_ctrl, shares the response topic: not ours.
        if (request is not null && _pending.TryGetValue(request, out var waiting)) waiting.TrySetResult(responses);
    }

    private static bool TryIndex(JsonObject response, string request, out int index)
    {
        index = -1;
        var correlation = response["correlationData"]?.GetValue<string>();
        if (correlation is null || !correlation.StartsWith(request + ":", StringComparison.Ordinal)) return false;
        return int.TryParse(correlation.AsSpan(request.Length + 1), out index);
    }

    private static string Reason(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Already gone.
        }
        finally
        {
            _client.Dispose();
            _connecting.Dispose();
        }
    }
}
