using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Serialization;

/// <summary>
/// Serializes persisted device events, the device snapshot and device-actor messages as System.Text.Json under the
/// short manifests of <see cref="FleetManifests"/>; never a CLR type name, so types can be renamed or moved freely.
/// Unknown manifests and types fail loudly with the offending name.
/// </summary>
public sealed class FleetSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stable forever: stored in the journal's identifier column.</summary>
    public const int Id = 7301;

    public static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        FleetManifests.ByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"FleetSerializer has no manifest for {o.GetType().FullName}; add it to FleetManifests");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), JsonOptions);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!FleetManifests.ByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"FleetSerializer does not know manifest '{manifest}' (written by a newer version?)");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, JsonOptions)
                   ?? throw new SerializationException($"FleetSerializer read null for manifest '{manifest}'");
        }
        catch (JsonException ex)
        {
            throw new SerializationException($"FleetSerializer could not read manifest '{manifest}' ({type.Name}): {ex.Message}", ex);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(DeviceEventPolymorphism);
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new SemanticVersionJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    // DeviceEvent is the Protocol's abstract record: its subtypes travel inside DeviceEventReceived. The discriminators
    // are ours (the Protocol stays free of serializer attributes).
    private static void DeviceEventPolymorphism(JsonTypeInfo info)
    {
        if (info.Type != typeof(DeviceEvent))
            return;
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "$e",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            DerivedTypes =
            {
                new JsonDerivedType(typeof(StateReported), "state"),
                new JsonDerivedType(typeof(CommandAcknowledged), "ack"),
                new JsonDerivedType(typeof(DownloadProgress), "progress"),
                new JsonDerivedType(typeof(ImageStaged), "staged"),
                new JsonDerivedType(typeof(StagingFailed), "staging-failed"),
                new JsonDerivedType(typeof(DeviceBooted), "booted"),
                new JsonDerivedType(typeof(HealthReported), "health"),
                new JsonDerivedType(typeof(ImageCommitted), "committed"),
                new JsonDerivedType(typeof(RolledBackOnDevice), "rolled-back"),
            },
        };
    }
}
