using System.Net;
using System.Net.Http.Headers;
using Crawler.Core.Policy;
using Microsoft.Extensions.Http.Resilience;
using Polly;

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
    string? FailureReason)
{
    public bool Failed => FailureRule is not null;

    public static FetchResult Failure(string rule, string reason) => new(0, null, null, [], false, null, rule, reason);
}

/// <summary>
/// One GET, nothing else: no cookies, no credentials, no automatic redirects (each hop goes back
/// through the policy gate), a body cap enforced while streaming, and transient faults retried
/// by a Polly pipeline that sits after the gate, so a retry can never fetch what policy refused.
/// </summary>
public sealed class PageFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly FetchPolicy _policy;

    public PageFetcher(PolicySet policy, NetworkGuard guard)
    {
        _policy = policy.Fetch;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectCallback = guard.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        var handler = new ResilienceHandler(BuildPipeline(policy.Fetch)) { InnerHandler = sockets };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(policy.UserAgent);
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.5));
    }

    public async Task<FetchResult> GetAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
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
                // Nothing of a refused or redirecting response is read: its content is not ours to keep.
                return new FetchResult(status, mediaType, charset, [], false, location, null, null);
            }

            var (body, truncated) = await ReadCappedAsync(response.Content, maxBytes, cancellationToken);
            return new FetchResult(status, mediaType, charset, body, truncated, null, null, null);
        }
        catch (HttpRequestException ex) when (FindGuard(ex) is { } guard)
        {
            return FetchResult.Failure("network.public-only", guard.Message);
        }
        catch (NetworkGuardException guard)
        {
            return FetchResult.Failure("network.public-only", guard.Message);
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
    }

    public long MaxBodyBytes => _policy.MaxBodyBytes;

    public void Dispose() => _client.Dispose();

    private static async Task<(byte[] Body, bool Truncated)> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return ([], true);
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await stream.ReadAsync(chunk, ct);
            if (n == 0)
            {
                return (buffer.ToArray(), false);
            }

            if (buffer.Length + n > maxBytes)
            {
                // Keep the prefix (robots.txt is parsed up to its cap); the rest is never read.
                buffer.Write(chunk, 0, (int)(maxBytes - buffer.Length));
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, n);
        }
    }

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

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(FetchPolicy policy) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            // Network timeouts and backoff are about the real network, so they run on the system clock
            // even when the domain clock (mandate windows, audit time) is a fake one in tests.
            TimeProvider = TimeProvider.System,
        }
            .AddTimeout(TimeSpan.FromSeconds(policy.RequestTimeoutSeconds * 3))
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(
                    FindGuard(args.Outcome.Exception) is null &&
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddTimeout(TimeSpan.FromSeconds(policy.RequestTimeoutSeconds))
            .Build();
}
