using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Crawler.Core.Hits;
using Crawler.Core.Policy;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace Crawler.Fetching;

/// <summary>What one HTTP exchange produced. Redirects are reported, never followed here.</summary>
public sealed record FetchResult(
    int Status,
    string? MediaType,
    string? Charset,
    byte[] Body,
    bool Truncated,
    Uri? RedirectLocation,
    string? FailureRule,
    string? FailureReason,
    TimeSpan? RetryAfter = null,
    FetchExchange? Exchange = null)
{
    public bool Failed => FailureRule is not null;

    public static FetchResult Failure(string rule, string reason) => new(0, null, null, [], false, null, rule, reason);
}

/// <summary>
/// The exchange as it went over the wire, for evidence: the address connected to, the headers sent
/// and received, and the status line's reason phrase. The header lists are <see cref="HttpHeadFields"/>: each
/// field line its own entry, in order, with the heads' exact bytes when the connection tap caught them
/// (<see cref="HeadSource"/> "wire") and rebuilt from the parsed message when it did not ("reconstructed").
/// </summary>
public sealed record FetchExchange(
    string? IpAddress,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders)
{
    /// <summary>"wire" when both heads are the bytes that crossed the connection, otherwise "reconstructed".</summary>
    public string HeadSource =>
        RequestHeaders is HttpHeadFields { Wire: not null } && ResponseHeaders is HttpHeadFields { Wire: not null } ? "wire" : "reconstructed";
}

/// <summary>A host's circuit breaker opened or closed: an event for the audit trail.</summary>
public sealed record CircuitChange(string Host, bool Opened, string Reason);

/// <summary>
/// One GET, nothing else: no cookies, no credentials, no automatic redirects (each hop goes back
/// through the policy gate), bodies decompressed by hand so that a decompression bomb is caught by
/// its ratio, a body cap and a minimum transfer rate enforced while streaming, and transient faults
/// retried by a Polly pipeline per host, with a circuit breaker per host. The pipeline sits after
/// the gate, so a retry can never fetch what policy refused. 429 and 503 are not retried here: they
/// slow the whole host down, which the crawl's pacing does.
/// </summary>
public sealed class PageFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly FetchPolicy _policy;
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);
    private readonly Action<CircuitChange>? _onCircuitChange;
    private readonly NetworkGuard _guard;
    private readonly FetchResilienceOptions _resilience;
    private readonly TimeProvider _time;

    public PageFetcher(PolicySet policy, NetworkGuard guard, FetchResilienceOptions resilience, NetworkTime time, Action<CircuitChange>? onCircuitChange = null)
    {
        _policy = policy.Fetch;
        _onCircuitChange = onCircuitChange;
        _guard = guard;
        _resilience = resilience;
        _time = time.Provider;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = guard.ConnectAsync,
            // Above TLS, below HTTP: copies each exchange's heads as sent and received, for the evidence record.
            PlaintextStreamFilter = HeadTap.Filter,
            ConnectTimeout = resilience.ConnectTimeout,
            PooledConnectionLifetime = resilience.PooledConnectionLifetime,
        };
        var handler = new ResilienceHandler(request => PipelineFor(request.RequestUri!.Authority)) { InnerHandler = sockets };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(policy.UserAgent);
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.5));
        _client.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip, deflate, br");
    }

    public async Task<FetchResult> GetAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            var heads = HeadTap.Begin();
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            Uri? location = null;
            if (status is >= 300 and < 400 && response.Headers.Location is { } loc)
            {
                location = loc.IsAbsoluteUri ? loc : new Uri(url, loc);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var charset = response.Content.Headers.ContentType?.CharSet;
            if (status is 401 or 403 or 407 || location is not null || status is < 200 or >= 300)
            {
                // Nothing of a refused, failing or redirecting response is read: its content is not ours to keep.
                return new FetchResult(status, mediaType, charset, [], false, location, null, null, RetryAfter(response));
            }

            var encoding = response.Content.Headers.ContentEncoding.LastOrDefault()?.ToLowerInvariant();
            var result = await ReadBodyAsync(response.Content, status, mediaType, charset, encoding, maxBytes, cancellationToken);
            return result.Failed ? result : result with { Exchange = ExchangeOf(request, response, heads) };
        }
        catch (HttpRequestException ex) when (FindGuard(ex) is { } guard)
        {
            return FetchResult.Failure("network.public-only", guard.Message);
        }
        catch (NetworkGuardException guard)
        {
            return FetchResult.Failure("network.public-only", guard.Message);
        }
        catch (BrokenCircuitException)
        {
            return FetchResult.Failure("host.circuit-open", $"the circuit breaker for {url.Authority} is open after repeated failures; the host is left alone for a while");
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failure("fetch.unreachable", ex.Message);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            return FetchResult.Failure("fetch.timeout", ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failure("fetch.timeout", "the request timed out");
        }
        catch (IOException ex)
        {
            // A transport fault outside the body loop (opening the content stream, say): this URL fails, the crawl goes on.
            return BrokenBody(ex, 0, null);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The heads as the tap caught them, when they belong to this exchange (same request target, same status);
    /// otherwise each field from the parsed message as its own line, in the order the handler kept them.
    /// </summary>
    private FetchExchange ExchangeOf(HttpRequestMessage request, HttpResponseMessage response, HeadCapture heads)
    {
        var url = request.RequestUri!;
        var address = _guard.LastAddress(url.Host, url.Port);
        var reason = response.ReasonPhrase ?? "";
        if (heads.RequestHead is { } sent && heads.ResponseHead is { } received &&
            StartLine(sent).Split(' ') is [_, var target, ..] && target == url.PathAndQuery &&
            StartLine(received).Split(' ') is [_, var status, ..] && status == ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return new FetchExchange(address, reason, new HttpHeadFields(FieldsOf(sent), sent), new HttpHeadFields(FieldsOf(received), received));
        }

        // The client merged its default headers into the request when it sent it; each value list is joined with
        // the separator its header uses (a space for User-Agent), which is how it was written.
        var requestFields = new List<KeyValuePair<string, string>> { new("Host", url.IsDefaultPort ? url.Host : url.Authority) };
        requestFields.AddRange(request.Headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())));
        var responseFields = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .ToList();
        return new FetchExchange(address, reason, new HttpHeadFields(requestFields, null), new HttpHeadFields(responseFields, null));
    }

    private static string StartLine(byte[] head)
    {
        var end = head.AsSpan().IndexOfAny((byte)'\r', (byte)'\n');
        return Encoding.Latin1.GetString(head, 0, end < 0 ? head.Length : end);
    }

    /// <summary>The field lines of a head (after its start line), name as written, value without surrounding white space.</summary>
    internal static List<KeyValuePair<string, string>> FieldsOf(byte[] head)
    {
        // Latin-1 maps every byte to one char, so nothing is lost or replaced on the way.
        var lines = Encoding.Latin1.GetString(head).Split('\n').Select(l => l.TrimEnd('\r')).Skip(1);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.TakeWhile(l => l.Length > 0))
        {
            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                // An obsolete folded line continues the field before it (RFC 9112 section 5.2).
                fields[^1] = new(fields[^1].Key, fields[^1].Value + " " + line.Trim(' ', '\t'));
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            }
        }

        return fields;
    }

    private async Task<FetchResult> ReadBodyAsync(HttpContent content, int status, string? mediaType, string? charset, string? encoding,
        long maxBytes, CancellationToken ct)
    {
        if (encoding is null && content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return new FetchResult(status, mediaType, charset, [], true, null, null, null);
        }

        await using var raw = await content.ReadAsStreamAsync(ct);
        var counted = new CountingStream(raw);
        Stream body;
        switch (encoding)
        {
            case null or "identity":
                body = counted;
                break;
            case "gzip" or "x-gzip":
                body = new GZipStream(counted, CompressionMode.Decompress);
                break;
            case "deflate":
                body = new ZLibStream(counted, CompressionMode.Decompress);
                break;
            case "br":
                body = new BrotliStream(counted, CompressionMode.Decompress);
                break;
            default:
                return FetchResult.Failure("fetch.content-encoding", $"content encoding '{encoding}' is not supported");
        }

        await using var _ = body;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var started = _time.GetTimestamp();
        var grace = TimeSpan.FromSeconds(1);
        using var readDeadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct, readDeadline.Token);
        while (true)
        {
            // A server that stops sending must not hold the crawl: each read gets a deadline.
            readDeadline.CancelAfter(TimeSpan.FromSeconds(Math.Max(2, _policy.RequestTimeoutSeconds / 3)));
            int n;
            try
            {
                n = await body.ReadAsync(chunk, readTimeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return FetchResult.Failure("fetch.slow-drip", "the server stopped sending the body; the rest was not read");
            }
            catch (InvalidDataException ex)
            {
                return FetchResult.Failure("fetch.content-encoding", "the compressed body is corrupt: " + ex.Message);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // The connection failed mid-body: a refusal of this URL, and nothing of what did arrive is kept.
                return BrokenBody(ex, counted.BytesRead, content.Headers.ContentLength);
            }

            if (n == 0)
            {
                return new FetchResult(status, mediaType, charset, buffer.ToArray(), false, null, null, null);
            }

            if (buffer.Length + n > maxBytes)
            {
                // Keep the prefix (robots.txt is parsed up to its cap); the rest is never read.
                buffer.Write(chunk, 0, (int)(maxBytes - buffer.Length));
                return new FetchResult(status, mediaType, charset, buffer.ToArray(), true, null, null, null);
            }

            buffer.Write(chunk, 0, n);
            if (encoding is not null && buffer.Length > 64 * 1024 && buffer.Length > counted.BytesRead * _policy.MaxCompressionRatio)
            {
                return FetchResult.Failure("fetch.decompression-bomb",
                    $"{counted.BytesRead} compressed bytes inflated to more than {buffer.Length} (ratio above {_policy.MaxCompressionRatio}); the rest was not read");
            }

            var elapsed = _time.GetElapsedTime(started);
            if (_policy.MinBytesPerSecond > 0 && elapsed > grace && counted.BytesRead / elapsed.TotalSeconds < _policy.MinBytesPerSecond)
            {
                return FetchResult.Failure("fetch.slow-drip",
                    $"the body arrived at {counted.BytesRead / elapsed.TotalSeconds:0} bytes/s, below the policy's {_policy.MinBytesPerSecond}; the rest was not read");
            }
        }
    }

    /// <summary>A body the connection broke off: cut short (fewer bytes than announced, or the stream ended mid-frame), reset by the peer, or otherwise lost.</summary>
    internal static FetchResult BrokenBody(Exception ex, long received, long? announced)
    {
        var of = announced is { } n ? $"{received} of {n} bytes" : $"{received} bytes";
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted })
            {
                return FetchResult.Failure("fetch.reset", $"the server reset the connection during the body ({of}); nothing of it is kept");
            }
        }

        if (ex is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded })
        {
            return FetchResult.Failure("fetch.truncated", $"the connection closed before the whole body arrived ({of}); nothing of it is kept");
        }

        return ex is HttpRequestException or HttpIOException
            ? FetchResult.Failure("fetch.protocol", $"the body broke off in an HTTP protocol error ({of}): {ex.Message}; nothing of it is kept")
            : FetchResult.Failure("fetch.transport", $"the body could not be read ({of}): {ex.Message}; nothing of it is kept");
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - (response.Headers.Date ?? date) : null;
    }

    private ResiliencePipeline<HttpResponseMessage> PipelineFor(string authority) =>
        _pipelines.GetOrAdd(authority, host => WithRetries(new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            // Timeouts and backoff run on the network's clock, not the domain's (see NetworkTime).
            TimeProvider = _time,
        }
            .AddTimeout(TimeSpan.FromSeconds(_policy.RequestTimeoutSeconds * 3)))
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = _resilience.CircuitFailureRatio,
                MinimumThroughput = _resilience.CircuitMinimumThroughput,
                SamplingDuration = _resilience.CircuitSamplingDuration,
                BreakDuration = _resilience.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome)),
                OnOpened = args =>
                {
                    _onCircuitChange?.Invoke(new CircuitChange(host, true,
                        $"opened for {args.BreakDuration.TotalSeconds:0} s after repeated failures ({Describe(args.Outcome)})"));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _onCircuitChange?.Invoke(new CircuitChange(host, false, "closed: the host answers again"));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(_policy.RequestTimeoutSeconds))
            .Build());

    /// <summary>Polly refuses a retry strategy of no attempts; none configured means none added.</summary>
    private ResiliencePipelineBuilder<HttpResponseMessage> WithRetries(ResiliencePipelineBuilder<HttpResponseMessage> builder) =>
        _resilience.MaxRetryAttempts == 0
            ? builder
            : builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = _resilience.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _resilience.RetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome)),
            });

    /// <summary>Connection failures, timeouts, 408 and 5xx other than 503. Never a network-guard refusal.</summary>
    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome)
    {
        if (FindGuard(outcome.Exception) is not null)
        {
            return false;
        }

        if (outcome.Result is { } response)
        {
            var s = (int)response.StatusCode;
            return s is 408 or 500 or 502 or 504;
        }

        return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : outcome.Exception?.GetType().Name ?? "failure";

    private static NetworkGuardException? FindGuard(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is NetworkGuardException g)
            {
                return g;
            }
        }

        return null;
    }

    /// <summary>Counts the bytes that came over the wire, before decompression.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
