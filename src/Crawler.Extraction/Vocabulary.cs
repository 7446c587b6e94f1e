namespace Crawler.Extraction;

/// <summary>What a word or phrase of an ad can mean; one phrase can mean several things ("Roemeens": a language and an origin).</summary>
internal enum TermKind
{
    /// <summary>A language name ("Engels", "Romanian"): a spoken language after "spreek", "speaks", "Talen:".</summary>
    Language,

    /// <summary>An adjective that is also a language ("Roemeens", "Romanian"): an origin only with a person noun, after "ik ben"/"I am", or as a label value.</summary>
    OriginAdjective,

    /// <summary>A form that only states origin ("Roemeense", "Latina", "Aziatische").</summary>
    OriginWord,

    /// <summary>A country ("Roemenië", "Romania"): an origin after "uit", "from", "afkomstig".</summary>
    Country,

    Venue,
    Service,
    Negation,

    /// <summary>"wel", "maar", "but": a negation before it does not reach past it.</summary>
    Contrast,
    LanguageCue,

    /// <summary>"spoken", "gesproken": the languages before it were languages.</summary>
    LanguageAfterCue,
    OriginCue,
    PlaceCue,
    PersonNoun,
    SelfCue,
    Place,
}

/// <summary>One meaning of a phrase. <see cref="Codes"/>: the canonical values it stands for.</summary>
internal sealed record Term(TermKind Kind, string[] Codes, bool Ambiguous = false, int CapitalAt = 0, PlaceSpelling? Place = null);

/// <summary>
/// The Dutch and English lexicon of ads: origins (nationality and ethnicity claims), spoken languages,
/// venues and incall/outcall, services, and the cue words around them. Small on purpose: every entry
/// is a value the feature can take, so precision can be checked by reading the list.
/// </summary>
internal static class Vocabulary
{
    /// <summary>
    /// Canonical origin, language code (ISO 639-1, or empty), then Dutch adjective (also the language),
    /// Dutch inflected forms and person nouns, Dutch country, English adjective (also the language), English country.
    /// Forms within a cell are separated by '/'.
    /// </summary>
    private static readonly string[][] Origins =
    [
        ["romanian", "ro", "Roemeens", "Roemeense/Roemeen", "Roemenië", "Romanian", "Romania"],
        ["bulgarian", "bg", "Bulgaars", "Bulgaarse/Bulgaar", "Bulgarije", "Bulgarian", "Bulgaria"],
        ["hungarian", "hu", "Hongaars", "Hongaarse/Hongaar", "Hongarije", "Hungarian", "Hungary"],
        ["polish", "pl", "Pools", "Poolse", "Polen", "Polish", "Poland"],
        ["ukrainian", "uk", "Oekraïens", "Oekraïense/Oekraïner/Oekraïnse", "Oekraïne", "Ukrainian", "Ukraine"],
        ["russian", "ru", "Russisch", "Russische/Russin", "Rusland", "Russian", "Russia"],
        ["moldovan", "", "Moldavisch", "Moldavische/Moldaviër", "Moldavië/Moldova", "Moldovan/Moldavian", "Moldova"],
        ["czech", "cs", "Tsjechisch", "Tsjechische", "Tsjechië", "Czech", "Czechia/Czech Republic"],
        ["slovak", "sk", "Slowaaks", "Slowaakse", "Slowakije", "Slovak/Slovakian", "Slovakia"],
        ["lithuanian", "lt", "Litouws", "Litouwse", "Litouwen", "Lithuanian", "Lithuania"],
        ["latvian", "lv", "", "Letse", "Letland", "Latvian", "Latvia"],
        ["serbian", "sr", "Servisch", "Servische", "Servië", "Serbian", "Serbia"],
        ["croatian", "hr", "Kroatisch", "Kroatische", "Kroatië", "Croatian", "Croatia"],
        ["albanian", "sq", "Albanees", "Albanese", "Albanië", "Albanian", "Albania"],
        ["dutch", "nl", "Nederlands/Hollands", "Nederlandse/Hollandse", "Nederland/Holland", "Dutch", "Netherlands/the Netherlands/Holland"],
        ["belgian", "", "Belgisch", "Belgische", "België", "Belgian", "Belgium"],
        ["german", "de", "Duits", "Duitse", "Duitsland", "German", "Germany"],
        ["french", "fr", "Frans", "Franse", "Frankrijk", "French", "France"],
        ["spanish", "es", "Spaans", "Spaanse", "Spanje", "Spanish", "Spain"],
        ["italian", "it", "Italiaans", "Italiaanse", "Italië", "Italian", "Italy"],
        ["portuguese", "pt", "Portugees", "Portugese", "Portugal", "Portuguese", "Portugal"],
        ["british", "en", "Engels", "Engelse/Britse", "Engeland/Groot-Brittannië", "English/British", "England/Britain/United Kingdom"],
        ["brazilian", "", "Braziliaans", "Braziliaanse", "Brazilië", "Brazilian", "Brazil"],
        ["colombian", "", "Colombiaans", "Colombiaanse", "Colombia", "Colombian", "Colombia"],
        ["venezuelan", "", "Venezolaans", "Venezolaanse", "Venezuela", "Venezuelan", "Venezuela"],
        ["dominican", "", "Dominicaans", "Dominicaanse", "Dominicaanse Republiek", "Dominican", "Dominican Republic"],
        ["cuban", "", "Cubaans", "Cubaanse", "Cuba", "Cuban", "Cuba"],
        ["mexican", "", "Mexicaans", "Mexicaanse", "Mexico", "Mexican", "Mexico"],
        ["thai", "th", "Thais", "Thaise", "Thailand", "Thai", "Thailand"],
        ["chinese", "zh", "Chinees", "Chinese", "China", "Chinese", "China"],
        ["vietnamese", "vi", "Vietnamees", "Vietnamese", "Vietnam", "Vietnamese", "Vietnam"],
        ["filipino", "tl", "Filipijns", "Filipijnse/Filipina", "Filipijnen", "Filipino/Filipina", "Philippines"],
        ["japanese", "ja", "Japans", "Japanse", "Japan", "Japanese", "Japan"],
        ["indonesian", "id", "Indonesisch", "Indonesische", "Indonesië", "Indonesian", "Indonesia"],
        ["nigerian", "", "Nigeriaans", "Nigeriaanse", "Nigeria", "Nigerian", "Nigeria"],
        ["ghanaian", "", "Ghanees", "Ghanese", "Ghana", "Ghanaian", "Ghana"],
        ["moroccan", "", "Marokkaans", "Marokkaanse", "Marokko", "Moroccan", "Morocco"],
        ["turkish", "tr", "Turks", "Turkse", "Turkije", "Turkish", "Turkey"],
        ["surinamese", "", "Surinaams", "Surinaamse", "Suriname", "Surinamese", "Suriname"],
    ];

    /// <summary>Ethnic groups claimed in ads: only ever an origin claim, never a language.</summary>
    private static readonly (string Code, string Forms)[] Groups =
    [
        ("latina", "Latina/Latino/Latijnse/Latijns-Amerikaanse/Latin American/Zuid-Amerikaanse/South American"),
        ("asian", "Aziatische/Aziatisch/Asian/Oosterse"),
        ("eastern-european", "Oost-Europese/Oost-Europees/Eastern European/East European"),
        ("african", "Afrikaanse/African"),
        ("caribbean", "Caribische/Antilliaanse/Caribbean/Antillean"),
        ("arab", "Arabische/Arab"),
    ];

    /// <summary>Languages without an origin of their own in the table above.</summary>
    private static readonly (string Code, string Forms)[] OtherLanguages =
    [
        ("ar", "Arabisch/Arabic"),
        ("ro", "Moldavisch/Moldovan"),
        ("pt", "Braziliaans/Brazilian Portuguese"),
        ("es", "Castellano"),
        ("nl", "Vlaams/Flemish"),
    ];

    /// <summary>Incall/outcall and where it happens. Codes: incall, outcall, hotel, home, car, holiday-park, private-house.</summary>
    private static readonly (string Phrases, string Codes)[] Venues =
    [
        ("ontvangst/ontvang/ontvangt/incall/incalls/in call/privé ontvangst/receive guests/receive you/receive clients/my place/mijn appartement/my apartment/mijn werkruimte/mijn werkkamer", "incall"),
        ("thuisontvangst/bij mij thuis/at my home/at my place", "incall home"),
        ("privéhuis/privé huis/privé-huis/private house/privehuis", "incall private-house"),
        ("escort/escorts/escortservice/outcall/outcalls/out call/kom naar je toe/kom ik naar je toe/naar jou toe/come to you/visit you/i visit", "outcall"),
        ("hotelbezoek/hotelbezoeken/hotel visit/hotel visits/hotel visiting", "outcall hotel"),
        ("bij jou thuis/bij je thuis/huisbezoek/huisbezoeken/at your home/at your place/home visit/home visits", "outcall home"),
        ("hotel/hotels/hotelkamer/hotel room/hotelroom", "hotel"),
        ("auto/in de auto/in the car/car/autoseks/car sex", "car"),
        ("vakantiepark/bungalowpark/bungalow/chalet/camping/vakantiehuis/vakantiewoning/vakantiehuisje/holiday park/holiday home/holiday cottage/caravan/stacaravan", "holiday-park"),
    ];

    /// <summary>A small service lexicon. "zonder condoom" and its synonyms feed the high-risk indicator; the codes are neutral.</summary>
    private static readonly (string Phrases, string Code)[] Services =
    [
        ("gfe/girlfriend experience/girlfriend-experience/vriendinnen ervaring", "gfe"),
        ("pse/pornstar experience/porn star experience", "pse"),
        ("massage/massages/erotische massage/erotic massage/tantra/tantramassage/tantra massage/nuru/body to body/bodymassage", "massage"),
        ("pijpen/orale seks/oral/oraal/blowjob/bj", "oral"),
        ("zonder condoom/zonder rubber/zc/bareback/bbbj/bbfs/without condom/without a condom/no condom", "no-condom"),
        ("anaal/anal/grieks/greek", "anal"),
        ("tongzoenen/zoenen/french kissing/kissing/dfk", "kissing"),
        ("bdsm/domina/meesteres/bondage/dominant/dominante/submissive/onderdanig/sm", "bdsm"),
        ("striptease/lapdance/lap dance/paaldans", "striptease"),
        ("dinner date/dinner dates/dinnerdate/diner date/uit eten", "dinner-date"),
        ("overnight/overnachting/hele nacht/whole night/all night", "overnight"),
        ("duo/trio/triootje/threesome", "duo"),
        ("alles mogelijk/alles kan/anything goes/no limits", "anything-goes"),
    ];

    private static readonly string[] Negations =
        ["geen", "niet", "nooit", "no", "not", "never", "don't", "dont", "doesn't", "kein", "keine", "keinen", "nicht", "nie", "niemals", "ohne", "pas",
         "jamais", "sans", "aucun", "aucune"];

    /// <summary>
    /// Negations that close a term's clause after it ("anaal doe ik niet"). With the two below, the
    /// <c>negation.after</c> block of policies/indicators.yaml, which extraction does not read: a test keeps them
    /// equal, so the services an ad records agree with its score.
    /// </summary>
    public static readonly string[] NegationsAfter =
        ["niet", "nee", "neen", "nooit", "no", "not", "never", "non", "pas", "jamais", "nein", "nicht", "nie", "niemals"];

    /// <summary>Words that may stand between a negation after a term and the end of its clause ("niet mogelijk").</summary>
    public static readonly string[] NegationCompletions =
        ["mogelijk", "aan", "toegestaan", "bespreekbaar", "gedaan", "possible", "offered", "available", "allowed", "done", "propose", "accepte",
        "pratique", "moglich", "angeboten", "erlaubt"];

    /// <summary>The only words that may stand between a term and a negation after it ("anaal doe ik niet"; not "bareback en ik rook niet").</summary>
    public static readonly string[] NegationBetween =
        ["doe", "doen", "ik", "is", "kan", "bied", "biedt", "bieden", "wordt", "word", "worden", "zijn", "dat", "dit", "het", "je", "jij", "we",
        "wij", "hier", "ook", "helaas", "echt", "absoluut", "zeker", "wil", "zeg", "heb", "hebben", "meiden", "meisjes", "dames", "vrouwen", "i",
        "it", "are", "am", "do", "does", "this", "that", "also", "sorry", "absolutely", "definitely", "can", "will", "say", "have", "has", "girls",
        "ladies", "women", "ne", "fais", "fait", "est", "ce", "suis", "propose", "pratique", "accepte", "vraiment", "absolument", "aussi",
        "ich", "mache", "machen", "ist", "wird", "gibt", "es", "das", "biete", "bieten", "leider", "auch", "wirklich", "absolut", "definitiv"];

    /// <summary>How many words may stand between a term and a negation after it.</summary>
    public const int NegationAfterWindow = 3;

    private static readonly string[] Contrasts = ["wel", "maar", "but", "only", "alleen", "however", "aber", "nur", "sondern", "mais", "seulement"];

    private static readonly string[] LanguageCues =
        ["spreek", "spreekt", "spreken", "speak", "speaks", "speaking", "talen", "taal", "languages", "language", "spreche", "sprechen", "spricht", "sprachen", "sprache", "parle", "parlons", "langues", "langue"];

    private static readonly string[] LanguageAfterCues = ["spoken", "gesproken"];

    private static readonly string[] OriginCues = ["uit", "from", "afkomstig", "origin", "origineel", "originally", "geboren", "born", "aus", "herkunft", "originaire"];

    private static readonly string[] PlaceCues =
        ["in", "uit", "te", "regio", "omgeving", "bij", "near", "from", "around", "nabij", "rond", "centrum", "gemeente", "based", "area", "region",
         "aus", "nahe", "nahe von", "raum", "umgebung", "stadt", "a", "pres de", "region de", "sur"];

    private static readonly string[] PersonNouns =
        ["meid", "meisje", "dame", "vrouw", "schoonheid", "studente", "girl", "lady", "woman", "beauty", "babe", "student", "escort", "model",
         "frau", "madchen", "studentin", "femme", "fille", "etudiante"];

    private static readonly string[] SelfCues = ["ik ben", "ben ik", "i am", "i'm", "im", "ich bin", "je suis"];

    /// <summary>Whether folded <paramref name="word"/> is one of <paramref name="words"/>; without allocating.</summary>
    public static bool IsOneOf(ReadOnlySpan<char> word, string[] words)
    {
        foreach (var w in words)
        {
            if (word.SequenceEqual(w))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Everything above plus the place names, in one table so the text is looked at once per word.</summary>
    public static PhraseTable<Term[]> Build(IEnumerable<PlaceSpelling> places)
    {
        var table = new PhraseTable<Term[]>();
        void Add(string phrase, Term term) => table.Add(phrase, [term], static (a, b) => [.. a, .. b]);
        void AddForms(string forms, Term term)
        {
            foreach (var f in forms.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Add(f, term);
            }
        }

        foreach (var row in Origins)
        {
            var origin = new[] { row[0] };
            if (row[1].Length > 0)
            {
                AddForms(row[2], new Term(TermKind.Language, [row[1]]));
                AddForms(row[5], new Term(TermKind.Language, [row[1]]));
            }

            AddForms(row[2], new Term(TermKind.OriginAdjective, origin));
            AddForms(row[5], new Term(TermKind.OriginAdjective, origin));
            AddForms(row[3], new Term(TermKind.OriginWord, origin));
            AddForms(row[4], new Term(TermKind.Country, origin));
            AddForms(row[6], new Term(TermKind.Country, origin));
        }

        foreach (var (code, forms) in Groups)
        {
            AddForms(forms, new Term(TermKind.OriginWord, [code]));
        }

        foreach (var (code, forms) in OtherLanguages)
        {
            AddForms(forms, new Term(TermKind.Language, [code]));
        }

        foreach (var (phrases, codes) in Venues)
        {
            AddForms(phrases, new Term(TermKind.Venue, codes.Split(' ')));
        }

        foreach (var (phrases, code) in Services)
        {
            AddForms(phrases, new Term(TermKind.Service, [code]));
        }

        foreach (var w in Negations)
        {
            Add(w, new Term(TermKind.Negation, []));
        }

        foreach (var w in Contrasts)
        {
            Add(w, new Term(TermKind.Contrast, []));
        }

        foreach (var w in LanguageCues)
        {
            Add(w, new Term(TermKind.LanguageCue, []));
        }

        foreach (var w in LanguageAfterCues)
        {
            Add(w, new Term(TermKind.LanguageAfterCue, []));
        }

        foreach (var w in OriginCues)
        {
            Add(w, new Term(TermKind.OriginCue, []));
        }

        foreach (var w in PlaceCues)
        {
            Add(w, new Term(TermKind.PlaceCue, []));
        }

        foreach (var w in PersonNouns)
        {
            Add(w, new Term(TermKind.PersonNoun, []));
        }

        foreach (var w in SelfCues)
        {
            Add(w, new Term(TermKind.SelfCue, []));
        }

        foreach (var p in places)
        {
            Add(p.Spelling, new Term(TermKind.Place, [p.Canonical], p.Ambiguous, p.CapitalAt, p));
        }

        return table.Freeze();
    }
}
