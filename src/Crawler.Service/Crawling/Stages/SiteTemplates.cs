using Crawler.Core.Storage;
using Crawler.Extraction;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stage 6's site templates: each host's pages are extracted with what the host's earlier pages taught (blocks and
/// contact values that recur on many of its pages are the site's, dropped and counted), learned on from every page.
/// A host's template is loaded from the crawl state at its first page, so a run starts from what earlier runs learned,
/// and kept there as keyed hashes and counts (never text) every <see cref="SaveEvery"/> pages and when the run ends.
/// <para>
/// Memory: at most <see cref="MaxHosts"/> hosts a run, each at most <see cref="SiteTemplate.MaxMemoryBytes"/>
/// (136 KiB): 8.5 MiB at the worst. A page of a host beyond them is extracted without a template, as before.
/// </para>
/// </summary>
internal sealed class SiteTemplates(ICrawlStateStore store, byte[] secret, TimeProvider time)
{
    /// <summary>A host's template is written to the crawl state after this many pages: a crash loses at most their learning.</summary>
    public const int SaveEvery = 16;

    /// <summary>The most hosts a run learns templates for (a target's scope names a handful).</summary>
    public const int MaxHosts = 64;

    private readonly Dictionary<string, Task<Learned?>> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>The page extracted with its host's template, which learns from it; the template is kept every few pages.</summary>
    public async Task<PageExtraction> ExtractAsync(AdExtractor extractor, string html, Uri url, CancellationToken ct)
    {
        var learned = await ForAsync(url.Host);
        var extracted = extractor.Extract(html, url, time.GetUtcNow(), learned?.Template);
        if (learned is not null && learned.Count(extracted.TemplateBlocks, extracted.TemplateContacts) && learned.TryBeginSave())
        {
            try
            {
                await SaveAsync(learned, ct);
            }
            finally
            {
                learned.EndSave();
            }
        }

        return extracted;
    }

    /// <summary>Keeps every host's template as it stands (the run's end, when no page is in flight).</summary>
    public async Task SaveAllAsync(CancellationToken ct)
    {
        List<Task<Learned?>> hosts;
        lock (_lock)
        {
            hosts = [.. _hosts.Values];
        }

        foreach (var host in hosts)
        {
            if (await host is { } learned)
            {
                await SaveAsync(learned, ct);
            }
        }
    }

    private Task<Learned?> ForAsync(string host)
    {
        lock (_lock)
        {
            if (_hosts.TryGetValue(host, out var found))
            {
                return found;
            }

            if (_hosts.Count >= MaxHosts)
            {
                return Task.FromResult<Learned?>(null);
            }

            var loading = LoadAsync(host);
            _hosts[host] = loading;
            return loading;
        }
    }

    private async Task<Learned?> LoadAsync(string host)
    {
        var kept = await store.FindTemplateAsync(host, CancellationToken.None);
        if (kept is null)
        {
            return new Learned(new SiteTemplate(host, secret), 0, 0);
        }

        try
        {
            return new Learned(SiteTemplate.Import(host, kept.State, secret), kept.BlocksDropped, kept.ContactsDropped);
        }
        catch (FormatException)
        {
            // Kept by another version or under another key: its hashes would not match; the site is learned again in a few pages.
            return new Learned(new SiteTemplate(host, secret), kept.BlocksDropped, kept.ContactsDropped);
        }
    }

    private Task SaveAsync(Learned learned, CancellationToken ct)
    {
        var t = learned.Template;
        return store.SaveTemplateAsync(new HostTemplate(t.Host, t.Export(), t.PagesSeen, t.TemplateBlockCount, t.TemplateContactCount,
            learned.BlocksDropped, learned.ContactsDropped, time.GetUtcNow()), ct);
    }

    /// <summary>One host's template with what it has dropped, over all runs.</summary>
    private sealed class Learned(SiteTemplate template, long blocksDropped, long contactsDropped)
    {
        private long _blocks = blocksDropped;
        private long _contacts = contactsDropped;
        private int _pages;
        private int _saving;

        public SiteTemplate Template { get; } = template;

        public long BlocksDropped => Interlocked.Read(ref _blocks);

        public long ContactsDropped => Interlocked.Read(ref _contacts);

        /// <summary>Counts a page's drops; true every <see cref="SaveEvery"/> pages, when the template is due to be kept.</summary>
        public bool Count(int blocks, int contacts)
        {
            Interlocked.Add(ref _blocks, blocks);
            Interlocked.Add(ref _contacts, contacts);
            return Interlocked.Increment(ref _pages) % SaveEvery == 0;
        }

        /// <summary>One save at a time: a page due while another saves leaves it to the next (or the run's end).</summary>
        public bool TryBeginSave() => Interlocked.CompareExchange(ref _saving, 1, 0) == 0;

        public void EndSave() => Volatile.Write(ref _saving, 0);
    }
}
