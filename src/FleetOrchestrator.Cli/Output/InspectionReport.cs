using System.Globalization;
using System.Text;
using System.Text.Json;
using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Cli.Output;

/// <summary>
/// How `fleet firmware inspect` shows an <see cref="ImageValidationResult"/>: one JSON object (for scripts) or a
/// readable summary. Addresses and the CRC as "0x" + 8 upper-case hex digits; unknown values as null / "-".
/// </summary>
internal static class InspectionReport
{
    public static string ToJson(string file, ImageValidationResult r)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteBoolean("valid", r.IsValid);
            json.WriteString("format", FormatName(r.Format));
            WriteHexOrNull(json, "loadAddress", r.LoadAddress);
            WriteHexOrNull(json, "initialStackPointer", r.InitialStackPointer);
            WriteHexOrNull(json, "resetHandler", r.ResetHandler);
            json.WriteNumber("size", r.Size);
            WriteHexOrNull(json, "crc32", r.Crc32);
            if (r.Sha256 is { } sha) json.WriteString("sha256", sha); else json.WriteNull("sha256");
            json.WriteStartArray("errors");
            foreach (var e in r.Errors) json.WriteStringValue(e);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ToText(string file, ImageValidationResult r)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{file}: {(r.IsValid ? "valid L072 bank image" : "NOT a valid L072 bank image")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  format          {FormatName(r.Format)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  load address    {Hex(r.LoadAddress)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  size            {r.Size:N0} bytes (bank holds {L072Bank.Size:N0})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  initial SP      {Hex(r.InitialStackPointer)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  reset handler   {Hex(r.ResetHandler)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  crc32 (STM32)   {Hex(r.Crc32)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  sha256          {r.Sha256 ?? "-"}");
        foreach (var e in r.Errors) text.AppendLine(CultureInfo.InvariantCulture, $"  error: {e}");
        return text.ToString();
    }

    public static string FormatName(ImageFormat format) => format == ImageFormat.IntelHex ? "ihex" : "bin";

    public static string Hex(uint? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"0x{v:X8}") : "-";

    private static void WriteHexOrNull(Utf8JsonWriter json, string name, uint? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, Hex(value));
    }
}
