using Crawler.Service.Application;
using Crawler.Service.Crawling;
using Crawler.Service.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Crawler.Service.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>The application services over one data folder and policy set.</summary>
    public static IServiceCollection AddCrawler(this IServiceCollection services, string dataDirectory, string policiesDirectory,
        Storage.KeySource? keys = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            // The hosted service acts for itself: scheduled crawls and retention; no person signs in to it.
            var context = CrawlerContext.Open(dataDirectory, policiesDirectory, sp.GetRequiredService<TimeProvider>(), keys);
            context.ActAsService();
            return context;
        });
        services.AddSingleton<Identity.IdentityService>();
        services.AddSingleton<TargetService>();
        services.AddSingleton<MandateService>();
        services.AddSingleton<HitService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<CrawlService>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<EvidenceService>();
        return services;
    }

    /// <summary>Quartz, firing each covered target on its cron schedule; a stop waits for running crawls to save their state.</summary>
    public static IServiceCollection AddCrawlScheduling(this IServiceCollection services, TimeSpan syncInterval, string? retentionCron = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SkippedTicks>();
        services.AddTransient<CrawlTargetJob>();
        services.AddTransient<ScheduleSyncJob>();
        services.AddTransient<RetentionJob>();
        services.AddQuartz(q =>
        {
            if (retentionCron is not null)
            {
                q.ScheduleJob<RetentionJob>(
                    t => t.WithIdentity("retention", "system").WithCronSchedule(retentionCron),
                    j => j.WithIdentity("retention", "system"));
            }

            q.ScheduleJob<ScheduleSyncJob>(
                t => t.WithIdentity("schedule-sync", "system").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(syncInterval).RepeatForever()),
                j => j.WithIdentity("schedule-sync", "system"));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
