namespace FleetOrchestrator.L072.Device;

/// <summary>Read-out protection decoded from RDPROT: 0xAA = level 0, 0xCC = level 2, anything else = level 1.</summary>
public enum RdpLevel { Level0 = 0, Level1 = 1, Level2 = 2 }
