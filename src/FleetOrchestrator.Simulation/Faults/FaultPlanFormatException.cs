namespace FleetOrchestrator.Simulation.Faults;

/// <summary>A fault plan that cannot be read; the message names the entry (by position and text) and the reason.</summary>
public sealed class FaultPlanFormatException : FormatException
{
    public FaultPlanFormatException(string message) : base(message) { }

    public FaultPlanFormatException() : base("malformed fault plan") { }

    public FaultPlanFormatException(string message, Exception innerException) : base(message, innerException) { }
}
