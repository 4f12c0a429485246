using TeamsAlertBot.Core.Digest;

namespace TeamsAlertBot.Tests.Digest;

public sealed class DigestScheduleTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void SendTimeOn_Tokyo_LocalMorningIsPreviousEveningUtc()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        Assert.Equal(Utc(2026, 11, 28, 23, 30), schedule.SendTimeOn(new DateOnly(2026, 11, 29)));
    }

    [Fact]
    public void SendTimeOn_NewYorkAroundSpringForward_SameWallClockOneHourEarlierInUtc()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), NewYork);

        // 2026-03-08 is the US change to daylight time: EST (−5) before, EDT (−4) after.
        Assert.Equal(Utc(2026, 3, 7, 13, 30), schedule.SendTimeOn(new DateOnly(2026, 3, 7)));
        Assert.Equal(Utc(2026, 3, 8, 12, 30), schedule.SendTimeOn(new DateOnly(2026, 3, 8)));
        Assert.Equal(Utc(2026, 3, 9, 12, 30), schedule.SendTimeOn(new DateOnly(2026, 3, 9)));
    }

    [Fact]
    public void SendTimeOn_LondonAroundFallBack_SameWallClockOneHourLaterInUtc()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), London);

        // 2026-10-25: BST (+1) ends.
        Assert.Equal(Utc(2026, 10, 24, 7, 30), schedule.SendTimeOn(new DateOnly(2026, 10, 24)));
        Assert.Equal(Utc(2026, 10, 25, 8, 30), schedule.SendTimeOn(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void SendTimeOn_TimeInSpringForwardGap_SentWhenTheClockJumps()
    {
        var schedule = new DigestSchedule(new TimeOnly(2, 30), NewYork);

        // 02:30 does not exist on 2026-03-08 in New York: the clock goes 01:59 EST → 03:00 EDT (07:00 UTC).
        Assert.Equal(Utc(2026, 3, 8, 7, 0), schedule.SendTimeOn(new DateOnly(2026, 3, 8)));
    }

    [Fact]
    public void SendTimeOn_AmbiguousFallBackTime_FirstOccurrence()
    {
        var schedule = new DigestSchedule(new TimeOnly(1, 30), NewYork);

        // 01:30 happens twice on 2026-11-01 in New York; the first is EDT (−4).
        Assert.Equal(Utc(2026, 11, 1, 5, 30), schedule.SendTimeOn(new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public void DueDay_BeforeTodaysSendTime_NotDue()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        Assert.Null(schedule.DueDay(Utc(2026, 11, 28, 23, 29)));
    }

    [Fact]
    public void DueDay_AtAndAfterSendTime_DueForTheLocalDateNotTheUtcDate()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        Assert.Equal(new DateOnly(2026, 11, 29), schedule.DueDay(Utc(2026, 11, 28, 23, 30)));
        Assert.Equal(new DateOnly(2026, 11, 29), schedule.DueDay(Utc(2026, 11, 29, 0, 15)));
    }

    [Fact]
    public void DueDay_MissedWindow_StillDueLaterThatDayUntilLocalMidnight()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        // 17:00 and 23:59 in Tokyo: an instance that was down at 08:30 still sends that day.
        Assert.Equal(new DateOnly(2026, 11, 29), schedule.DueDay(Utc(2026, 11, 29, 8, 0)));
        Assert.Equal(new DateOnly(2026, 11, 29), schedule.DueDay(Utc(2026, 11, 29, 14, 59)));
        // 00:00 on the 30th: the 29th's summary is no longer due, the 30th's not yet.
        Assert.Null(schedule.DueDay(Utc(2026, 11, 29, 15, 0)));
    }

    [Fact]
    public void NextSendAfter_BeforeAndAtSendTime_TodayThenTomorrow()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        Assert.Equal(Utc(2026, 11, 28, 23, 30), schedule.NextSendAfter(Utc(2026, 11, 28, 10, 0)));
        Assert.Equal(Utc(2026, 11, 29, 23, 30), schedule.NextSendAfter(Utc(2026, 11, 28, 23, 30)));
    }

    [Fact]
    public void NextSendAfter_AcrossDstChanges_23And25HourDays()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), NewYork);

        DateTimeOffset beforeSpring = schedule.SendTimeOn(new DateOnly(2026, 3, 7));
        DateTimeOffset beforeFall = schedule.SendTimeOn(new DateOnly(2026, 10, 31));

        Assert.Equal(TimeSpan.FromHours(23), schedule.NextSendAfter(beforeSpring) - beforeSpring);
        Assert.Equal(TimeSpan.FromHours(25), schedule.NextSendAfter(beforeFall) - beforeFall);
    }

    [Fact]
    public void StartOf_LocalMidnight_InTheZone()
    {
        var schedule = new DigestSchedule(new TimeOnly(8, 30), Tokyo);

        Assert.Equal(Utc(2026, 11, 27, 15, 0), schedule.StartOf(new DateOnly(2026, 11, 28)));
    }
}
