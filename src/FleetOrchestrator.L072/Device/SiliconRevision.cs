namespace FleetOrchestrator.L072.Device;

/// <summary>DBGMCU REV_ID of device 0x447: 0x1000 = A, 0x2000 = B, 0x2008 = Z (reference §1).</summary>
public enum SiliconRevision { A, B, Z }
