namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// `fleet simulate --measure-recovery`: after the run, the whole orchestrator stops and a new one starts on the same
/// database; every device's saga is then asked for its view, which recovers it from the journal (snapshot plus the
/// events after it). <see cref="RestartSeconds"/> is stop to started (the cluster up, the broker listening);
/// <see cref="RecoverySeconds"/> from started until every saga answered.
/// </summary>
/// <param name="Sagas">Sagas asked: one per device.</param>
/// <param name="AskedAgain">Sagas that did not answer their first ask (30 s) and were asked again: slow, not lost.
/// </param>
/// <param name="Unanswered">Sagas that had not answered 10 minutes after the restart.</param>
/// <param name="Changed">Sagas whose recovered view (running version and bank, outcome) differs from the one they
/// gave before the restart.</param>
/// <param name="WorkingSetBytes">The process's working set once every saga answered.</param>
public sealed record RecoveryReport(
    int Sagas,
    double RestartSeconds,
    double RecoverySeconds,
    double SagasPerSecond,
    int AskedAgain,
    int Unanswered,
    int Changed,
    long WorkingSetBytes)
{
    public bool Passed => Unanswered == 0 && Changed == 0;
}
