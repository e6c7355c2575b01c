using System.Text;
using System.Text.Json.Nodes;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>
/// Tens of thousands of hostile payloads derived from valid ones. Whatever arrives, every decoder returns a result
/// (never throws), an error message is log-safe, and anything accepted is valid and re-encodes to a fixpoint.
/// Deterministic: fixed seeds, so a failure reproduces.
/// </summary>
public class DecoderFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        .. Samples.Commands().Select(c => ProtocolCodec.Encode(c)),
        .. Samples.Events().Select(e => ProtocolCodec.Encode(e)),
        ProtocolCodec.Encode(new DevicePresence(false)),
    ];

    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e308", "-1e308", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", new string('9', 5000), "\"\"", "\"0x\"", "\"0xFFFFFFFFF\"", "\"1.0.0\"", "\"999999999.999999999.999999999\"",
        "\"9999999999.0.0\"", "\"\\u0000\"", "\"é\"", "\"" + new string('a', 7000) + "\"", "{}", "[]", "[[[[[[[[[[]]]]]]]]]]",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}", "\"trial\"", "\"boot-guard\"", "2", "3", "98304", "98305", "\"https://h/x\"",
    ];

    private const string Punctuation = "{}[]\",:\\0-e.x";

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1);
        for (int i = 0; i < 5000; i++)
        {
            var payload = new byte[random.Next(0, 400)];
            random.NextBytes(payload);
            if (i % 2 == 0 && payload.Length > 0) payload[0] = (byte)'{';
            AssertSafe(payload);
        }
    }

    [Fact]
    public void Every_truncation_of_every_valid_payload_is_refused_cleanly()
    {
        foreach (var seed in Seeds)
            for (int length = 0; length < seed.Length; length++)
            {
                var result = AssertSafe(seed.AsSpan(0, length).ToArray());
                Assert.False(result, $"a truncation to {length} bytes of {Encoding.UTF8.GetString(seed)} was accepted");
            }
    }

    [Fact]
    public void Byte_flips_insertions_and_deletions_never_throw()
    {
        var random = new Random(2);
        for (int i = 0; i < 8000; i++)
        {
            var bytes = Seeds[random.Next(Seeds.Length)].ToList();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits && bytes.Count > 0; e++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]); break;
                    case 2: bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at)); break;
                    case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 16), bytes.Count - at))); break;
                }
            }
            AssertSafe([.. bytes]);
        }
    }

    [Fact]
    public void Type_swaps_and_extreme_values_in_every_field_never_throw()
    {
        int accepted = 0, total = 0;
        foreach (var seed in Seeds)
        {
            var paths = FieldPaths(JsonNode.Parse(seed)!, "").ToList();
            foreach (var path in paths)
                foreach (var value in HostileValues)
                {
                    var node = JsonNode.Parse(seed)!;
                    Replace(node, path, JsonNode.Parse(value));
                    total++;
                    if (AssertSafe(Encoding.UTF8.GetBytes(node.ToJsonString()))) accepted++;
                }
            // Removing each field in turn.
            foreach (var path in paths)
            {
                var node = JsonNode.Parse(seed)!;
                Remove(node, path);
                total++;
                if (AssertSafe(Encoding.UTF8.GetBytes(node.ToJsonString()))) accepted++;
            }
        }
        Assert.True(total > 2000, $"only {total} mutations");
        // Most swaps must be refused; a few are legitimately fine (e.g. an optional field set to null, 2 for a bank).
        Assert.True(accepted < total / 4, $"{accepted} of {total} type swaps were accepted");
    }

    [Fact]
    public void Deep_nesting_is_refused_without_stack_trouble()
    {
        foreach (int depth in new[] { 7, 8, 9, 64, 1000, 4000 })
        {
            string arrays = new string('[', depth) + new string(']', depth);
            string objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            AssertSafe(Encoding.UTF8.GetBytes(arrays));
            AssertSafe(Encoding.UTF8.GetBytes(objects));
            AssertSafe(Encoding.UTF8.GetBytes("{\"schema\":1,\"type\":\"health\",\"seq\":1,\"healthy\":true,\"x\":" + arrays + "}"));
        }
    }

    /// <summary>Runs every decoder on the payload; returns whether any of them accepted it.</summary>
    private static bool AssertSafe(byte[] payload)
    {
        bool anyAccepted = false;
        anyAccepted |= Check(ProtocolCodec.DecodeCommand(payload), m => ProtocolCodec.DecodeCommand(ProtocolCodec.Encode(m)));
        anyAccepted |= Check(ProtocolCodec.DecodeEvent(payload), m => ProtocolCodec.DecodeEvent(ProtocolCodec.Encode(m)));
        anyAccepted |= Check(ProtocolCodec.DecodePresence(payload), m => ProtocolCodec.DecodePresence(ProtocolCodec.Encode(m)));
        var segmented = CodecRoundTripTests.Segmented(payload, 3);
        Assert.Equal(ProtocolCodec.DecodeEvent(payload).IsSuccess, ProtocolCodec.DecodeEvent(segmented).IsSuccess);
        Assert.Equal(ProtocolCodec.DecodeCommand(payload).IsSuccess, ProtocolCodec.DecodeCommand(segmented).IsSuccess);
        if (ProtocolCodec.TryReadCommandId(payload, out var id)) Assert.False(string.IsNullOrEmpty(id));
        return anyAccepted;
    }

    private static bool Check<T>(DecodeResult<T> result, Func<T, DecodeResult<T>> reencode) where T : class
    {
        if (!result.IsSuccess)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
            Assert.DoesNotContain(result.Error.Message, c => char.IsControl(c));
            return false;
        }
        var again = reencode(result.Value);
        Assert.True(again.IsSuccess, again.Error?.Message);
        Assert.Equal(result.Value, again.Value);
        return true;
    }

    private static IEnumerable<string> FieldPaths(JsonNode node, string prefix)
    {
        if (node is not JsonObject obj) yield break;
        foreach (var (name, value) in obj)
        {
            string path = prefix.Length == 0 ? name : $"{prefix}/{name}";
            yield return path;
            if (value is not null)
                foreach (var inner in FieldPaths(value, path)) yield return inner;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        var parent = parts[..^1].Aggregate(root, (n, p) => n[p]!);
        parent[parts[^1]] = value;
    }

    private static void Remove(JsonNode root, string path)
    {
        var parts = path.Split('/');
        var parent = (JsonObject)parts[..^1].Aggregate(root, (n, p) => n[p]!);
        parent.Remove(parts[^1]);
    }
}
