namespace Crawler.Service.Scheduling;

public static class CronSchedule
{
    public static bool IsValid(string expression)
    {
        try
        {
            _ = new Quartz.CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The shortest gap between two consecutive firings of any of the expressions, looking a week ahead.</summary>
    public static TimeSpan? ShortestInterval(IEnumerable<string> expressions, DateTimeOffset from)
    {
        TimeSpan? shortest = null;
        foreach (var e in expressions)
        {
            var cron = new Quartz.CronExpression(e);
            var previous = cron.GetNextValidTimeAfter(from);
            for (var i = 0; i < 200 && previous is { } p && p < from.AddDays(7); i++)
            {
                var next = cron.GetNextValidTimeAfter(p);
                if (next is not { } n)
                {
                    break;
                }

                var gap = n - p;
                shortest = shortest is null || gap < shortest ? gap : shortest;
                previous = n;
            }
        }

        return shortest;
    }
}
