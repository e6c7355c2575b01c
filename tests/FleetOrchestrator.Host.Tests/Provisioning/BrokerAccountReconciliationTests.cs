using FleetOrchestrator.Host.Provisioning;

namespace FleetOrchestrator.Host.Tests.Provisioning;

public sealed class BrokerAccountReconciliationTests
{
    [Fact]
    public void Accounts_of_unknown_devices_go_and_provisioned_devices_without_one_are_named()
    {
        var plan = BrokerAccountReconciliation.Plan(
            ["dev-b", "dev-stale", "dev-a"], new HashSet<string>(["dev-a", "dev-b", "dev-lost"]));

        Assert.Equal(["dev-stale"], plan.ToRemove);
        Assert.Equal(["dev-lost"], plan.Missing);
    }

    [Fact]
    public void A_broker_in_step_needs_nothing()
    {
        var plan = BrokerAccountReconciliation.Plan(["dev-a"], new HashSet<string>(["dev-a"]));

        Assert.Empty(plan.ToRemove);
        Assert.Empty(plan.Missing);
    }
}
