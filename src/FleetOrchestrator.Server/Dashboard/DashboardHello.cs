namespace FleetOrchestrator.Server.Dashboard;

/// <summary>The first message of <c>GET /api/events</c> (event <c>hello</c>): the fleet's counts now, and the
/// <see cref="DashboardUpdate.Seq"/> the next update will carry.</summary>
public sealed record DashboardHello(long NextSeq, FleetCounts Fleet, DashboardSettings Settings);
