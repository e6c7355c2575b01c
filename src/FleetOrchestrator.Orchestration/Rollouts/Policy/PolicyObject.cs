using System.Globalization;
using System.Text.Json;

namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// Typed access to one JSON object of a submitted policy that collects every problem (by JSON path) instead of
/// stopping at the first: an operator fixes a policy in one round. Getters return null for an absent, null or wrong
/// value; <see cref="RejectUnknown"/> reports every property no getter asked for (a misspelt field must not be
/// silently ignored in a document that commands a fleet).
/// </summary>
internal sealed class PolicyObject
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<PolicyProblem> _problems;

    private PolicyObject(string path, List<PolicyProblem> problems)
    {
        Path = path;
        _problems = problems;
    }

    public string Path { get; }

    /// <summary>The object at <paramref name="path"/>, or null (with a problem) when it is not an object.</summary>
    public static PolicyObject? From(JsonElement element, string path, List<PolicyProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new PolicyProblem(path, $"must be a JSON object, not {Describe(element)}"));
            return null;
        }
        var obj = new PolicyObject(path, problems);
        foreach (var property in element.EnumerateObject())
        {
            if (!obj._properties.TryAdd(property.Name, property.Value))
                problems.Add(new PolicyProblem(obj.PathOf(property.Name), "is given twice"));
        }
        return obj;
    }

    public string PathOf(string name) => $"{Path}.{name}";

    public void Problem(string name, string message) => _problems.Add(new PolicyProblem(PathOf(name), message));

    /// <summary>The property's value when present and not null.</summary>
    public JsonElement? Value(string name)
    {
        _read.Add(name);
        return _properties.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string? String(string name, bool required, int maxLength)
    {
        switch (Value(name))
        {
            case null:
                if (required) Problem(name, "is required");
                return null;
            case { ValueKind: JsonValueKind.String } v:
                var text = v.GetString()!;
                if (text.Trim().Length == 0) Problem(name, "must not be empty");
                else if (text.Length > maxLength)
                    Problem(name, $"must be at most {maxLength} characters (it has {text.Length})");
                else return text;
                return null;
            case { } other:
                Problem(name, $"must be a string, not {Describe(other)}");
                return null;
        }
    }

    public int? Int(string name, int min, int max)
    {
        if (Value(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            Problem(name, $"must be a whole number, not {Describe(v)}");
            return null;
        }
        if (n < min || n > max)
        {
            Problem(name, $"must be between {min} and {max} (it is {n})");
            return null;
        }
        return (int)n;
    }

    /// <summary>A number in [min, max]; <paramref name="minExclusive"/> excludes min itself.</summary>
    public double? Number(string name, double min, double max, bool minExclusive = false)
    {
        if (Value(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number)
        {
            Problem(name, $"must be a number, not {Describe(v)}");
            return null;
        }
        var n = v.GetDouble();
        if (n < min || n > max || (minExclusive && n == min))
        {
            var low = minExclusive ? $"above {Format(min)}" : $"at least {Format(min)}";
            Problem(name, $"must be {low} and at most {Format(max)} (it is {Format(n)})");
            return null;
        }
        return n;
    }

    public bool? Bool(string name)
    {
        if (Value(name) is not { } v) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Problem(name, $"must be true or false, not {Describe(v)}");
        return null;
    }

    /// <summary>A duration written "hh:mm:ss" (or "d.hh:mm:ss"), between zero and <paramref name="max"/>.</summary>
    public TimeSpan? Duration(string name, TimeSpan max)
    {
        if (String(name, required: false, maxLength: 20) is not { } text) return null;
        if (!TimeSpan.TryParseExact(text, ["c"], CultureInfo.InvariantCulture, out var span) || span < TimeSpan.Zero)
        {
            Problem(name, $"must be a duration \"hh:mm:ss\" (or \"d.hh:mm:ss\"), not \"{text}\"");
            return null;
        }
        if (span > max)
        {
            Problem(name, $"must be at most {max:c} (it is {span:c})");
            return null;
        }
        return span;
    }

    /// <summary>A time of day written "HH:mm" (24-hour).</summary>
    public TimeOnly? TimeOfDay(string name)
    {
        if (String(name, required: false, maxLength: 10) is not { } text) return null;
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        Problem(name, $"must be a time of day \"HH:mm\" (00:00 to 23:59), not \"{text}\"");
        return null;
    }

    /// <summary>One of <paramref name="names"/> (matched exactly, as documented), mapped to its value.</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> names) where T : struct
    {
        if (String(name, required: false, maxLength: 40) is not { } text) return null;
        if (names.TryGetValue(text, out var value)) return value;
        Problem(name, $"must be one of {string.Join(", ", names.Keys.Select(k => $"\"{k}\""))}, not \"{text}\"");
        return null;
    }

    /// <summary>
    /// An array of strings, each at most <paramref name="maxLength"/> characters; bad items are named by index.
    /// </summary>
    public IReadOnlyList<string>? Strings(string name, int maxItems, int maxLength)
    {
        if (Array(name, maxItems) is not { } items) return null;
        var values = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{PathOf(name)}[{i}]";
            if (items[i].ValueKind != JsonValueKind.String)
                _problems.Add(new PolicyProblem(path, $"must be a string, not {Describe(items[i])}"));
            else if (items[i].GetString() is not { Length: > 0 } s || s.Length > maxLength)
                _problems.Add(new PolicyProblem(path, $"must be 1 to {maxLength} characters"));
            else values.Add(s);
        }
        return values;
    }

    public IReadOnlyList<JsonElement>? Array(string name, int maxItems)
    {
        if (Value(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            Problem(name, $"must be an array, not {Describe(v)}");
            return null;
        }
        var count = v.GetArrayLength();
        if (count > maxItems)
        {
            Problem(name, $"must have at most {maxItems} items (it has {count})");
            return null;
        }
        return v.EnumerateArray().ToList();
    }

    /// <summary>The nested object, or null when absent or null (a problem when it is something else).</summary>
    public PolicyObject? Object(string name) => Value(name) is { } v ? From(v, PathOf(name), _problems) : null;

    /// <summary>Reports every property that no getter read.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _properties.Keys.Where(n => !_read.Contains(n)))
            Problem(name, "is not a field of a rollout policy (misspelt?)");
    }

    private static string Format(double n) => n.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
