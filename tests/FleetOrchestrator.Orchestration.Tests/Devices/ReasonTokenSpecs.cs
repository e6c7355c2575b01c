using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>The saga's human reasons become wire reason tokens (kebab-case, at most 32 characters).</summary>
public sealed class ReasonTokenSpecs
{
    [Theory]
    [InlineData("health: sensor bus dead", "health")]
    [InlineData("silent-revert: booted 1.0.0 (OptionByteLoad) instead of 1.1.0", "silent-revert")]
    [InlineData("operator: bad batch", "operator")]
    [InlineData("Boot_Deadline", "boot-deadline")]
    [InlineData("a-reason-that-is-much-longer-than-thirty-two-characters", "a-reason-that-is-much-longer-tha")]
    [InlineData("", "rollback")]
    [InlineData(null, "rollback")]
    [InlineData(":::", "rollback")]
    public void A_reason_becomes_its_leading_token(string? reason, string token)
    {
        var actual = ReasonTokens.ToToken(reason);

        Assert.Equal(token, actual);
        Assert.Null(WireIdentifiers.DescribeReasonProblem(actual));
    }
}
