using FleetOrchestrator.L072.Agent;

namespace FleetOrchestrator.L072.Sweep;

public enum ProcedureResult
{
    /// <summary>Runs the new image, committed, and still does after one more power cycle.</summary>
    Completed,
    /// <summary>The new image failed its trial (boot guard revert, or rollback after a failed health check) and the old one, which runs (and still does after one more power cycle).</summary>
    RolledBack,
    /// <summary>After some power-up no image ran (ROM waiting for host, lockup, crash loop, hang).</summary>
    Bricked,
    /// <summary>Runs a valid image but the procedure did not finish on the new one (rolled back, step limit, ...).</summary>
    NotCompleted,
}

/// <summary>How one run of the update procedure ended, with the device's last report.</summary>
public sealed record ProcedureOutcome(ProcedureResult Result, string Detail, AgentReport FinalReport, int Steps, int PowerCuts);
