using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>
/// Reads a YAML mapping field by field, collecting problems with file, line and field instead of
/// throwing at the first one. Hand-mapped rather than deserialised so that unknown fields, wrong
/// types and missing fields all get a message that names exactly where they are.
/// </summary>
public sealed class YamlReader
{
    /// <summary>How deep a document's mappings and lists may nest.</summary>
    public const int MaxNesting = 64;

    private readonly List<InputProblem> _problems = [];

    private YamlReader(string file) => File = file;

    public string File { get; }

    public IReadOnlyList<InputProblem> Problems => _problems;

    /// <summary>Parses <paramref name="text"/> and returns the root mapping, or null with a problem recorded.</summary>
    public static (YamlReader Reader, YamlMappingNode? Root) Open(string file, string text)
    {
        var reader = new YamlReader(file);
        if (TooDeep(text) is { } deep)
        {
            // Building the node tree recurses once per level: a hostile file must not be able to overflow the stack.
            reader._problems.Add(new InputProblem(file, (int)deep.Line, (int)deep.Column, "(document)",
                $"nested more than {MaxNesting} levels deep; no crawler document needs that"));
            return (reader, null);
        }

        var stream = new YamlStream();
        try
        {
            using var sr = new StringReader(text);
            stream.Load(sr);
        }
        catch (YamlException ex)
        {
            // YAML names the start of the enclosing mapping for a tab; the line to fix is the tab's own.
            reader._problems.Add(TabIndented(text) is { } tab
                ? new InputProblem(file, tab.Line, tab.Column, "(document)", "a tab indents this line; YAML indents with spaces only")
                : new InputProblem(file, (int)ex.Start.Line, (int)ex.Start.Column, "(document)",
                    "malformed YAML: " + FirstLine(ex.InnerException?.Message ?? ex.Message)));
            return (reader, null);
        }
        catch (InvalidOperationException ex)
        {
            // Some malformed input (an unclosed flow list, for one) surfaces as InvalidOperationException
            // without a position; the last event the parser read tells where it went wrong.
            var mark = LastGoodMark(text);
            reader._problems.Add(new InputProblem(file, (int)mark.Line, (int)mark.Column, "(document)",
                "malformed YAML: " + FirstLine(ex.Message)));
            return (reader, null);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            reader._problems.Add(new InputProblem(file, 1, 1, "(document)", "expected a mapping of fields at the top level"));
            return (reader, null);
        }

        if (stream.Documents.Count > 1)
        {
            reader.Problem(stream.Documents[1].RootNode, "(document)", "only one YAML document is allowed per file");
        }

        return (reader, root);
    }

    public void Problem(YamlNode? node, string field, string message)
    {
        var line = node is null ? 0 : (int)node.Start.Line;
        var col = node is null ? 0 : (int)node.Start.Column;
        _problems.Add(new InputProblem(File, line, col, field, message));
    }

    public void ThrowIfProblems()
    {
        if (_problems.Count > 0)
        {
            throw new InputException(_problems.ToList());
        }
    }

    /// <summary>Reports every key of <paramref name="map"/> not in <paramref name="known"/>.</summary>
    public void RejectUnknown(YamlMappingNode map, string prefix, params string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Problem(key, Join(prefix, name), $"unknown field (known fields: {string.Join(", ", known)})");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? Text(YamlMappingNode map, string prefix, string key, bool required)
    {
        var field = Join(prefix, key);
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            if (required)
            {
                Problem(node ?? map, field, "required field is missing");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Problem(node, field, "expected a text value");
            return null;
        }

        var value = scalar.Value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Problem(node, field, "must not be empty");
            }

            return null;
        }

        return value;
    }

    public int? Number(YamlMappingNode map, string prefix, string key, int min, int max)
    {
        var field = Join(prefix, key);
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar ||
            !int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Problem(node, field, "expected a whole number");
            return null;
        }

        if (value < min || value > max)
        {
            Problem(node, field, $"must be between {min} and {max}, got {value}");
            return null;
        }

        return value;
    }

    public double? Real(YamlMappingNode map, string prefix, string key, double min, double max)
    {
        var field = Join(prefix, key);
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar ||
            !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Problem(node, field, "expected a number");
            return null;
        }

        if (value < min || value > max)
        {
            Problem(node, field, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}, got {value}"));
            return null;
        }

        return value;
    }

    public bool? Bool(YamlMappingNode map, string prefix, string key)
    {
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: "true" or "True" or "false" or "False" } s)
        {
            return s.Value is "true" or "True";
        }

        Problem(node, Join(prefix, key), "expected true or false");
        return null;
    }

    public DateTimeOffset? Timestamp(YamlMappingNode map, string prefix, string key, bool required)
    {
        var text = Text(map, prefix, key, required);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        Problem(Child(map, key), Join(prefix, key), $"expected an ISO 8601 date or time, got '{text}'");
        return null;
    }

    public IReadOnlyList<(string Value, YamlNode Node)> StringList(YamlMappingNode map, string prefix, string key, bool required)
    {
        var field = Join(prefix, key);
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            if (required)
            {
                Problem(node ?? map, field, "required field is missing");
            }

            return [];
        }

        if (node is not YamlSequenceNode seq)
        {
            Problem(node, field, "expected a list");
            return [];
        }

        var result = new List<(string, YamlNode)>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlScalarNode { Value: { Length: > 0 } v })
            {
                result.Add((v.Trim(), seq.Children[i]));
            }
            else
            {
                Problem(seq.Children[i], $"{field}[{i}]", "expected a non-empty text value");
            }
        }

        if (required && result.Count == 0 && seq.Children.Count == 0)
        {
            Problem(node, field, "must list at least one entry");
        }

        return result;
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string prefix, string key)
    {
        var node = Child(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlMappingNode m)
        {
            return m;
        }

        Problem(node, Join(prefix, key), "expected a mapping of fields");
        return null;
    }

    /// <summary>The line of a dotted field in a document (or of its nearest present parent), for problems found after parsing.</summary>
    public static int LineOf(string text, string field)
    {
        var (_, root) = Open("", text);
        YamlNode? node = root;
        var line = 0;
        foreach (var part in field.Split('.'))
        {
            if (node is not YamlMappingNode map)
            {
                break;
            }

            var key = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == part);
            if (key is null)
            {
                break;
            }

            line = (int)key.Start.Line;
            node = map.Children[key];
        }

        return line;
    }

    public static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null", Style: not ScalarStyle.SingleQuoted and not ScalarStyle.DoubleQuoted };

    /// <summary>Where the document goes deeper than <see cref="MaxNesting"/> levels, or null (also when it does not parse: the load says why).</summary>
    private static Mark? TooDeep(string text)
    {
        // The event parser keeps its state on a heap stack, so it reads any depth without recursing.
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > MaxNesting:
                        return parser.Current.Start;
                    case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }

    /// <summary>The first line whose indentation holds a tab, with the tab's column, or null.</summary>
    private static (int Line, int Column)? TabIndented(string text)
    {
        var line = 1;
        var column = 1;
        var indenting = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                (line, column, indenting) = (line + 1, 1, true);
                continue;
            }

            if (indenting && c == '\t')
            {
                return (line, column);
            }

            indenting &= c == ' ';
            column++;
        }

        return null;
    }

    private static Mark LastGoodMark(string text)
    {
        var parser = new Parser(new StringReader(text));
        var mark = new Mark(1, 1, 1);
        try
        {
            while (parser.MoveNext())
            {
                mark = parser.Current?.Start ?? mark;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return ex is YamlException y ? y.Start : mark;
        }

        return mark;
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? s : s[..i];
    }
}
