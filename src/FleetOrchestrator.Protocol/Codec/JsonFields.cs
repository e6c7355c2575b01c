using System.Globalization;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// Typed, validating access to the properties of one JSON object. Each getter either returns a value of the right
/// shape or throws <see cref="ProtocolViolation"/> naming the field and the rule. Unknown properties are ignored
/// (forward compatibility within a schema); a known property given twice is an error.
/// </summary>
internal readonly struct JsonFields
{
    // Names are read once per object: comparing short strings is far cheaper than JsonProperty.NameEquals(string),
    // which transcodes the candidate name to UTF-8 on every call.
    private readonly string[] _names;
    private readonly JsonElement[] _values;
    private readonly string? _path;

    public JsonFields(JsonElement obj, string? path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw Violation(ProtocolErrorKind.NotAnObject, path is null ? "payload must be a JSON object" : $"field '{path}' must be a JSON object", path);
        int count = obj.GetPropertyCount();
        if (count > WireLimits.MaxPropertiesPerObject)
            throw Violation(ProtocolErrorKind.TooManyFields, $"{(path is null ? "payload" : $"field '{path}'")} has more than {WireLimits.MaxPropertiesPerObject} properties", path);
        _names = new string[count];
        _values = new JsonElement[count];
        int i = 0;
        foreach (var p in obj.EnumerateObject())
        {
            _names[i] = p.Name;
            _values[i++] = p.Value;
        }
        _path = path;
    }

    public string PathOf(string name) => _path is null ? name : $"{_path}.{name}";

    /// <summary>The property's value, or false when it is absent or JSON null.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        bool found = false;
        for (int i = 0; i < _names.Length; i++)
        {
            if (!string.Equals(_names[i], name, StringComparison.Ordinal)) continue;
            if (found) throw Violation(ProtocolErrorKind.DuplicateField, $"field '{PathOf(name)}' appears more than once", PathOf(name));
            found = true;
            value = _values[i];
        }
        return found && value.ValueKind != JsonValueKind.Null;
    }

    public JsonElement Required(string name) =>
        TryGet(name, out var v) ? v : throw new ProtocolViolation(MessageRules.Missing(PathOf(name)));

    public string RequiredString(string name) => AsString(Required(name), name);

    public string? OptionalString(string name) => TryGet(name, out var v) ? AsString(v, name) : null;

    public int RequiredInt(string name) => AsInt(Required(name), name);

    public int OptionalInt(string name, int absent) => TryGet(name, out var v) ? AsInt(v, name) : absent;

    public long RequiredLong(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
            throw Invalid(name, $"must be an integer (0..{WireLimits.MaxSequence}), got {Describe(v)}");
        return n;
    }

    public bool RequiredBool(string name)
    {
        var v = Required(name);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, $"must be true or false, got {Describe(v)}"),
        };
    }

    public SemanticVersion RequiredVersion(string name) => AsVersion(Required(name), name);

    public SemanticVersion? OptionalVersion(string name) => TryGet(name, out var v) ? AsVersion(v, name) : null;

    public uint RequiredCrc(string name)
    {
        var v = Required(name);
        string? text = v.ValueKind == JsonValueKind.String ? AsString(v, name) : null;
        if (text is { Length: 10 } && text[0] == '0' && text[1] == 'x'
            && uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint crc))
            return crc;
        throw Invalid(name, $"must be a hex string like 0x1A2B3C4D, got {Describe(v)}");
    }

    public BankId RequiredBank(string name)
    {
        var v = Required(name);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n is 1 or 2) return (BankId)n;
        throw Invalid(name, $"must be the bank number 1 or 2, got {Describe(v)}");
    }

    public ImageState RequiredImageState(string name)
    {
        var v = Required(name);
        if (v.ValueKind == JsonValueKind.String && WireNames.TryParseImageState(AsString(v, name), out var s)) return s;
        throw Invalid(name, $"must be one of {string.Join(" | ", WireNames.ImageStates)}, got {Describe(v)}");
    }

    public TrialHealth? OptionalTrialHealth(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.String && WireNames.TryParseTrialHealth(AsString(v, name), out var h))
            return h;
        throw Invalid(name, $"must be one of {string.Join(" | ", WireNames.TrialHealths)}, got {Describe(v)}");
    }

    public ResetCause RequiredResetCause(string name)
    {
        var v = Required(name);
        if (v.ValueKind == JsonValueKind.String && WireNames.TryParseResetCause(AsString(v, name), out var c)) return c;
        throw Invalid(name, $"must be one of {string.Join(" | ", WireNames.ResetCauses)}, got {Describe(v)}");
    }

    public JsonFields RequiredObject(string name) => new(Required(name), PathOf(name));

    private string AsString(JsonElement v, string name)
    {
        if (v.ValueKind != JsonValueKind.String) throw Invalid(name, $"must be a string, got {Describe(v)}");
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid(name, "must be valid Unicode text (UTF-8, no lone surrogate escapes)");
        }
    }

    private int AsInt(JsonElement v, string name)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n))
            throw Invalid(name, $"must be an integer, got {Describe(v)}");
        return n;
    }

    private SemanticVersion AsVersion(JsonElement v, string name)
    {
        string? text = v.ValueKind == JsonValueKind.String ? AsString(v, name) : null;
        // SemanticVersion.TryParse forgives surrounding whitespace; the wire has one spelling per version.
        if (text is not null && text.Length <= WireLimits.MaxVersionTextLength && text.Trim().Length == text.Length
            && SemanticVersion.TryParse(text, out var version))
            return version;
        throw Invalid(name, $"must be a version string like \"1.4.0\" (major.minor.patch, no leading zeros), got {Describe(v)}");
    }

    private ProtocolViolation Invalid(string name, string rule) => new(MessageRules.Invalid(PathOf(name), rule));

    private static ProtocolViolation Violation(ProtocolErrorKind kind, string message, string? field) => new(new ProtocolError(kind, message, field));

    /// <summary>A short, log-safe rendering of what was actually received.</summary>
    internal static string Describe(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                try { return "\"" + MessageRules.Truncate(v.GetString()!) + "\""; }
                catch (InvalidOperationException) { return "a string that is not valid UTF-8"; }
            case JsonValueKind.Number:
                string raw = v.GetRawText();
                return raw.Length <= 24 ? raw : $"a {raw.Length}-digit number";
            case JsonValueKind.True: return "true";
            case JsonValueKind.False: return "false";
            case JsonValueKind.Object: return "an object";
            case JsonValueKind.Array: return "an array";
            default: return "null";
        }
    }
}
