using System.Globalization;

namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>
/// The device-local hours in which the saga may authorize the swap (downloads go on at any time). The rollout's
/// maintenance window with the device's time zone: an IANA name from its <c>timezone</c> tag ("Europe/Berlin", daylight
/// saving included), a fixed offset ("+02:00", "-05:30"), or null for UTC. An end before the start spans midnight.
/// Pure: the zone rules come from the system's time-zone database, the instant from the caller.
/// </summary>
public sealed record SwapWindow(TimeOnly LocalStart, TimeOnly LocalEnd, string? TimeZone)
{
    /// <summary>The reply of an activation that waits for the window (the activation itself is recorded).</summary>
    public const string AwaitingReason = "awaiting the device's maintenance window";

    public bool Contains(DateTimeOffset now)
    {
        var local = TimeOnly.FromTimeSpan(LocalTime(now).TimeOfDay);
        return LocalStart <= LocalEnd
            ? local >= LocalStart && local < LocalEnd
            : local >= LocalStart || local < LocalEnd;
    }

    /// <summary>The next instant after <paramref name="now"/> at which the window opens. A start that does not exist
    /// on a day (it falls in a daylight-saving gap) opens at the first local minute after the gap.</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        var zone = Zone();
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var day = localNow.Date;
        for (var i = 0; i < 3; i++, day = day.AddDays(1))
        {
            var candidate = day + LocalStart.ToTimeSpan();
            while (zone.IsInvalidTime(candidate)) candidate = candidate.AddMinutes(1);
            var opening = new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
            if (opening > now) return opening;
        }
        return now.AddDays(1); // unreachable: a start exists on one of three consecutive days
    }

    public DateTimeOffset LocalTime(DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, Zone());

    /// <summary>Null when the zone is known, otherwise why not (a saga never starts on a window it cannot place).
    /// </summary>
    public string? DescribeProblem()
    {
        if (LocalStart == LocalEnd) return "the maintenance window is empty (start equals end)";
        return TryZone(TimeZone, out _) ? null
            : $"time zone '{TimeZone}' is neither a known IANA zone nor an offset like +02:00";
    }

    public override string ToString() =>
        $"{LocalStart:HH\\:mm}-{LocalEnd:HH\\:mm} {TimeZone ?? "UTC"}";

    private TimeZoneInfo Zone() => TryZone(TimeZone, out var zone) ? zone
        : throw new InvalidOperationException(DescribeProblem());

    private static bool TryZone(string? name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(name) || name is "UTC" or "Z") return true;
        if (name[0] is '+' or '-'
            && TimeSpan.TryParseExact(name[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset)
            && offset <= TimeSpan.FromHours(14))
        {
            var signed = name[0] == '-' ? -offset : offset;
            zone = TimeZoneInfo.CreateCustomTimeZone(name, signed, name, name);
            return true;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out zone!);
    }
}
