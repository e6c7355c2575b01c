namespace FleetOrchestrator.Simulation.Faults;

/// <summary>The faults a simulation run can inject, each with its CLI name (see <see cref="FaultNames"/>).</summary>
public enum FaultKind
{
    /// <summary>The device's target image crash-loops (the fleet runner picks that artifact for it).</summary>
    CrashLoop,
    /// <summary>One downloaded chunk gets one byte flipped, once: the CRC over the bank mismatches; the retry succeeds.</summary>
    CorruptTransfer,
    /// <summary>After acknowledging authorizeSwap the device stays offline for a while before it comes back.</summary>
    OfflineDuringSwap,
    /// <summary>Every event is published twice (as a QoS 1 redelivery would).</summary>
    DuplicateMessages,
    /// <summary>Occasionally two consecutive events are published in swapped order.</summary>
    ReorderedMessages,
    /// <summary>Power is cut before one flash/EEPROM/option-byte operation of the update, then restored.</summary>
    PowerCut,
    /// <summary>Run-level flag: the fleet runner restarts the orchestrator mid-rollout.</summary>
    OrchestratorRestart,
    /// <summary>Run-level flag: the fleet runner restarts the MQTT broker mid-rollout.</summary>
    BrokerRestart,
}
