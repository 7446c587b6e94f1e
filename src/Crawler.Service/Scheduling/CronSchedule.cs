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
}
