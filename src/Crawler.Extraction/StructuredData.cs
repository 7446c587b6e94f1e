using System.Globalization;
using System.Text.Json;

namespace Crawler.Extraction;

/// <summary>
/// What a page says about its ad in machine-readable form: JSON-LD (schema.org Product, Offer, Person,
/// Service, ProfilePage) and OpenGraph meta. Read only when the page describes exactly one such item: a
/// listing (ItemList, several products) describes other people's ads, and an Organization is the site
/// operator, so neither is read. Malformed JSON-LD is ignored, never an error.
/// </summary>
internal sealed class StructuredData
{
    private const int MaxJsonLdChars = 200_000;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = 32,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public string? Title { get; private set; }

    /// <summary>The page describes a list of items (ItemList, CollectionPage, SearchResultsPage, OfferCatalog).</summary>
    public bool Listing { get; private set; }

    /// <summary>
    /// The page describes itself as writing of the site's (BlogPosting, NewsArticle, Article, an about, contact or FAQ
    /// page) and describes no ad item: an article about the trade is no ad, whatever numbers it quotes.
    /// </summary>
    public bool Writing { get; private set; }

    public string? PersonName { get; private set; }

    public List<string> Telephones { get; } = [];

    public List<string> Emails { get; } = [];

    public List<string> Images { get; } = [];

    public string? Posted { get; private set; }

    public string? Sku { get; private set; }

    public List<string> Localities { get; } = [];

    public List<string> PostalCodes { get; } = [];

    public List<string> Nationalities { get; } = [];

    public List<string> Languages { get; } = [];

    public decimal? Price { get; private set; }

    public string? Currency { get; private set; }

    /// <param name="jsonLd">The page's JSON-LD blocks.</param>
    /// <param name="meta">Its OpenGraph and other meta properties.</param>
    /// <param name="page">Its address: an item whose url is this page describes the page's own subject, whatever its type.</param>
    public static StructuredData Read(IReadOnlyList<string> jsonLd, IReadOnlyList<(string Property, string Content)> meta, Uri? page = null)
    {
        var data = new StructuredData();
        foreach (var (property, content) in meta)
        {
            switch (property.ToLowerInvariant())
            {
                case "og:title":
                    data.Title ??= content.Trim();
                    break;
                case "og:image" or "og:image:url" or "og:image:secure_url" or "twitter:image":
                    AddOnce(data.Images, content.Trim());
                    break;
                case "article:published_time":
                    data.Posted ??= content.Trim();
                    break;
            }
        }

        var items = new List<JsonElement>();
        var listing = false;
        var writing = false;
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var text in jsonLd)
            {
                if (text.Length > MaxJsonLdChars)
                {
                    continue;
                }

                try
                {
                    var doc = JsonDocument.Parse(text, JsonOptions);
                    documents.Add(doc);
                    Collect(doc.RootElement, items, ref listing, ref writing, page);
                }
                catch (JsonException)
                {
                    // Broken JSON-LD is the site's problem; the visible page still counts.
                }
            }

            data.Listing = listing;
            data.Writing = writing && items.Count == 0;
            if (!listing && items.Count == 1)
            {
                data.ReadItem(items[0], depth: 0);
            }
        }
        finally
        {
            foreach (var d in documents)
            {
                d.Dispose();
            }
        }

        return data;
    }

    /// <summary>
    /// Top-level items (and those of an @graph) that describe one ad; notes whether the page is a listing or the
    /// site's own writing.
    /// </summary>
    private static void Collect(JsonElement e, List<JsonElement> items, ref bool listing, ref bool writing, Uri? page)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray())
            {
                Collect(x, items, ref listing, ref writing, page);
            }

            return;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (e.TryGetProperty("@graph", out var graph))
        {
            Collect(graph, items, ref listing, ref writing, page);
        }

        if (HasType(e, "ItemList", "CollectionPage", "SearchResultsPage", "OfferCatalog"))
        {
            listing = true;
        }
        else if (HasType(e, "Product", "IndividualProduct", "Offer", "Person", "Service"))
        {
            items.Add(e);
        }
        else if (HasType(e, "Article", "BlogPosting", "NewsArticle", "Report", "TechArticle", "AboutPage", "ContactPage", "FAQPage"))
        {
            writing = true;
        }
        else if (page is not null && IsPage(e, page) && !HasType(e, "Organization", "WebSite", "WebPage", "BreadcrumbList"))
        {
            // A business or other thing whose address is this page ("HealthAndBeautyBusiness" of a salon's ad) is its subject.
            items.Add(e);
        }
        else if (HasType(e, "ProfilePage") && e.TryGetProperty("mainEntity", out var main) && main.ValueKind == JsonValueKind.Object)
        {
            items.Add(main);
        }
    }

    private void ReadItem(JsonElement e, int depth)
    {
        // Nested, an organisation is the platform or the operator; at the top it is there only because its address is the page's.
        if (depth > 3 || e.ValueKind != JsonValueKind.Object || (depth > 0 && HasType(e, "Organization", "Corporation", "LocalBusiness", "WebSite")))
        {
            return;
        }

        var person = HasType(e, "Person");
        if (Text(e, "name") is { } name)
        {
            if (person)
            {
                PersonName ??= name;
            }
            else if (HasType(e, "Product", "IndividualProduct", "Service"))
            {
                Title ??= name;
            }
        }

        foreach (var t in Texts(e, "telephone"))
        {
            AddOnce(Telephones, t);
        }

        foreach (var m in Texts(e, "email"))
        {
            AddOnce(Emails, m.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? m[7..] : m);
        }

        foreach (var i in Urls(e, "image"))
        {
            AddOnce(Images, i);
        }

        Posted ??= Text(e, "datePosted") ?? Text(e, "datePublished") ?? Text(e, "uploadDate") ?? Text(e, "dateCreated");
        Sku ??= Text(e, "sku") ?? Text(e, "productID") ?? Identifier(e);
        ReadAddress(e, "address");
        ReadAddress(e, "areaServed");
        ReadAddress(e, "availableAtOrFrom");
        foreach (var n in Texts(e, "nationality"))
        {
            AddOnce(Nationalities, n);
        }

        foreach (var l in Texts(e, "knowsLanguage"))
        {
            AddOnce(Languages, l);
        }

        if (Price is null && Text(e, "price") is { } priceText &&
            decimal.TryParse(priceText, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) && price > 0)
        {
            Price = price;
            Currency = Text(e, "priceCurrency") ?? "EUR";
        }

        foreach (var nested in new[] { "offers", "seller", "mainEntity" })
        {
            if (!e.TryGetProperty(nested, out var child))
            {
                continue;
            }

            if (child.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in child.EnumerateArray())
                {
                    ReadItem(c, depth + 1);
                }
            }
            else
            {
                ReadItem(child, depth + 1);
            }
        }
    }

    private void ReadAddress(JsonElement e, string property)
    {
        if (!e.TryGetProperty(property, out var a))
        {
            return;
        }

        if (a.ValueKind == JsonValueKind.String)
        {
            AddOnce(Localities, a.GetString()!);
            return;
        }

        if (a.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (a.TryGetProperty("address", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            a = inner;
        }

        if ((Text(a, "addressLocality") ?? (HasType(a, "City", "Place", "AdministrativeArea") ? Text(a, "name") : null)) is { } locality)
        {
            AddOnce(Localities, locality);
        }

        if (Text(a, "postalCode") is { } postcode)
        {
            AddOnce(PostalCodes, postcode);
        }
    }

    /// <summary>Whether the item's url or @id is the page's address (scheme, "www.", a trailing slash and a fragment aside).</summary>
    private static bool IsPage(JsonElement e, Uri page)
    {
        foreach (var property in (ReadOnlySpan<string>)["url", "@id"])
        {
            if (Text(e, property) is { } value && Uri.TryCreate(page, value, out var address) && SameAddress(address, page))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameAddress(Uri a, Uri b) =>
        string.Equals(Host(a), Host(b), StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.AbsolutePath.TrimEnd('/'), b.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal) &&
        string.Equals(a.Query, b.Query, StringComparison.Ordinal);

    private static string Host(Uri u) => u.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? u.Host[4..] : u.Host;

    private static string? Identifier(JsonElement e)
    {
        if (!e.TryGetProperty("identifier", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            JsonValueKind.Object => Text(id, "value"),
            _ => null,
        };
    }

    private static bool HasType(JsonElement e, params string[] types)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("@type", out var t))
        {
            return false;
        }

        if (t.ValueKind == JsonValueKind.String)
        {
            return Matches(t.GetString()!, types);
        }

        if (t.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in t.EnumerateArray())
            {
                if (x.ValueKind == JsonValueKind.String && Matches(x.GetString()!, types))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Matches(string type, string[] types)
    {
        // "https://schema.org/Product" and "schema:Product" name the same type.
        var local = type[(Math.Max(type.LastIndexOf('/'), type.LastIndexOf(':')) + 1)..];
        return types.Contains(local, StringComparer.Ordinal);
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) ? Scalar(v) : null;

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String when v.GetString() is { Length: > 0 } s => s.Trim(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Object => Text(v, "name"),
        _ => null,
    };

    private static IEnumerable<string> Texts(JsonElement e, string property)
    {
        if (!e.TryGetProperty(property, out var v))
        {
            yield break;
        }

        if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in v.EnumerateArray())
            {
                if (Scalar(x) is { } s)
                {
                    yield return s;
                }
            }
        }
        else if (Scalar(v) is { } s)
        {
            yield return s;
        }
    }

    private static IEnumerable<string> Urls(JsonElement e, string property)
    {
        if (!e.TryGetProperty(property, out var v))
        {
            yield break;
        }

        foreach (var x in v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v])
        {
            if (x.ValueKind == JsonValueKind.String && x.GetString() is { Length: > 0 } s)
            {
                yield return s.Trim();
            }
            else if (x.ValueKind == JsonValueKind.Object && (Text(x, "contentUrl") ?? Text(x, "url")) is { } u)
            {
                yield return u;
            }
        }
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value))
        {
            list.Add(value);
        }
    }
}
