namespace FleetOrchestrator.Server.Api;

/// <summary>
/// What a device's tags may be (the operator sets them; rollouts target by them and spread waves across
/// <c>cell</c>): at most <see cref="MaxTags"/> names of 1-64 characters of <c>[A-Za-z0-9_.-]</c>, each with a value of
/// 1-128 characters without control characters.
/// </summary>
public static class DeviceTagRules
{
    public const int MaxTags = 32;
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 128;

    /// <summary>Every problem of <paramref name="tags"/>, each naming the tag (<c>tags.region</c>); empty when
    /// none.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string?> tags)
    {
        var problems = new List<string>();
        if (tags.Count > MaxTags) problems.Add($"tags: {tags.Count} tags given; a device has at most {MaxTags}");
        foreach (var (name, value) in tags)
        {
            if (name.Length is 0 or > MaxNameLength
                || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
                problems.Add($"tags.{name}: a tag name is 1-{MaxNameLength} characters of A-Z a-z 0-9 _ . -");
            else if (string.IsNullOrEmpty(value))
                problems.Add($"tags.{name}: the value is empty (remove the tag instead)");
            else if (value.Length > MaxValueLength)
                problems.Add($"tags.{name}: the value is longer than {MaxValueLength} characters");
            else if (value.Any(char.IsControl))
                problems.Add($"tags.{name}: the value contains a control character");
        }
        return problems;
    }
}
