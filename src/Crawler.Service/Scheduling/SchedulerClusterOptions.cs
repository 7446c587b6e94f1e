using Microsoft.Extensions.Options;

namespace Crawler.Service.Scheduling;

/// <summary>
/// How the <c>serve</c> instances that share one PostgreSQL database share its schedule (Quartz's clustered job store),
/// bound from the <c>Crawler:Cluster</c> configuration section (e.g. <c>Crawler__Cluster__CheckinInterval=00:00:05</c>)
/// and checked when the service starts. An instance that stops checking in for <see cref="CheckinInterval"/> plus
/// <see cref="CheckinMisfireThreshold"/> is dead: the others release its firings. Only read with PostgreSQL storage.
/// </summary>
public sealed class SchedulerClusterOptions
{
    public const string Section = "Crawler:Cluster";

    /// <summary>The scheduler's name in the database: every instance of one installation must use the same one.</summary>
    public const string SchedulerName = "crawler";

    /// <summary>How often an instance records that it is alive.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long past a missed check-in the others wait before they treat the instance as dead.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How late a firing may come (every instance busy or down) and still run as scheduled; later, it is a misfire.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Every bound checked, each failure naming its setting, so a bad value stops <c>crawler serve</c> at start.</summary>
public sealed class SchedulerClusterOptionsValidator : IValidateOptions<SchedulerClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerClusterOptions options)
    {
        var errors = new List<string>();
        Check(errors, nameof(options.CheckinInterval), options.CheckinInterval >= TimeSpan.FromMilliseconds(500) && options.CheckinInterval <= TimeSpan.FromMinutes(5),
            "must be from 500 ms to 5 min");
        Check(errors, nameof(options.CheckinMisfireThreshold),
            options.CheckinMisfireThreshold >= TimeSpan.FromSeconds(1) && options.CheckinMisfireThreshold <= TimeSpan.FromMinutes(10),
            "must be from 1 s to 10 min");
        Check(errors, nameof(options.MisfireThreshold), options.MisfireThreshold >= TimeSpan.FromSeconds(1) && options.MisfireThreshold <= TimeSpan.FromHours(1),
            "must be from 1 s to 1 h");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string field, bool ok, string rule)
    {
        if (!ok)
        {
            errors.Add($"{SchedulerClusterOptions.Section}:{field} {rule}");
        }
    }
}
