using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>The hardware-target rule (PROTOCOL.md §6.3), shared by state reports and the server's upload check.</summary>
public class HardwareTargetRuleTests
{
    [Theory]
    [InlineData("stm32l072cz")]
    [InlineData("stm32l073rz")]
    [InlineData("board_rev-2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Lower_case_tokens_of_at_most_32_characters_are_targets(string target) =>
        Assert.Null(WireIdentifiers.DescribeHardwareTargetProblem(target));

    [Theory]
    [InlineData("", "1..32")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "got 33")]
    [InlineData("../../x", "'.'")]
    [InlineData("stm32\"l072", "'\"'")]
    [InlineData("STM32L072CZ", "'S'")]
    [InlineData("with space", "' '")]
    [InlineData("tab\there", "\\u0009")]
    public void Anything_else_is_refused_saying_why(string target, string expected) =>
        Assert.Contains(expected, WireIdentifiers.DescribeHardwareTargetProblem(target));
}
