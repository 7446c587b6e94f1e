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
