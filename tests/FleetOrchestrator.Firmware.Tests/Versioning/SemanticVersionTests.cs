using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Firmware.Tests.Versioning;

public class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.0", 0, 0, 0)]
    [InlineData("1.4.0", 1, 4, 0)]
    [InlineData("10.20.30", 10, 20, 30)]
    [InlineData(" 2.0.1 ", 2, 0, 1)]
    [InlineData("999999999.0.1", 999_999_999, 0, 1)]
    public void Parses_major_minor_patch(string text, int major, int minor, int patch) =>
        Assert.Equal(new SemanticVersion(major, minor, patch), SemanticVersion.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.x")]
    [InlineData("01.2.3")]
    [InlineData("1..3")]
    [InlineData("-1.2.3")]
    [InlineData("1.2.3-beta")]
    [InlineData("1000000000.0.0")]
    [InlineData("١.٢.٣")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));
        Assert.Contains("major.minor.patch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_null() => Assert.False(SemanticVersion.TryParse(null, out _));

    [Theory]
    [InlineData("1.0.0", "2.0.0")]
    [InlineData("1.9.9", "1.10.0")]
    [InlineData("1.2.9", "1.2.10")]
    [InlineData("0.0.1", "0.1.0")]
    public void Compares_numerically_not_lexically(string lower, string higher)
    {
        var a = SemanticVersion.Parse(lower);
        var b = SemanticVersion.Parse(higher);
        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= b && b >= a);
        Assert.False(a >= b);
        Assert.True(a.CompareTo(b) < 0 && b.CompareTo(a) > 0);
    }

    [Fact]
    public void Equal_versions_compare_equal_and_round_trip_through_text()
    {
        var v = SemanticVersion.Parse("3.14.15");
        Assert.Equal(0, v.CompareTo(new SemanticVersion(3, 14, 15)));
        Assert.True(v <= new SemanticVersion(3, 14, 15) && v >= new SemanticVersion(3, 14, 15));
        Assert.Equal("3.14.15", v.ToString());
        Assert.Equal(v, SemanticVersion.Parse(v.ToString()));
    }
}
