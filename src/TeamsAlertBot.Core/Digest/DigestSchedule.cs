namespace TeamsAlertBot.Core.Digest;

/// <summary>
/// When the daily summary is due: a wall-clock time in a time zone, once per local calendar day.
/// All maths is on instants (<see cref="DateTimeOffset"/>) so daylight saving time changes neither
/// skip nor repeat a day: a send time that does not exist on a spring-forward day moves to the
/// first instant after the gap, and one that exists twice on a fall-back day is the first of the two.
/// </summary>
public sealed class DigestSchedule
{
    /// <summary>A schedule sending at <paramref name="sendAt"/> local time in <paramref name="timeZone"/>.</summary>
    public DigestSchedule(TimeOnly sendAt, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        SendAt = sendAt;
        TimeZone = timeZone;
    }

    /// <summary>The local wall-clock time of the send.</summary>
    public TimeOnly SendAt { get; }

    /// <summary>The zone the wall clock is read in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The local calendar date of <paramref name="instant"/>.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant of the send on local date <paramref name="date"/>.</summary>
    public DateTimeOffset SendTimeOn(DateOnly date) => ToInstant(date.ToDateTime(SendAt), TimeZone);

    /// <summary>The instant local date <paramref name="date"/> begins (midnight, or the end of a gap at midnight).</summary>
    public DateTimeOffset StartOf(DateOnly date) => ToInstant(date.ToDateTime(TimeOnly.MinValue), TimeZone);

    /// <summary>
    /// The day whose summary is due at <paramref name="now"/>: today's local date once today's send
    /// time has passed (so an instance that was down at the send time still sends later that day),
    /// null before it.
    /// </summary>
    public DateOnly? DueDay(DateTimeOffset now)
    {
        DateOnly today = LocalDate(now);
        return now >= SendTimeOn(today) ? today : null;
    }

    /// <summary>The first send time strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextSendAfter(DateTimeOffset now)
    {
        DateOnly today = LocalDate(now);
        DateTimeOffset todays = SendTimeOn(today);
        return todays > now ? todays : SendTimeOn(today.AddDays(1));
    }

    /// <summary>
    /// Converts a local wall-clock time to an instant: a time inside a spring-forward gap becomes the
    /// end of the gap; an ambiguous time (fall back) becomes its first occurrence.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        DateTime wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            // The clock jumps over this time (spring forward): the send happens at the jump, which
            // the clock reads as the first valid minute after the gap.
            DateTime afterGap = new(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, 0, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(afterGap))
            {
                afterGap = afterGap.AddMinutes(1);
            }

            return new DateTimeOffset(afterGap, zone.GetUtcOffset(afterGap));
        }

        if (zone.IsAmbiguousTime(wall))
        {
            TimeSpan[] offsets = zone.GetAmbiguousTimeOffsets(wall);
            return new DateTimeOffset(wall, offsets.Max());
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
