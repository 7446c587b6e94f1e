using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// What recurs on many pages of one host is the site's template, not any advertiser's: blocks of text (by their place
/// in the page and their words) and contact values. Learned page by page (each extraction with a template observes
/// the page, then drops what the template holds), kept as keyed 64-bit hashes (SipHash-2-4 under a key of the host's,
/// derived from the crawl's secret) with the number of pages each was seen on, never as text.
/// <para>
/// Kept per host with the crawl state: <see cref="Export"/> gives the state (hashes and counts, no key, no page text),
/// <see cref="Import"/> takes it back with the same secret. Without the secret the state cannot be searched for a
/// phone number or a sentence: a hash of a guess can only be made with the key.
/// </para>
/// <para>
/// Bounded per host: at most <see cref="MaxBlocks"/> block and <see cref="MaxContacts"/> contact hashes, the rarest
/// forgotten first when full; at most <see cref="MaxMemoryBytes"/> in memory and <see cref="MaxStateChars"/> characters
/// of exported state. Safe to share between threads.
/// </para>
/// </summary>
public sealed class SiteTemplate
{
    /// <summary>
    /// At most this many block hashes: 4,000, the most a table of 4,049 slots holds (a table grows to the next size of
    /// its series, 4,049 after 1,931, and a larger maximum would make it grow to 8,419).
    /// </summary>
    public const int MaxBlocks = 4000;

    /// <summary>At most this many contact hashes: 900, held in 919 slots.</summary>
    public const int MaxContacts = 900;

    /// <summary>Seen on at least this many pages, and on at least half of the pages seen, a block or contact is template.</summary>
    public const int MinPages = 3;

    /// <summary>The least length of the secret a template's key is derived from.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>
    /// The most a template's tables take in memory: a table slot of a hash, a count, the table's links and a bucket is
    /// 28 bytes, and the tables at their maximum have 4,049 and 919 slots: 139,104 bytes, with the objects' headers
    /// 139,616 (136 KiB) per host.
    /// </summary>
    public const int MaxMemoryBytes = ((4049 + 919) * SlotBytes) + 512;

    /// <summary>The longest exported state: a 29-byte head and 12 bytes a hash, in base64 (78,440 characters, 58,829 bytes).</summary>
    public const int MaxStateChars = (HeadBytes + ((MaxBlocks + MaxContacts) * EntryBytes) + 2) / 3 * 4;

    /// <summary>3: keyed by SipHash under a key derived from the crawl's secret and the host; the key is not in the state.</summary>
    private const byte FormatVersion = 3;

    private const int HeadBytes = 1 + 8 + 4 + 4 + 4 + 8;
    private const int EntryBytes = 12;
    private const int SlotBytes = 28;

    private readonly Dictionary<ulong, int> _blocks = [];
    private readonly Dictionary<ulong, int> _contacts = [];
    private readonly SipHash _hash;
    private readonly ulong _pathSeed;
    private readonly ulong _check;
    private readonly Lock _lock = new();
    private int _blocksSweptAt = -1;
    private int _contactsSweptAt = -1;

    /// <summary>A template for one run only (<c>crawler extract</c>): keyed by a random secret, so its state cannot be imported.</summary>
    public SiteTemplate(string host)
        : this(host, RandomNumberGenerator.GetBytes(32))
    {
    }

    /// <param name="host">The host the pages come from.</param>
    /// <param name="secret">
    /// The crawl's secret (at least <see cref="MinSecretBytes"/> bytes, kept apart from the crawl state); the host's
    /// key is derived from it (HMAC-SHA256 of the host), so one secret serves every host and no two hosts hash alike.
    /// </param>
    public SiteTemplate(string host, ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"the secret needs at least {MinSecretBytes} bytes", nameof(secret));
        }

        Host = host;
        Span<byte> key = stackalloc byte[32];
        HMACSHA256.HashData(secret, System.Text.Encoding.UTF8.GetBytes(host.ToLowerInvariant()), key);
        _hash = SipHash.FromKey(key);
        _pathSeed = _hash.Hash("body"u8);
        _check = _hash.Hash("crawler site template"u8);
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

    /// <summary>What the template's tables take in memory now (their slots at present capacity); never above <see cref="MaxMemoryBytes"/>.</summary>
    public long MemoryBytes
    {
        get
        {
            lock (_lock)
            {
                return (_blocks.EnsureCapacity(0) + _contacts.EnsureCapacity(0)) * (long)SlotBytes;
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

    /// <summary>Contact hashes that are template now (how many, not which).</summary>
    public int TemplateContactCount
    {
        get
        {
            lock (_lock)
            {
                return _contacts.Values.Count(IsTemplate);
            }
        }
    }

    /// <summary>
    /// The template's state for the crawl state, as base64 text of at most <see cref="MaxStateChars"/> characters:
    /// the pages seen, each keyed hash with its count, and a check value of the key (so a state is never read with
    /// another secret). No page text, no contact value, no key.
    /// </summary>
    public string Export()
    {
        lock (_lock)
        {
            var bytes = new byte[HeadBytes + ((_blocks.Count + _contacts.Count) * EntryBytes)];
            var span = bytes.AsSpan();
            span[0] = FormatVersion;
            BinaryPrimitives.WriteUInt64LittleEndian(span[1..], _check);
            BinaryPrimitives.WriteInt32LittleEndian(span[9..], PagesSeen);
            BinaryPrimitives.WriteInt32LittleEndian(span[13..], _blocks.Count);
            BinaryPrimitives.WriteInt32LittleEndian(span[17..], _contacts.Count);
            var at = HeadBytes;
            foreach (var map in new[] { _blocks, _contacts })
            {
                foreach (var (hash, count) in map)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(span[at..], hash);
                    BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], count);
                    at += EntryBytes;
                }
            }

            return Convert.ToBase64String(bytes);
        }
    }

    /// <summary>
    /// A template as <see cref="Export"/> wrote it for this host, with the secret it was made with. Throws
    /// <see cref="FormatException"/> for anything else: another format, wrong counts or length, another host or secret.
    /// A state of an earlier format (its hashes would not match) is refused too: the caller starts a new template,
    /// which learns the site again within <see cref="MinPages"/> pages.
    /// </summary>
    public static SiteTemplate Import(string host, string state, ReadOnlySpan<byte> secret)
    {
        if (state.Length > MaxStateChars)
        {
            throw new FormatException("not a site template (longer than any)");
        }

        var bytes = Convert.FromBase64String(state);
        var span = bytes.AsSpan();
        if (span.Length < HeadBytes || span[0] != FormatVersion)
        {
            throw new FormatException("not a site template (unknown format)");
        }

        var template = new SiteTemplate(host, secret);
        if (BinaryPrimitives.ReadUInt64LittleEndian(span[1..]) != template._check)
        {
            throw new FormatException("the site template was made for another host or with another secret");
        }

        template.PagesSeen = BinaryPrimitives.ReadInt32LittleEndian(span[9..]);
        var blocks = BinaryPrimitives.ReadInt32LittleEndian(span[13..]);
        var contacts = BinaryPrimitives.ReadInt32LittleEndian(span[17..]);
        if (blocks is < 0 or > MaxBlocks || contacts is < 0 or > MaxContacts || span.Length != HeadBytes + ((blocks + contacts) * EntryBytes) ||
            template.PagesSeen < 0)
        {
            throw new FormatException("not a site template (wrong length or counts)");
        }

        var at = HeadBytes;
        for (var i = 0; i < blocks + contacts; i++)
        {
            var map = i < blocks ? template._blocks : template._contacts;
            map[BinaryPrimitives.ReadUInt64LittleEndian(span[at..])] = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..]);
            at += EntryBytes;
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
                Count(_contacts, Hash(v), MaxContacts, ref _contactsSweptAt);
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
        path.Push((body, _pathSeed));
        while (path.Count > 0)
        {
            var (e, pathHash) = path.Pop();
            if (OwnText(e, pathHash) is { } hash)
            {
                blocks.Add((e, _hash.Hash(hash)));
            }

            var nodes = e.ChildNodes;
            for (var i = 0; i < nodes.Length; i++)
            {
                if (nodes[i] is IElement child)
                {
                    path.Push((child, Mix(pathHash, child.LocalName)));
                }
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
                    Count(_blocks, hash, MaxBlocks, ref _blocksSweptAt);
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
        var nodes = e.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] is not IText t)
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

    /// <summary>
    /// Counts a hash. When the table is full, what was seen on one page only goes (least evidence); failing that, what
    /// is not template now; failing that, the newest waits. A full table is swept at most once a page, so a page costs
    /// no more when the template is at its bound.
    /// </summary>
    private void Count(Dictionary<ulong, int> map, ulong hash, int max, ref int sweptAtPage)
    {
        if (map.TryGetValue(hash, out var count))
        {
            map[hash] = count + 1;
            return;
        }

        if (map.Count >= max)
        {
            if (sweptAtPage == PagesSeen)
            {
                return;
            }

            sweptAtPage = PagesSeen;
            var forget = map.Where(kv => kv.Value <= 1).Select(kv => kv.Key).ToList();
            if (forget.Count == 0)
            {
                forget = map.Where(kv => !IsTemplate(kv.Value)).Select(kv => kv.Key).ToList();
            }

            foreach (var k in forget)
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

    private ulong Hash(string value) => _hash.Hash(MemoryMarshal.AsBytes(value.AsSpan()));

    /// <summary>FNV-1a over the text, seeded: stable across processes (string.GetHashCode is not), and fast; keyed after, by <see cref="SipHash"/>.</summary>
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
