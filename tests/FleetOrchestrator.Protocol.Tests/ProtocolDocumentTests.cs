using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>
/// PROTOCOL.md is normative, so its examples are tested: every ```json block must decode with the decoder its topic
/// line names, every ```json rejected block must fail with exactly the error its line quotes, and the figures the
/// document states (CRC check values, the example signature) must be true.
/// </summary>
public class ProtocolDocumentTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PROTOCOL.md"));

    private sealed record Example(string Info, string Json, string Caption, int Line);

    private static List<Example> Examples()
    {
        var lines = Document.Split('\n');
        var examples = new List<Example>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```json", StringComparison.Ordinal)) continue;
            int end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            Assert.True(end > i, $"unterminated json block at line {i + 1}");
            string caption = i > 0 ? lines[i - 1] : "";
            examples.Add(new Example(lines[i][3..].Trim(), string.Join('\n', lines[(i + 1)..end]), caption, i + 1));
            i = end;
        }
        return examples;
    }

    private static DeviceTopicKind KindOf(Example e)
    {
        var topic = Regex.Match(e.Caption, "`(fleet/[^`]+)`");
        Assert.True(topic.Success, $"json block at line {e.Line} has no topic line above it");
        Assert.True(DeviceTopics.TryParse(topic.Groups[1].Value, out _, out var kind, out var error), $"line {e.Line}: {error}");
        return kind;
    }

    private static ProtocolError? Decode(DeviceTopicKind kind, byte[] payload, out object? message)
    {
        message = null;
        switch (kind)
        {
            case DeviceTopicKind.Commands:
                var c = ProtocolCodec.DecodeCommand(payload);
                message = c.Value;
                return c.Error;
            case DeviceTopicKind.Status:
                var p = ProtocolCodec.DecodePresence(payload);
                message = p.Value;
                return p.Error;
            default:
                var e = ProtocolCodec.DecodeEvent(payload);
                message = e.Value;
                return e.Error;
        }
    }

    [Fact]
    public void The_document_has_the_example_sequences()
    {
        var examples = Examples();
        Assert.True(examples.Count(e => e.Info == "json") >= 30, "the successful update and both rollbacks need at least 30 messages");
        Assert.True(examples.Count(e => e.Info == "json rejected") >= 5);
        var types = examples.Where(e => e.Info == "json")
            .Select(e => JsonDocument.Parse(e.Json).RootElement.GetProperty("type").GetString()).ToHashSet();
        foreach (var type in WireNames.CommandTypes.Concat(WireNames.EventTypes).Append(WireNames.Presence))
            Assert.Contains(type, types);
    }

    [Fact]
    public void Every_json_example_decodes_on_its_topic_and_reencodes_byte_for_byte()
    {
        foreach (var example in Examples().Where(e => e.Info == "json"))
        {
            var kind = KindOf(example);
            byte[] payload = Encoding.UTF8.GetBytes(example.Json);
            var error = Decode(kind, payload, out var message);
            Assert.True(error is null, $"PROTOCOL.md line {example.Line}: {error?.Message}");

            // The doc shows exactly what the reference encoder writes.
            byte[] again = message switch
            {
                DeviceCommand c => ProtocolCodec.Encode(c),
                DeviceEvent e => ProtocolCodec.Encode(e),
                DevicePresence p => ProtocolCodec.Encode(p),
                _ => throw new InvalidOperationException("unexpected message"),
            };
            Assert.Equal(example.Json, Encoding.UTF8.GetString(again));
            // A state report without commandId is what the retained state topic carries, and only there.
            if (message is StateReported s) Assert.Equal(s.CommandId is null ? DeviceTopicKind.State : DeviceTopicKind.Events, kind);
        }
    }

    [Fact]
    public void Every_rejected_example_fails_with_the_quoted_error()
    {
        foreach (var example in Examples().Where(e => e.Info == "json rejected"))
        {
            var expected = Regex.Match(example.Caption, "rejected: `(.+)`$");
            Assert.True(expected.Success, $"rejected block at line {example.Line} quotes no error");
            var error = Decode(KindOf(example), Encoding.UTF8.GetBytes(example.Json), out _);
            Assert.NotNull(error);
            Assert.Equal(expected.Groups[1].Value, error.Message);
        }
    }

    [Fact]
    public void The_example_manifest_signature_verifies_with_the_documented_public_key()
    {
        var pem = Regex.Match(Document, "-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----");
        Assert.True(pem.Success);
        using var key = ECDsa.Create();
        key.ImportFromPem(pem.Value);
        string keyId = "p256-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..8]);

        var downloads = Examples().Where(e => e.Info == "json")
            .Select(e => ProtocolCodec.DecodeCommand(Encoding.UTF8.GetBytes(e.Json)).Value).OfType<StartDownload>().ToList();
        Assert.NotEmpty(downloads);
        foreach (var download in downloads)
        {
            Assert.Equal(keyId, download.Manifest.KeyId);
            Assert.True(download.Manifest.TryDecode(out var manifest, out var signature));
            Assert.True(key.VerifyData(manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

            // The decoded manifest is the one the document prints, with the documented field order.
            string text = Encoding.UTF8.GetString(manifest);
            Assert.Contains(text, Document, StringComparison.Ordinal);
            var names = JsonDocument.Parse(manifest).RootElement.EnumerateObject().Select(p => p.Name);
            Assert.Equal(["imageSha256", "size", "crc32", "version", "hardwareTarget", "minimumBootloader", "downgradeAllowed", "keyId"], names);
            Assert.Contains($"\"keyId\":\"{keyId}\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Staged_crc_and_size_in_the_examples_match_the_manifest()
    {
        var examples = Examples().Where(e => e.Info == "json").ToList();
        var manifest = examples.Select(e => ProtocolCodec.DecodeCommand(Encoding.UTF8.GetBytes(e.Json)).Value).OfType<StartDownload>().First();
        Assert.True(manifest.Manifest.TryDecode(out var bytes, out _));
        var m = JsonDocument.Parse(bytes).RootElement;
        foreach (var staged in examples.Select(e => ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(e.Json)).Value).OfType<ImageStaged>())
        {
            Assert.Equal(m.GetProperty("crc32").GetString(), $"0x{staged.Crc:X8}");
            Assert.Equal(m.GetProperty("size").GetInt32(), staged.Size);
            Assert.Equal(m.GetProperty("version").GetString(), staged.Version.ToString());
        }
    }

    [Theory]
    [InlineData("12345678", "0xFEFC54F9", "0x49E3C2FB")]
    [InlineData("123456789", "0xAFF19057", "0x0376E6E7")]
    public void The_documented_crc_check_values_are_what_the_crc_unit_computes(string input, string wordFed, string byteFed)
    {
        byte[] data = Encoding.ASCII.GetBytes(input);
        Assert.Equal(wordFed, $"0x{Stm32Crc.Compute(data):X8}");
        Assert.Equal(byteFed, $"0x{Stm32Crc.ComputeMpeg2(data):X8}");
        Assert.Contains($"| **{wordFed}** | {byteFed} |", Document, StringComparison.Ordinal);
    }

    [Fact]
    public void The_crc_pseudocode_in_the_document_matches_the_reference_implementation()
    {
        // The C loop of §9.4, transcribed: any edit to one without the other fails here.
        static uint Loop(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFF;
            var padded = new byte[(data.Length + 3) / 4 * 4];
            data.CopyTo(padded);
            for (int i = 0; i < padded.Length; i += 4)
            {
                crc ^= BitConverter.ToUInt32(padded, i); // little-endian word, entering MSB first
                for (int b = 0; b < 32; b++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
            return crc;
        }
        Assert.Contains("crc = (crc & 0x80000000) ? (crc << 1) ^ 0x04C11DB7 : (crc << 1);", Document, StringComparison.Ordinal);
        var random = new Random(72);
        for (int length = 0; length < 40; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Stm32Crc.Compute(data), Loop(data));
        }
    }

    [Fact]
    public void The_refusal_table_gives_every_wire_code_in_decimal_and_hex_alike()
    {
        // §2 "How the broker refuses": a device author matches the byte on the wire, so both spellings must agree.
        // (The Mqtt tests play the table's rows against the brokers; this checks the document on its own.)
        int start = Document.IndexOf("| Situation | MQTT 5 | MQTT 3.1.1 |", StringComparison.Ordinal);
        Assert.True(start >= 0, "§2 has no refusal table");
        var table = string.Join('\n', Document[start..].Split('\n').TakeWhile(l => l.StartsWith('|')));
        var codes = Regex.Matches(table, @"`([0-9]+)` \(0x([0-9A-F]{2})");
        Assert.True(codes.Count >= 9, $"only {codes.Count} codes in the refusal table");
        foreach (Match code in codes)
            Assert.Equal(int.Parse(code.Groups[1].Value), Convert.ToInt32(code.Groups[2].Value, 16));
    }

    [Fact]
    public void Every_reason_token_of_the_vocabulary_is_documented()
    {
        foreach (var reason in ErrorReasons.StagingFailureReasons.Concat(ErrorReasons.RefusalReasons).Concat(ErrorReasons.RollbackReasons))
            Assert.Contains($"| `{reason}` |", Document, StringComparison.Ordinal);
        foreach (var cause in WireNames.ResetCauses)
            Assert.Contains($"`\"{cause}\"`", Document, StringComparison.Ordinal);
    }

    /// <summary>The decoded examples of one "### 13.x" section, in document order.</summary>
    private static List<object> SectionMessages(string heading)
    {
        int start = Document.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{heading}'");
        int startLine = Document[..start].Count(c => c == '\n') + 1;
        int next = Document.IndexOf("\n### ", start + heading.Length, StringComparison.Ordinal);
        int nextH2 = Document.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        int end = new[] { next, nextH2, Document.Length }.Where(i => i >= 0).Min();
        int endLine = Document[..end].Count(c => c == '\n') + 1;
        return Examples().Where(e => e.Info == "json" && e.Line > startLine && e.Line < endLine)
            .Select(e =>
            {
                Assert.Null(Decode(KindOf(e), Encoding.UTF8.GetBytes(e.Json), out var m));
                return m!;
            }).ToList();
    }

    [Theory]
    [InlineData("### 13.3")]
    [InlineData("### 13.4")]
    public void After_a_revert_the_examples_follow_the_order_of_section_8_5(string section)
    {
        // §8.5: booted, then rolledBack (after a revert), then state, then health (on trial only)
        var afterReset = SectionMessages(section).SkipWhile(m => m is not DeviceBooted).ToList();
        Assert.IsType<DeviceBooted>(afterReset[0]);
        Assert.IsType<RolledBackOnDevice>(afterReset[1]);
        Assert.IsType<StateReported>(afterReset[2]);
        Assert.Equal(3, afterReset.Count);
    }

    [Fact]
    public void A_trial_state_carries_its_health_verdict_and_a_committed_one_none()
    {
        var states = Examples().Where(e => e.Info == "json")
            .Select(e => { Decode(KindOf(e), Encoding.UTF8.GetBytes(e.Json), out var m); return m; })
            .OfType<StateReported>().ToList();
        Assert.Contains(states, s => s.State.Health == TrialHealth.Pending);
        Assert.Contains(states, s => s.State.Health == TrialHealth.Passed);
        foreach (var s in states)
            Assert.Equal(s.State.ImageState == ImageState.Trial, s.State.Health is not null);
        // 13.1: booted, state (pending), health: the §8.5 order on trial
        var boot = SectionMessages("### 13.1").SkipWhile(m => m is not DeviceBooted).Take(3).ToList();
        Assert.IsType<DeviceBooted>(boot[0]);
        Assert.Equal(TrialHealth.Pending, Assert.IsType<StateReported>(boot[1]).State.Health);
        Assert.IsType<HealthReported>(boot[2]);
    }

    [Fact]
    public void The_leftover_trial_examples_decode_as_the_orchestrator_and_device_use_them()
    {
        var repeats = SectionMessages("### 13.2");
        Assert.Contains(repeats, m => m is CommandAcknowledged { Accepted: false, Reason: ErrorReasons.TrialPending });
        Assert.Contains(repeats, m => m is RollBack { Reason: "leftover-trial" });
        var late = SectionMessages("### 13.5");
        Assert.IsType<GetState>(late[0]);
        Assert.Equal(TrialHealth.Passed, Assert.IsType<StateReported>(late[1]).State.Health);
    }
}
