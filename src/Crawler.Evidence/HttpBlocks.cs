using System.Globalization;
using System.Text;

namespace Crawler.Evidence;

/// <summary>Builds the HTTP/1.1 message blocks of request and response records from a <see cref="WarcExchange"/>.</summary>
internal static class HttpBlocks
{
    public const string OriginalPrefix = "X-Crawler-Original-";

    public static byte[] Request(WarcExchange exchange, string paramName)
    {
        WarcSyntax.RequireToken(exchange.Method, "HTTP method", paramName);
        var uri = exchange.TargetUri;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("an HTTP exchange needs an http or https target URI", paramName);
        }

        if (exchange.HeadSource == "wire")
        {
            var head = exchange.RequestHead!;
            var lines = Lines(head, "request head", paramName);
            var requestLine = Encoding.Latin1.GetString(head, 0, lines[0].Length).TrimEnd('\r', '\n').Split(' ');
            if (requestLine.Length != 3 || requestLine[0] != exchange.Method || requestLine[1] != uri.PathAndQuery)
            {
                throw new ArgumentException($"the request head's request line is not {exchange.Method} {uri.PathAndQuery}", paramName);
            }

            // Exactly what was sent, once.
            return head.ToArray();
        }

        var text = new StringBuilder();
        text.Append(exchange.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        AppendHeaders(text, exchange.RequestHeaders, paramName);
        text.Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// The body in the record is the decoded one, so the header block must describe it: Content-Encoding and
    /// Transfer-Encoding go, Content-Length becomes the body length. What was received is kept under
    /// X-Crawler-Original-* names at the same place, so the record still shows what the server sent.
    /// </summary>
    public static byte[] Response(WarcExchange exchange, string paramName)
    {
        if (exchange.Status is < 100 or > 999)
        {
            throw new ArgumentOutOfRangeException(paramName, exchange.Status, "HTTP status must have three digits");
        }

        WarcSyntax.RequireSingleLine(exchange.ReasonPhrase, "reason phrase", paramName);
        var body = exchange.Body ?? throw new ArgumentException("response body is null", paramName);
        var bodyLength = body.Length.ToString(CultureInfo.InvariantCulture);
        if (exchange.HeadSource == "wire")
        {
            return WireResponse(exchange.ResponseHead!, exchange.Status, body, bodyLength, paramName);
        }

        var rewritten = new List<KeyValuePair<string, string>>();
        var lengthWritten = false;
        foreach (var (name, value) in Checked(exchange.ResponseHeaders, paramName))
        {
            if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                rewritten.Add(new(OriginalPrefix + Canonical(name), value));
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!lengthWritten)
                {
                    rewritten.Add(new("Content-Length", bodyLength));
                    lengthWritten = true;
                }

                if (!string.Equals(value.Trim(), bodyLength, StringComparison.Ordinal))
                {
                    rewritten.Add(new(OriginalPrefix + "Content-Length", value));
                }
            }
            else
            {
                rewritten.Add(new(name, value));
            }
        }

        if (!lengthWritten)
        {
            rewritten.Add(new("Content-Length", bodyLength));
        }

        var text = new StringBuilder();
        text.Append("HTTP/1.1 ").Append(exchange.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(exchange.ReasonPhrase).Append("\r\n");
        AppendHeaders(text, rewritten, paramName);
        text.Append("\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());

        var block = new byte[head.Length + body.Length];
        head.CopyTo(block, 0);
        body.CopyTo(block, head.Length);
        return block;
    }

    /// <summary>
    /// The response head as received, line for line: the status line and every field line byte for byte, in order,
    /// except the framing lines, which describe a body the record does not hold (it holds the decoded one):
    /// Content-Encoding and Transfer-Encoding lines, and a Content-Length that differs from the decoded length, get
    /// the X-Crawler-Original- prefix in front of the line as received, and a Content-Length of the body stored
    /// goes last when none of the received ones states it.
    /// </summary>
    private static byte[] WireResponse(byte[] head, int status, byte[] body, string bodyLength, string paramName)
    {
        var lines = Lines(head, "response head", paramName);
        var statusLine = Encoding.Latin1.GetString(head, 0, lines[0].Length);
        if (!statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal) || statusLine.Length < 12 ||
            !statusLine.AsSpan(9, 3).SequenceEqual(status.ToString(CultureInfo.InvariantCulture)))
        {
            throw new ArgumentException($"the response head's status line does not give status {status}", paramName);
        }

        using var block = new MemoryStream(head.Length + body.Length + 64);
        var lengthKept = false;
        var at = 0;
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = head.AsSpan(at, lines[i].Length);
            at += lines[i].Length;
            var colon = line.IndexOf((byte)':');
            var name = i == 0 || colon <= 0 || line[0] is (byte)' ' or (byte)'\t' ? "" : Encoding.Latin1.GetString(line[..colon]).Trim();
            var value = colon <= 0 ? "" : Encoding.Latin1.GetString(line[(colon + 1)..]).Trim(' ', '\t', '\r', '\n');
            var renamed = name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) ||
                          name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
                          (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && (lengthKept || value != bodyLength));
            if (renamed)
            {
                block.Write(Encoding.ASCII.GetBytes(OriginalPrefix));
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                lengthKept = true;
            }

            block.Write(line);
        }

        if (!lengthKept)
        {
            block.Write(Encoding.ASCII.GetBytes("Content-Length: " + bodyLength + "\r\n"));
        }

        block.Write(head.AsSpan(at));
        block.Write(body);
        return block.ToArray();
    }

    /// <summary>
    /// The lines of a head, each with its line end (CRLF, or a bare LF as lenient parsers take it); the last is the
    /// empty line that ends the head, and nothing may follow it.
    /// </summary>
    private static List<(int Length, bool Empty)> Lines(byte[]? head, string what, string paramName)
    {
        if (head is null || head.Length == 0)
        {
            throw new ArgumentException($"the {what} is empty", paramName);
        }

        var lines = new List<(int, bool)>();
        var start = 0;
        while (start < head.Length)
        {
            var lf = head.AsSpan(start).IndexOf((byte)'\n');
            if (lf < 0)
            {
                throw new ArgumentException($"the {what} does not end with an empty line", paramName);
            }

            var length = lf + 1;
            var empty = length == 1 || (length == 2 && head[start] == '\r');
            lines.Add((length, empty));
            start += length;
            if (empty)
            {
                break;
            }
        }

        if (lines.Count < 2 || !lines[^1].Item2 || start != head.Length)
        {
            throw new ArgumentException($"the {what} must be one start line, its field lines and the empty line that ends it, with nothing after", paramName);
        }

        return lines;
    }

    private static void AppendHeaders(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> headers, string paramName)
    {
        foreach (var (name, value) in Checked(headers, paramName))
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Checked(IReadOnlyList<KeyValuePair<string, string>>? headers, string paramName)
    {
        if (headers is null)
        {
            throw new ArgumentException("header list is null", paramName);
        }

        foreach (var header in headers)
        {
            WarcSyntax.RequireToken(header.Key, "HTTP header name", paramName);
            WarcSyntax.RequireSingleLine(header.Value, $"value of HTTP header {header.Key}", paramName);
            yield return header;
        }
    }

    private static string Canonical(string name) =>
        name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) ? "Content-Encoding" : "Transfer-Encoding";
}
