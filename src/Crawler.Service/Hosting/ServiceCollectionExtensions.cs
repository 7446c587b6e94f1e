using System.Net;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Crawler.Service.Audit;
using Crawler.Service.Crawling;
using Crawler.Service.Scheduling;
using Crawler.Service.Telemetry;
using Crawler.Storage;
using Crawler.Storage.Lite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Crawler.Service.Hosting;

/// <summary>Name resolution for the network guard: the system's, unless a test supplies answers it cannot get here.</summary>
public sealed record NameResolution(Func<string, CancellationToken, Task<IPAddress[]>>? Resolve);

/// <summary>
/// The one composition root: the CLI (one scope per command), <c>crawler serve</c> (one scope per job) and tests build
/// their services here. Policies and storage are singletons per data folder; who acts is per scope.
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Everything over one data folder and policy set.</summary>
    public static IServiceCollection AddCrawler(this IServiceCollection services, string dataDirectory, string policiesDirectory, KeySource? keys = null,
        bool createDataFolder = false) =>
        services.AddCrawlerPolicies(policiesDirectory).AddCrawlerStorage(dataDirectory, keys, createDataFolder).AddCrawlerApplication();

    /// <summary>The policy set, retention and identity policies, read and validated once.</summary>
    public static IServiceCollection AddCrawlerPolicies(this IServiceCollection services, string policiesDirectory)
    {
        services.AddSingleton(_ => PolicyDirectory.Load(policiesDirectory));
        services.AddSingleton(_ => PolicyDirectory.LoadRetention(policiesDirectory));
        services.AddSingleton(_ => PolicyDirectory.LoadIdentity(policiesDirectory));
        return services;
    }

    /// <summary>The data folder and its keys, the LiteDB file, and the storage ports over it.</summary>
    public static IServiceCollection AddCrawlerStorage(this IServiceCollection services, string dataDirectory, KeySource? keys = null, bool create = false)
    {
        services.AddSingleton(_ => create ? DataFolder.Create(dataDirectory, keys) : DataFolder.Open(dataDirectory, keys));
        services.AddSingleton(sp => new LiteDatabaseContext(sp.GetRequiredService<DataFolder>()));
        services.AddSingleton<IInstallationStore, LiteInstallationStore>();
        services.AddSingleton<IUserStore, LiteUserStore>();
        services.AddSingleton<ITargetStore, LiteTargetStore>();
        services.AddSingleton<IMandateStore, LiteMandateStore>();
        services.AddSingleton<IHitStore, LiteHitStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
        services.AddSingleton<ICrawlStateStore, LiteCrawlStateStore>();
        services.AddSingleton<IRobotsCache, LiteRobotsCache>();
        services.AddSingleton<IRetentionStore, LiteRetentionStore>();

        // The keys stay inside the types that use them; nothing else sees key bytes.
        services.AddSingleton(sp => new Pseudonymiser(sp.GetRequiredService<DataFolder>().PseudonymKey));
        services.AddSingleton(sp => new AuditSigner(sp.GetRequiredService<DataFolder>().AuditKey));
        services.AddSingleton(sp => new Installation(sp.GetRequiredService<IInstallationStore>().IsLabAsync().GetAwaiter().GetResult()));
        return services;
    }

    /// <summary>The application services: who acts (per scope), the audit trail, and the services the CLI, the console and the jobs call.</summary>
    public static IServiceCollection AddCrawlerApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new NameResolution(null));
        services.AddMetrics();
        services.AddSingleton<CrawlerMetrics>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton(sp => new CrawlDependencies(
            sp.GetRequiredService<ICrawlStateStore>(), sp.GetRequiredService<IMandateStore>(), sp.GetRequiredService<IHitStore>(),
            sp.GetRequiredService<IRobotsCache>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<Pseudonymiser>(),
            sp.GetRequiredService<PolicySet>(), sp.GetRequiredService<Installation>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CrawlerMetrics>()));
        services.AddScoped<AccessControl>();
        services.AddScoped<InstallationService>();
        services.AddScoped<IdentityService>();
        services.AddScoped<TargetService>();
        services.AddScoped<MandateService>();
        services.AddScoped<HitService>();
        services.AddScoped<LinkingService>();
        services.AddScoped<AuditService>();
        services.AddScoped<AuditReport>();
        services.AddScoped<RetentionService>();
        services.AddScoped<EvidenceService>();
        services.AddScoped<PolicyExplainer>();
        services.AddScoped<StatusService>();
        services.AddScoped(sp => new CrawlService(sp.GetRequiredService<CrawlDependencies>(), sp.GetRequiredService<ITargetStore>(),
            sp.GetRequiredService<MandateService>(), sp.GetRequiredService<LinkingService>(), sp.GetRequiredService<AccessControl>(),
            sp.GetRequiredService<NameResolution>().Resolve));
        return services;
    }

    /// <summary>Quartz, firing each covered target on its cron schedule; a stop waits for running crawls to save their state.</summary>
    public static IServiceCollection AddCrawlScheduling(this IServiceCollection services, TimeSpan syncInterval, string? retentionCron = null)
    {
        services.AddTransient<CrawlTargetJob>();
        services.AddTransient<ScheduleSyncJob>();
        services.AddTransient<RetentionJob>();
        services.AddSingleton<SkippedTicks>();
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
