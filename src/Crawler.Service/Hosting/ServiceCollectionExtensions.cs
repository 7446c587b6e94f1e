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
using Crawler.Fetching;
using Crawler.Service.Telemetry;
using Microsoft.Extensions.Configuration;
using Crawler.Storage;
using Crawler.Storage.Lite;
using Crawler.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
    /// <summary>Everything over one data folder and policy set; the database as <paramref name="storage"/> says (default: as the environment says).</summary>
    public static IServiceCollection AddCrawler(this IServiceCollection services, string dataDirectory, string policiesDirectory, KeySource? keys = null,
        bool createDataFolder = false, StorageSettings? storage = null) =>
        services.AddCrawlerPolicies(policiesDirectory).AddCrawlerStorage(dataDirectory, keys, createDataFolder, storage).AddCrawlerFetching()
            .AddCrawlerApplication();

    /// <summary>The policy set, retention and identity policies, read and validated once.</summary>
    public static IServiceCollection AddCrawlerPolicies(this IServiceCollection services, string policiesDirectory)
    {
        services.AddSingleton(_ => PolicyDirectory.Load(policiesDirectory));
        services.AddSingleton(_ => PolicyDirectory.LoadRetention(policiesDirectory));
        services.AddSingleton(_ => PolicyDirectory.LoadIdentity(policiesDirectory));
        return services;
    }

    /// <summary>
    /// The data folder and its keys, the database (the LiteDB file, or PostgreSQL as <paramref name="storage"/> says;
    /// default: as the environment says, checked now), and the storage ports over it.
    /// </summary>
    public static IServiceCollection AddCrawlerStorage(this IServiceCollection services, string dataDirectory, KeySource? keys = null, bool create = false,
        StorageSettings? storage = null)
    {
        storage ??= StorageSettings.FromEnvironment(dataDirectory);
        var lite = storage.Kind == StorageKind.LiteDb;
        services.AddSingleton(storage);

        // With PostgreSQL the data folder holds no database, only what stays on this machine: the keys beside it.
        services.AddSingleton(_ => create ? DataFolder.Create(dataDirectory, keys) : DataFolder.Open(dataDirectory, keys, withDatabase: lite));
        if (lite)
        {
            services.AddSingleton(sp => new LiteDatabaseContext(sp.GetRequiredService<DataFolder>()));
            services.AddSingleton<IInstallationStore, LiteInstallationStore>();
            services.AddSingleton<IUserStore, LiteUserStore>();
            services.AddSingleton<ITargetStore, LiteTargetStore>();
            services.AddSingleton<IMandateStore, LiteMandateStore>();
            services.AddSingleton<IHitStore, LiteHitStore>();
            services.AddSingleton<IAuditLog, LiteAuditLog>();
            services.AddSingleton<ICrawlStateStore, LiteCrawlStateStore>();
            services.AddSingleton<IRobotsCache, LiteRobotsCache>();
            services.AddSingleton<IHostSlots, LiteHostSlots>();
            services.AddSingleton<IRetentionStore, LiteRetentionStore>();
        }
        else
        {
            services.AddSingleton(sp =>
            {
                // The key folder is checked first: an installation without its keys must not start writing a trail.
                sp.GetRequiredService<DataFolder>();
                return PostgresDatabase.Open(storage.ConnectionString!, storage.RetentionConnectionString);
            });
            services.AddSingleton<IInstallationStore, PostgresInstallationStore>();
            services.AddSingleton<IUserStore, PostgresUserStore>();
            services.AddSingleton<ITargetStore, PostgresTargetStore>();
            services.AddSingleton<IMandateStore, PostgresMandateStore>();
            services.AddSingleton<IHitStore, PostgresHitStore>();
            services.AddSingleton<IAuditLog, PostgresAuditLog>();
            services.AddSingleton<ICrawlStateStore, PostgresCrawlStateStore>();
            services.AddSingleton<IRobotsCache, PostgresRobotsCache>();
            services.AddSingleton<IHostSlots, PostgresHostSlots>();
            services.AddSingleton<IRetentionStore, PostgresRetentionStore>();
        }

        // The keys stay inside the types that use them; nothing else sees key bytes.
        services.AddSingleton(sp => new Pseudonymiser(sp.GetRequiredService<DataFolder>().PseudonymKey));
        services.AddSingleton(sp => new AuditSigner(sp.GetRequiredService<DataFolder>().AuditKey));
        services.AddSingleton(sp => new Installation(sp.GetRequiredService<IInstallationStore>().IsLabAsync().GetAwaiter().GetResult()));
        return services;
    }

    /// <summary>
    /// The fetcher's resilience settings, bound from the host's configuration (section <c>Crawler:Fetch</c>, e.g. the
    /// environment variable <c>Crawler__Fetch__MaxRetryAttempts</c>) when there is one, validated when the host starts
    /// (and at first use where there is no host, as in a CLI command); and the clock the network runs on.
    /// </summary>
    public static IServiceCollection AddCrawlerFetching(this IServiceCollection services)
    {
        services.AddOptions<FetchResilienceOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(FetchResilienceOptions.Section).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FetchResilienceOptions>, FetchResilienceOptionsValidator>());
        services.TryAddSingleton(new NetworkTime(TimeProvider.System));
        services.AddSingleton<PageFetcherFactory>();
        return services;
    }

    private static SchedulerClusterOptions BindCluster(SchedulerClusterOptions options, IServiceProvider sp)
    {
        sp.GetService<IConfiguration>()?.GetSection(SchedulerClusterOptions.Section).Bind(options);
        return options;
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
            sp.GetRequiredService<IRobotsCache>(), sp.GetRequiredService<IHostSlots>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<Pseudonymiser>(),
            sp.GetRequiredService<PolicySet>(), sp.GetRequiredService<Installation>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PageFetcherFactory>(), sp.GetRequiredService<CrawlerMetrics>()));
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
        services.AddScoped<RunService>();
        services.AddSingleton<CrawlLauncher>();
        services.AddScoped(sp => new CrawlService(sp.GetRequiredService<CrawlDependencies>(), sp.GetRequiredService<ITargetStore>(),
            sp.GetRequiredService<MandateService>(), sp.GetRequiredService<LinkingService>(), sp.GetRequiredService<AccessControl>(),
            sp.GetRequiredService<NameResolution>().Resolve));
        return services;
    }

    /// <summary>
    /// Quartz, firing each covered target on its cron schedule; a stop waits for running crawls to save their state. With
    /// PostgreSQL storage the schedule is Quartz's clustered job store in that database, shared by every <c>serve</c>
    /// instance on it (each firing runs on one of them; see <see cref="SchedulerClusterOptions"/>); with LiteDB it is
    /// kept in memory, as one machine needs.
    /// </summary>
    public static IServiceCollection AddCrawlScheduling(this IServiceCollection services, TimeSpan syncInterval, string? retentionCron = null,
        StorageSettings? storage = null)
    {
        services.AddTransient<CrawlTargetJob>();
        services.AddTransient<ScheduleSyncJob>();
        services.AddTransient<RetentionJob>();
        services.AddSingleton<SkippedTicks>();
        var clustered = storage is { Kind: StorageKind.Postgres, ConnectionString: { } connection } ? connection : null;
        // Quartz takes the container's TimeProvider: the scheduler fires on the same clock as mandates and the audit
        // trail, so a schedule and the mandate window it is checked against never disagree about "now" (SchedulerClockTests).
        services.AddQuartz(q =>
        {
            if (clustered is not null)
            {
                // One name for the installation, one generated id per process (host and start time): the instances
                // share triggers by the name and tell their firings apart by the id. The tables are our migration
                // 0002_scheduler; Quartz only checks them (its default), it never creates them.
                q.ConfigureScheduler(s => s.InstanceName = SchedulerClusterOptions.SchedulerName);
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(clustered);
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(_ => { });
                });
            }

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
        if (clustered is not null)
        {
            services.AddOptions<SchedulerClusterOptions>().Configure<IServiceProvider>((options, sp) => BindCluster(options, sp)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerClusterOptions>, SchedulerClusterOptionsValidator>());
            // Quartz's own options are read from the configuration as it stands, not through the validated options: a bad
            // value is then reported once, by our validator, naming our setting.
            services.AddOptions<ClusteringOptions>().Configure<IServiceProvider>((quartz, sp) =>
            {
                var ours = BindCluster(new SchedulerClusterOptions(), sp);
                quartz.CheckinInterval = ours.CheckinInterval;
                quartz.CheckinMisfireThreshold = ours.CheckinMisfireThreshold;
            });
            services.AddOptions<AdoJobStoreOptions>().Configure<IServiceProvider>((store, sp) =>
                store.MisfireThreshold = BindCluster(new SchedulerClusterOptions(), sp).MisfireThreshold);
        }

        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
