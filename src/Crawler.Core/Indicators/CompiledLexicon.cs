using System.Runtime.CompilerServices;
using Crawler.Core.Policy;

namespace Crawler.Core.Indicators;

/// <summary>
/// The lexicons of a policy compiled once into a word dictionary and a trie of word ids, so a page is matched in
/// one pass over its words whatever the number of terms, instead of one search per term per page.
/// </summary>
internal sealed class CompiledLexicon
{
    private static readonly ConditionalWeakTable<IndicatorPolicy, CompiledLexicon> Cache = [];

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly Node?[] _roots;
    private readonly bool[] _negates;
    private readonly bool[] _negatesAdjacent;
    private readonly bool[] _negatesAfter;
    private readonly bool[] _between;
    private readonly bool[] _escalates;
    private readonly bool[] _completes;

    private CompiledLexicon(IndicatorPolicy policy)
    {
        _vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var terms = new List<(int Indicator, List<(int Id, bool Boundary)> Words)>();
        for (var i = 0; i < policy.Indicators.Count; i++)
        {
            foreach (var term in policy.Indicators[i].Terms)
            {
                var words = TextTokenizer.Words(term).Select(w => (Intern(w.Word), w.BoundaryBefore)).ToList();
                if (words.Count > 0)
                {
                    terms.Add((i, words));
                }
            }
        }

        var negations = OneWordIds(policy.Negation.Words);
        var adjacent = OneWordIds(policy.Negation.AdjacentWords);
        var after = OneWordIds(policy.Negation.After.Words);
        var completions = OneWordIds(policy.Negation.After.Completions);
        var between = OneWordIds(policy.Negation.After.Between);
        AnyWordBetween = between.Count == 0;
        _escalates = policy.Indicators.Select(d => d.Escalates).ToArray();
        Window = policy.Negation.Window;
        AfterWindow = policy.Negation.After.Window;
        HasAfter = after.Count > 0;

        // Open addressing at most a quarter full, keyed by the hash the tokeniser already computed: a word that
        // is in no term (nearly every word of a page) usually costs one probe into an empty slot.
        var size = 16;
        while (size < _vocabulary.Count * 4)
        {
            size *= 2;
        }

        _slots = new Slot[size];
        _mask = size - 1;
        foreach (var (word, id) in _vocabulary)
        {
            var hash = TextTokenizer.Hash(word);
            var at = (int)(hash & (uint)_mask);
            while (_slots[at].Word is not null)
            {
                at = (at + 1) & _mask;
            }

            _slots[at] = new Slot(hash, id, word);
        }

        _roots = new Node?[_vocabulary.Count];
        _negates = new bool[_vocabulary.Count];
        _negatesAdjacent = new bool[_vocabulary.Count];
        _negatesAfter = new bool[_vocabulary.Count];
        _completes = new bool[_vocabulary.Count];
        negations.ForEach(n => _negates[n] = true);
        adjacent.ForEach(n => _negatesAdjacent[n] = true);
        after.ForEach(n => _negatesAfter[n] = true);
        completions.ForEach(n => _completes[n] = true);
        _between = new bool[_vocabulary.Count];
        between.ForEach(n => _between[n] = true);
        foreach (var (indicator, words) in terms)
        {
            var node = _roots[words[0].Id] ??= new Node();
            for (var w = 1; w < words.Count; w++)
            {
                node.Next ??= [];
                var key = Key(words[w].Id, words[w].Boundary);
                if (!node.Next.TryGetValue(key, out var next))
                {
                    next = new Node();
                    node.Next[key] = next;
                }

                node = next;
            }

            if (!node.Indicators.Contains(indicator))
            {
                node.Indicators = [.. node.Indicators, indicator];
            }
        }
    }

    public int Window { get; }

    /// <summary>How many words may stand between a term and a negation after it.</summary>
    public int AfterWindow { get; }

    /// <summary>Whether any word may stand between a term and a negation after it (no <c>between</c> list).</summary>
    public bool AnyWordBetween { get; }

    /// <summary>Whether word <paramref name="id"/> may stand between a term and a negation after it.</summary>
    public bool MayStandBetween(int id) => AnyWordBetween || (id >= 0 && _between[id]);

    /// <summary>Whether indicator <paramref name="indicator"/> escalates: a negation after it never silences it.</summary>
    public bool Escalates(int indicator) => _escalates[indicator];

    /// <summary>Whether the policy sees negations after a term at all.</summary>
    public bool HasAfter { get; }

    /// <summary>The compiled form of <paramref name="policy"/>, built on first use and kept as long as the policy lives.</summary>
    public static CompiledLexicon For(IndicatorPolicy policy) => Cache.GetValue(policy, p => new CompiledLexicon(p));

    /// <summary>Gives every word its id in the lexicon's vocabulary (-1: not a word of any term).</summary>
    public void Identify(TokenBuffer buffer)
    {
        for (var i = 0; i < buffer.Count; i++)
        {
            ref var t = ref buffer.Tokens[i];
            t.Id = -1;
            var at = (int)(t.Hash & (uint)_mask);
            while (_slots[at].Word is { } word)
            {
                if (_slots[at].Hash == t.Hash && buffer.Text(t).SequenceEqual(word))
                {
                    t.Id = _slots[at].Id;
                    break;
                }

                at = (at + 1) & _mask;
            }
        }
    }

    /// <summary>Every term occurrence, in text order: first and last word and the indicators the term belongs to.</summary>
    public void Match(TokenBuffer buffer, List<TermMatch> matches)
    {
        var tokens = buffer.Tokens;
        for (var i = 0; i < buffer.Count; i++)
        {
            var id = tokens[i].Id;
            if (id < 0 || _roots[id] is not { } node)
            {
                continue;
            }

            var j = i;
            while (true)
            {
                if (node.Indicators.Length > 0)
                {
                    matches.Add(new TermMatch(i, j, node.Indicators));
                }

                if (node.Next is null || j + 1 >= buffer.Count || tokens[j + 1].Id < 0 ||
                    !node.Next.TryGetValue(Key(tokens[j + 1].Id, tokens[j + 1].BoundaryBefore), out var next))
                {
                    break;
                }

                node = next;
                j++;
            }
        }
    }

    /// <summary>Whether word <paramref name="id"/>, <paramref name="distance"/> words before a term, negates it.</summary>
    public bool IsNegation(int id, int distance) =>
        id >= 0 && ((distance <= Window && _negates[id]) || (distance == 1 && _negatesAdjacent[id]));

    /// <summary>Whether word <paramref name="id"/>, closing a term's clause after it, negates the term ("anaal doe ik niet").</summary>
    public bool IsNegationAfter(int id) => id >= 0 && _negatesAfter[id];

    /// <summary>Whether word <paramref name="id"/> may follow a negation after a term before the clause ends ("niet mogelijk").</summary>
    public bool IsCompletion(int id) => id >= 0 && _completes[id];

    private static int Key(int id, bool boundary) => (id << 1) | (boundary ? 1 : 0);

    private List<int> OneWordIds(IReadOnlyList<string> words) =>
        words.Select(w => TextTokenizer.Words(w)).Where(w => w.Count == 1).Select(w => Intern(w[0].Word)).ToList();

    private int Intern(string word)
    {
        if (!_vocabulary.TryGetValue(word, out var id))
        {
            id = _vocabulary.Count;
            _vocabulary[word] = id;
        }

        return id;
    }

    private readonly record struct Slot(uint Hash, int Id, string? Word);

    private sealed class Node
    {
        public Dictionary<int, Node>? Next;
        public int[] Indicators = [];
    }
}

/// <summary>A term found in the text: its first and last word and the indicators whose lexicon holds it.</summary>
internal readonly record struct TermMatch(int First, int Last, int[] Indicators);
