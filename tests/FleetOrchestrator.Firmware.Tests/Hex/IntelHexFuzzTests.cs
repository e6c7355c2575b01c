using System.Text;
using FleetOrchestrator.Firmware.Hex;
using FleetOrchestrator.Firmware.Tests.Support;

namespace FleetOrchestrator.Firmware.Tests.Hex;

/// <summary>
/// Mutates valid HEX files thousands of times (seeded, so failures reproduce) and requires that the reader either
/// returns or throws its own <see cref="IntelHexFormatException"/> with a line inside the input - nothing else.
/// </summary>
public class IntelHexFuzzTests
{
    private const string Alphabet = ":0123456789ABCDEFabcdefG \t\r\n\0\u00E9";

    private static readonly string[] Seeds =
    [
        FirmwareFixtures.Text("bank1.hex"),
        FirmwareFixtures.Text("gaps.hex"),
        FirmwareFixtures.Text("bank1.hex").Replace("\n", "\r\n", StringComparison.Ordinal),
        ":020000021000EC\n:0400000300001234B3\n:0300300002337A1E\n:00000001FF\n",
    ];

    [Fact]
    public void Random_mutations_only_ever_raise_the_readers_own_error()
    {
        var random = new Random(1729);
        int rejected = 0, accepted = 0;
        for (int trial = 0; trial < 20_000; trial++)
        {
            var text = Mutate(Seeds[random.Next(Seeds.Length)], random);
            int lines = text.Split('\n').Length;
            try
            {
                IntelHexReader.Parse(text);
                accepted++;
            }
            catch (IntelHexFormatException e)
            {
                rejected++;
                Assert.InRange(e.Line, 1, lines + 1);
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial}: {e.GetType().Name} escaped the reader for input:\n{text}\n{e}");
            }
        }
        // Both outcomes must actually occur, or the fuzzer is not exercising the reader.
        Assert.True(rejected > 1000, $"only {rejected} mutations were rejected");
        Assert.True(accepted > 10, $"only {accepted} mutations were accepted");
    }

    [Fact]
    public void Random_bytes_through_a_stream_only_ever_raise_the_readers_own_error()
    {
        var random = new Random(31337);
        for (int trial = 0; trial < 3_000; trial++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0 && bytes.Length > 0) bytes[0] = (byte)':';
            using var stream = new MemoryStream(bytes);
            var e = Record.Exception(() => IntelHexReader.Read(stream));
            Assert.True(e is null or IntelHexFormatException, $"trial {trial}: {e}");
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits && text.Length > 0; i++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0: text[at] = Alphabet[random.Next(Alphabet.Length)]; break; // flip
                case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break; // insert
                case 2: text.Remove(at, 1); break; // delete
                case 3: text.Length = at; break; // truncate
                default: text.Insert(at, text.ToString(random.Next(text.Length), 1)); break; // duplicate a char
            }
        }
        return text.ToString();
    }
}
