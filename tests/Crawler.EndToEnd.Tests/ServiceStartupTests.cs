using Crawler.Fetching;
using Crawler.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>The service's own settings are checked when it starts: a bad one stops it, named, before any crawl.</summary>
public sealed class ServiceStartupTests
{
    [Test]
    public async Task A_fetch_setting_out_of_bounds_stops_the_service_at_start_and_is_named()
    {
        using var lab = await Lab.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crawler:Fetch:MaxRetryAttempts"] = "9",
            ["Crawler:Fetch:CircuitBreakDuration"] = "00:00:00.5",
        });
        builder.Services.AddCrawler(lab.Dir, Lab.PoliciesDir);
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Failures, Is.EquivalentTo(new[]
        {
            "Crawler:Fetch:MaxRetryAttempts must be from 0 to 5",
            "Crawler:Fetch:CircuitBreakDuration must be from 1 s to 1 h",
        }));
    }

    [Test]
    public async Task Fetch_settings_from_configuration_reach_the_fetcher()
    {
        using var lab = await Lab.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Crawler:Fetch:MaxRetryAttempts"] = "4" });
        builder.Services.AddCrawler(lab.Dir, Lab.PoliciesDir);
        using var host = builder.Build();

        Assert.That(host.Services.GetRequiredService<IOptions<FetchResilienceOptions>>().Value.MaxRetryAttempts, Is.EqualTo(4));
    }

    [Test]
    public async Task A_cluster_setting_out_of_bounds_stops_a_service_on_postgres_at_start_and_is_named()
    {
        var database = Crawler.Testing.PostgresCluster.Instance.CreateDatabase();
        try
        {
            using var lab = await Lab.CreateAsync(postgres: database);
            using var host = ClusteredHost(lab, new() { ["Crawler:Cluster:CheckinInterval"] = "00:00:00.1", ["Crawler:Cluster:MisfireThreshold"] = "02:00:00" });

            var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.That(ex!.Failures, Is.EquivalentTo(new[]
            {
                "Crawler:Cluster:CheckinInterval must be from 500 ms to 5 min",
                "Crawler:Cluster:MisfireThreshold must be from 1 s to 1 h",
            }));
        }
        finally
        {
            Crawler.Testing.PostgresCluster.Instance.DropDatabase(database);
        }
    }

    [Test]
    public async Task Cluster_settings_from_configuration_reach_quartzs_clustered_store()
    {
        var database = Crawler.Testing.PostgresCluster.Instance.CreateDatabase();
        try
        {
            using var lab = await Lab.CreateAsync(postgres: database);
            using var host = ClusteredHost(lab, new() { ["Crawler:Cluster:CheckinInterval"] = "00:00:02", ["Crawler:Cluster:MisfireThreshold"] = "00:00:30" });

            var clustering = host.Services.GetRequiredService<IOptions<Quartz.ClusteringOptions>>().Value;
            Assert.That(clustering.Enabled, Is.True);
            Assert.That(clustering.CheckinInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(clustering.CheckinMisfireThreshold, Is.EqualTo(TimeSpan.FromSeconds(15)), "the default");
            Assert.That(host.Services.GetRequiredService<IOptions<Quartz.AdoJobStoreOptions>>().Value.MisfireThreshold, Is.EqualTo(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            Crawler.Testing.PostgresCluster.Instance.DropDatabase(database);
        }
    }

    private static IHost ClusteredHost(Lab lab, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCrawler(lab.Dir, Lab.PoliciesDir, storage: lab.Storage).AddCrawlScheduling(TimeSpan.FromMinutes(10), storage: lab.Storage);
        return builder.Build();
    }
}

/// <summary>The scheduler runs on the service's clock, the one mandates and the audit trail use.</summary>
public sealed class SchedulerClockTests
{
    [Test]
    public async Task The_scheduler_fires_on_the_domain_clock()
    {
        using var lab = await Lab.CreateAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2031, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddCrawler(lab.Dir, Lab.PoliciesDir).AddCrawlScheduling(TimeSpan.FromMinutes(10));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("schedule-sync", "system"));

            // "Start now" on the system clock would be 2026; on the service's clock it is 2031.
            Assert.That(trigger?.StartTimeUtc.Year, Is.EqualTo(2031));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
