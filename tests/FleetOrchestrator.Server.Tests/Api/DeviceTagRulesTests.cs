using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Server.Tests.Api;

/// <summary>What a device's tags may be; each problem names its tag.</summary>
public sealed class DeviceTagRulesTests
{
    [Fact]
    public void Ordinary_tags_pass()
    {
        var tags = new Dictionary<string, string?>
        {
            ["region"] = "eu", ["cell"] = "fra-1", ["tz"] = "Europe/Berlin", ["customer.id"] = "ACME_42",
        };
        Assert.Empty(DeviceTagRules.Problems(tags));
    }

    [Theory]
    [InlineData("bad name", "x", "tags.bad name: a tag name")]
    [InlineData("", "x", "tags.: a tag name")]
    [InlineData("cell", "", "tags.cell: the value is empty")]
    [InlineData("cell", null, "tags.cell: the value is empty")]
    [InlineData("cell", "a\nb", "tags.cell: the value contains a control character")]
    public void A_bad_tag_is_named(string name, string? value, string expected)
    {
        var problem = Assert.Single(DeviceTagRules.Problems(new Dictionary<string, string?> { [name] = value }));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_values_and_counts_have_limits()
    {
        var longName = new string('n', DeviceTagRules.MaxNameLength + 1);
        var longValue = new string('v', DeviceTagRules.MaxValueLength + 1);
        Assert.Single(DeviceTagRules.Problems(new Dictionary<string, string?> { [longName] = "x" }));
        Assert.Single(DeviceTagRules.Problems(new Dictionary<string, string?> { ["cell"] = longValue }));
        Assert.Empty(DeviceTagRules.Problems(new Dictionary<string, string?>
        {
            [new string('n', DeviceTagRules.MaxNameLength)] = new string('v', DeviceTagRules.MaxValueLength),
        }));
        var many = Enumerable.Range(0, DeviceTagRules.MaxTags + 1).ToDictionary(i => $"t{i}", _ => (string?)"x");
        Assert.Contains("at most 32", Assert.Single(DeviceTagRules.Problems(many)));
    }
}
