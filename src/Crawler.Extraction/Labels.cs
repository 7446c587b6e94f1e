using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>What a label of a label/value pair announces.</summary>
internal enum LabelKind
{
    Other,
    Name,
    Age,
    Origin,
    Languages,
    Place,
    Postcode,
    Incall,
    Outcall,
    Services,
    Posted,
    AdId,
    WhatsApp,
    Telegram,
    Snapchat,
    Signal,
    Instagram,
    OnlyFans,
}

/// <summary>A label and its value as the page pairs them ("Nationaliteit" / "Roemeense").</summary>
internal readonly record struct LabelValue(LabelKind Kind, string Label, string Value);

/// <summary>
/// Label/value structures read as such: <c>dl/dt/dd</c>, two-column table rows, containers whose children
/// are a label and a value, and "Label: value" lines of the text.
/// </summary>
internal static class Labels
{
    private static readonly Dictionary<string, LabelKind> Known = Build();

    /// <summary>Table rows, parsed once.</summary>
    internal static readonly ISelector Row = new CssSelectorParser().ParseSelector("tr")!;

    private static readonly Dictionary<string, LabelKind>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, LabelKind> Build()
    {
        var map = new Dictionary<string, LabelKind>(StringComparer.Ordinal);
        void Add(LabelKind kind, params string[] labels)
        {
            foreach (var l in labels)
            {
                map[Normalise(l)] = kind;
            }
        }

        Add(LabelKind.Name, "naam", "name", "werknaam", "working name", "mijn naam", "my name", "roepnaam", "alias");
        Add(LabelKind.Age, "leeftijd", "leeftijden", "age", "ages", "alter", "âge", "age des filles", "jaren", "years");
        Add(LabelKind.Origin, "nationaliteit", "nationality", "afkomst", "herkomst", "origin", "origine", "etniciteit", "ethnicity",
            "afkomstig uit", "land van herkomst", "country of origin", "heritage", "roots");
        Add(LabelKind.Languages, "talen", "taal", "languages", "language", "spreekt", "spreek", "ik spreek", "speaks", "i speak",
            "languages spoken", "spoken languages", "gesproken talen");
        Add(LabelKind.Place, "stad", "plaats", "woonplaats", "city", "location", "locatie", "regio", "region", "werkgebied", "area",
            "town", "gemeente", "omgeving", "provincie", "werkplaats", "based in", "standplaats", "adres", "address", "thuisbasis",
            "ville", "localité", "lieu", "région", "adresse", "commune", "ort", "stadt", "wohnort", "einsatzort", "standort", "arbeitsort",
            "bundesland", "gegend");
        Add(LabelKind.Postcode, "postcode", "zip", "zip code", "postal code", "postcodegebied", "code postal", "cp", "plz", "postleitzahl");
        Add(LabelKind.Incall, "ontvangst", "incall", "privé ontvangst", "prive ontvangst", "ontvangen", "thuisontvangst", "receiving");
        Add(LabelKind.Outcall, "escort", "outcall", "hotelbezoek", "huisbezoek", "visits", "bezoek aan huis");
        Add(LabelKind.Services, "services", "service", "diensten", "mogelijkheden", "extra's", "extras", "specialiteiten",
            "specialties", "specialities", "wat ik doe", "what i do", "ik bied", "i offer");
        Add(LabelKind.Posted, "geplaatst", "geplaatst op", "datum", "date", "posted", "posted on", "published", "gepubliceerd",
            "online sinds", "online since", "plaatsingsdatum", "date posted");
        Add(LabelKind.AdId, "advertentie-id", "advertentie id", "advertentieid", "advertentienummer", "advertentie nr", "advertentienr",
            "ad id", "ad-id", "adid", "ad number", "ad no", "ad nr", "listing id", "listing", "profiel id", "profile id", "profielnummer",
            "profile number", "id", "advertentiecode", "ad code");
        Add(LabelKind.WhatsApp, "whatsapp", "whats app", "wa", "app");
        Add(LabelKind.Telegram, "telegram", "tg");
        Add(LabelKind.Snapchat, "snapchat", "snap", "sc");
        Add(LabelKind.Signal, "signal");
        Add(LabelKind.Instagram, "instagram", "insta", "ig");
        Add(LabelKind.OnlyFans, "onlyfans", "only fans");
        return map;
    }

    /// <summary>Folded, with hyphens, dots and runs of spaces as one space and the trailing colon gone.</summary>
    private static string Normalise(string label)
    {
        Span<char> buffer = stackalloc char[Math.Min(label.Length, 64)];
        var n = Normalise(label.AsSpan(0, Math.Min(label.Length, 64)), buffer);
        return buffer[..n].ToString();
    }

    private static int Normalise(ReadOnlySpan<char> label, Span<char> into)
    {
        var n = 0;
        var space = false;
        foreach (var c in label)
        {
            var f = TokenizedText.Fold(c);
            if (char.IsWhiteSpace(f) || f is '-' or '_' or '.' or ':' or '/')
            {
                space = n > 0;
                continue;
            }

            if (space)
            {
                into[n++] = ' ';
                space = false;
            }

            into[n++] = f;
        }

        // "advertentie-id" and "advertentie id" are one label; so are "whats app" and "whatsapp" (added both ways above).
        return n;
    }

    public static LabelKind KindOf(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > 40)
        {
            return LabelKind.Other;
        }

        Span<char> buffer = stackalloc char[label.Length];
        var n = Normalise(label, buffer);
        return Lookup.TryGetValue(buffer[..n], out var kind) ? kind : LabelKind.Other;
    }

    /// <summary>Pairs from a <c>dl</c>, a table of two-column rows, or a container whose children each hold a label and a value.</summary>
    public static void Read(IElement structure, List<LabelValue> into)
    {
        switch (structure.LocalName)
        {
            case "dl":
                ReadDefinitionList(structure, into);
                break;
            case "table":
                foreach (var row in structure.ChildNodes.QuerySelectorAll(Row))
                {
                    // A label and its value, or a label and one value per person or column ("Alter | 25 | 28").
                    var cells = row.Children;
                    for (var c = 1; c < cells.Length && cells[c].LocalName == "td"; c++)
                    {
                        AddPair(cells[0].TextContent, cells[c].TextContent, into);
                    }
                }

                break;
            default:
                foreach (var child in structure.Children)
                {
                    if (child.Children.Length == 2)
                    {
                        AddPair(child.Children[0].TextContent, child.Children[1].TextContent, into);
                    }
                    else
                    {
                        ReadLine(child.TextContent, into);
                    }
                }

                break;
        }
    }

    private static void ReadDefinitionList(IElement dl, List<LabelValue> into)
    {
        foreach (var (term, value) in DefinitionPairs(dl))
        {
            AddPair(term, value, into);
        }
    }

    /// <summary>The term and value texts of a <c>dl</c>, each <c>dd</c> with the <c>dt</c> before it.</summary>
    public static IEnumerable<(string Term, string Value)> DefinitionPairs(IElement dl)
    {
        string? term = null;
        foreach (var child in dl.Children)
        {
            // Some sites wrap each dt/dd pair in a div, which HTML allows.
            if (child.LocalName == "div")
            {
                foreach (var pair in DefinitionPairs(child))
                {
                    yield return pair;
                }

                continue;
            }

            if (child.LocalName == "dt")
            {
                term = child.TextContent;
            }
            else if (child.LocalName == "dd" && term is not null)
            {
                yield return (term, child.TextContent);
            }
        }
    }

    /// <summary>"Naam: Lisa" as a pair; lines whose label is unknown are left to the prose readers.</summary>
    public static void ReadLine(ReadOnlySpan<char> line, List<LabelValue> into)
    {
        var colon = line.IndexOf(':');
        if (colon <= 0 || colon > 40)
        {
            return;
        }

        var kind = KindOf(line[..colon].Trim());
        if (kind == LabelKind.Other)
        {
            return;
        }

        // In running text the value ends with its sentence: "Nationaliteit: Nederlandse. Ik spreek ...".
        var value = line[(colon + 1)..];
        value = value[..SentenceEnd(value)].Trim().TrimEnd('.');
        if (value.Length > 0)
        {
            into.Add(new LabelValue(kind, line[..colon].Trim().ToString(), value.ToString()));
        }
    }

    private static int SentenceEnd(ReadOnlySpan<char> s)
    {
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (s[i] is '.' or ';' or '!' or '?' && s[i + 1] == ' ')
            {
                return i;
            }
        }

        return s.Length;
    }

    /// <summary>Every "Label: value" line of the text.</summary>
    public static void ReadLines(string text, List<LabelValue> into)
    {
        var rest = text.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            if (line.IndexOf(':') is > 0 and <= 40)
            {
                ReadLine(line, into);
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }
    }

    private static void AddPair(string label, string value, List<LabelValue> into)
    {
        var l = label.AsSpan().Trim().TrimEnd(':').Trim();
        var kind = KindOf(l);
        var v = Collapse(value);
        if (kind != LabelKind.Other && v.Length > 0)
        {
            into.Add(new LabelValue(kind, l.ToString(), v));
        }
    }

    private static string Collapse(string s)
    {
        var b = new TextBuilder(s.Length);
        b.Append(s.Replace('\n', ' '));
        return b.ToString();
    }
}
