using System.Buffers.Binary;
using System.Security.Cryptography;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// What recurs on many pages of one host is the site's template, not any advertiser's: blocks of text (by their place
/// in the page and their words) and contact values. Learned page by page (each extraction with a template observes
/// the page, then drops what the template holds), kept as keyed 64-bit hashes with the number of pages each was seen
/// on, never as text. Memory is bounded: at most <see cref="MaxBlocks"/> block hashes and <see cref="MaxContacts"/>
/// contact hashes (12 bytes each in the serialised form; about 150 KB per host in memory at the most), the rarest
/// forgotten first when full. Safe to share between threads.
/// </summary>
public sealed class SiteTemplate
{
    public const int MaxBlocks = 4096;
    public const int MaxContacts = 1024;

    /// <summary>Seen on at least this many pages, and on at least half of the pages seen, a block or contact is template.</summary>
    public const int MinPages = 3;

    /// <summary>2: block hashes cover the text as one pass reads it (version 1 hashed a built string; its hashes would never match).</summary>
    private const byte FormatVersion = 2;

    private readonly Dictionary<ulong, int> _blocks = [];
    private readonly Dictionary<ulong, int> _contacts = [];
    private readonly ulong _key;
    private readonly Lock _lock = new();

    /// <param name="host">The host the pages come from.</param>
    /// <param name="key">Keys the hashes, so that a stored template cannot be searched for a phone number without it; random when not given.</param>
    public SiteTemplate(string host, ulong? key = null)
    {
        Host = host;
        _key = key ?? BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    }

    public string Host { get; }

    public int PagesSeen { get; private set; }

    public int BlockCount
    {
        get
        {
            lock (_lock)
            {
                return _blocks.Count;
            }
        }
    }

    public int ContactCount
    {
        get
        {
            lock (_lock)
            {
                return _contacts.Count;
            }
        }
    }

    /// <summary>
    /// What the template takes in memory now: its two tables at their present capacity (an entry of a hash, a count and
    /// the table's links, and a bucket, about 28 bytes), the bound being <see cref="MaxBlocks"/> and <see cref="MaxContacts"/>
    /// entries.
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            lock (_lock)
            {
                return (_blocks.EnsureCapacity(0) + _contacts.EnsureCapacity(0)) * 28L;
            }
        }
    }

    /// <summary>Block hashes that are template now (for the specialist's view: how many, not what).</summary>
    public int TemplateBlockCount
    {
        get
        {
            lock (_lock)
            {
                return _blocks.Values.Count(IsTemplate);
            }
        }
    }

    /// <summary>The hashes, counts and key as text (base64), for the crawl state: no page text and no contact in it.</summary>
    public string Serialise()
    {
        lock (_lock)
        {
            var bytes = new byte[1 + 8 + 4 + 4 + 4 + ((_blocks.Count + _contacts.Count) * 12)];
            var span = bytes.AsSpan();
            span[0] = FormatVersion;
            BinaryPrimitives.WriteUInt64LittleEndian(span[1..], _key);
            BinaryPrimitives.WriteInt32LittleEndian(span[9..], PagesSeen);
            BinaryPrimitives.WriteInt32LittleEndian(span[13..], _blocks.Count);
            BinaryPrimitives.WriteInt32LittleEndian(span[17..], _contacts.Count);
            var at = 21;
            foreach (var map in new[] { _blocks, _contacts })
            {
                foreach (var (hash, count) in map)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(span[at..], hash);
                    BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], count);
                    at += 12;
                }
            }

            return Convert.ToBase64String(bytes);
        }
    }

    /// <summary>A template as <see cref="Serialise"/> wrote it; throws <see cref="FormatException"/> for anything else.</summary>
    public static SiteTemplate Deserialise(string host, string text)
    {
        var bytes = Convert.FromBase64String(text);
        var span = bytes.AsSpan();
        if (span.Length < 21 || span[0] != FormatVersion)
        {
            throw new FormatException("not a site template (unknown format)");
        }

        var template = new SiteTemplate(host, BinaryPrimitives.ReadUInt64LittleEndian(span[1..]))
        {
            PagesSeen = BinaryPrimitives.ReadInt32LittleEndian(span[9..]),
        };
        var blocks = BinaryPrimitives.ReadInt32LittleEndian(span[13..]);
        var contacts = BinaryPrimitives.ReadInt32LittleEndian(span[17..]);
        if (blocks is < 0 or > MaxBlocks || contacts is < 0 or > MaxContacts || span.Length != 21 + ((blocks + contacts) * 12) || template.PagesSeen < 0)
        {
            throw new FormatException("not a site template (wrong length or counts)");
        }

        var at = 21;
        for (var i = 0; i < blocks + contacts; i++)
        {
            var map = i < blocks ? template._blocks : template._contacts;
            map[BinaryPrimitives.ReadUInt64LittleEndian(span[at..])] = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..]);
            at += 12;
        }

        return template;
    }

    /// <summary>Whether a contact value (E.164 number or lower-case address) recurs on the site's pages.</summary>
    public bool IsTemplateContact(string value)
    {
        lock (_lock)
        {
            return _contacts.TryGetValue(Hash(value), out var count) && IsTemplate(count);
        }
    }

    /// <summary>Counts the page's contact values (once each).</summary>
    internal void ObserveContacts(IEnumerable<string> values)
    {
        lock (_lock)
        {
            foreach (var v in values.Distinct(StringComparer.Ordinal))
            {
                Count(_contacts, Hash(v), MaxContacts);
            }
        }
    }

    /// <summary>
    /// Counts the page (and its blocks, once each), then removes the blocks that are template. Returns how many were
    /// removed. A block is an element with text of its own that is long or holds six digits or an '@'; its hash covers its path from the body and that text.
    /// </summary>
    internal int ObserveAndStrip(IElement body)
    {
        var blocks = new List<(IElement Element, ulong Hash)>();
        var path = new Stack<(IElement Element, ulong PathHash)>();
        path.Push((body, Mix(_key, "body")));
        while (path.Count > 0)
        {
            var (e, pathHash) = path.Pop();
            if (OwnText(e, pathHash) is { } hash)
            {
                blocks.Add((e, hash));
            }

            foreach (var child in e.Children)
            {
                path.Push((child, Mix(pathHash, child.LocalName)));
            }
        }

        lock (_lock)
        {
            PagesSeen++;
            var seen = new HashSet<ulong>();
            foreach (var (_, hash) in blocks)
            {
                if (seen.Add(hash))
                {
                    Count(_blocks, hash, MaxBlocks);
                }
            }

            var removed = 0;
            foreach (var (element, hash) in blocks)
            {
                if (_blocks.TryGetValue(hash, out var count) && IsTemplate(count) && element.Parent is not null)
                {
                    element.Remove();
                    removed++;
                }
            }

            return removed;
        }
    }

    /// <summary>
    /// The hash of an element's own text (its text nodes, not its children's; lower case, white space runs as one
    /// space, trimmed) on top of its path, when that text tells: long enough to be a sentence of the site (30
    /// characters), or holding what could be a contact (an '@', six digits). Short labels ("Telefoon:", "1 uur") recur on
    /// every ad of a site too, and are kept, since the ad's values need them. Null otherwise. Built in one pass, no string.
    /// </summary>
    private static ulong? OwnText(IElement e, ulong pathHash)
    {
        var h = pathHash;
        int length = 0, digits = 0;
        var at = false;
        var space = false;
        foreach (var n in e.ChildNodes)
        {
            if (n is not IText t)
            {
                continue;
            }

            foreach (var c in t.Data)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = length > 0;
                    continue;
                }

                if (space)
                {
                    h = (h ^ ' ') * 1099511628211UL;
                    length++;
                    space = false;
                }

                h = (h ^ char.ToLowerInvariant(c)) * 1099511628211UL;
                length++;
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                at |= c == '@';
            }

            // Text nodes of one element read as one text with a space between them.
            space = length > 0;
        }

        return length >= 30 || at || digits >= 6 ? h : null;
    }

    private bool IsTemplate(int count) => count >= MinPages && count * 2 >= PagesSeen;

    private static void Count(Dictionary<ulong, int> map, ulong hash, int max)
    {
        if (map.TryGetValue(hash, out var count))
        {
            map[hash] = count + 1;
            return;
        }

        if (map.Count >= max)
        {
            // Full: forget what was seen once (least evidence); if everything was seen more often, the newest waits.
            var once = map.Where(kv => kv.Value <= 1).Select(kv => kv.Key).ToList();
            foreach (var k in once)
            {
                map.Remove(k);
            }

            if (map.Count >= max)
            {
                return;
            }
        }

        map[hash] = 1;
    }

    private ulong Hash(string value) => Mix(_key ^ 0x9E3779B97F4A7C15UL, value);

    /// <summary>FNV-1a over the text, seeded: stable across processes (string.GetHashCode is not), and fast.</summary>
    private static ulong Mix(ulong seed, string text)
    {
        var h = seed ^ 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }
}
