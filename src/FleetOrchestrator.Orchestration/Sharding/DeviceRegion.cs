namespace FleetOrchestrator.Orchestration.Sharding;

/// <summary>Registry key of the device shard region: <c>registry.Get&lt;DeviceRegion&gt;()</c> / <c>IRequiredActor&lt;DeviceRegion&gt;</c>.</summary>
public sealed class DeviceRegion
{
    /// <summary>Sharding type name; part of the remember-entities journal's persistence ids, so never change it.</summary>
    public const string TypeName = "device";

    private DeviceRegion() { }
}
