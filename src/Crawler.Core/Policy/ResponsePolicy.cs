namespace Crawler.Core.Policy;

/// <summary>The verdict on what came back: only a public page of an allowed type and size is processed.</summary>
public sealed record ResponseVerdict(bool Accepted, string Rule, string Reason)
{
    /// <summary>Behind a login or paywall: recorded as not public, content discarded.</summary>
    public bool NotPublic => Rule == "response.not-public";
}

public static class ResponsePolicy
{
    public static ResponseVerdict Decide(int status, string? mediaType, long bodyBytes, bool truncated, FetchPolicy policy)
    {
        if (status is 401 or 403 or 407)
        {
            return new ResponseVerdict(false, "response.not-public", $"HTTP {status}: the page is not publicly accessible; content discarded");
        }

        if (status is < 200 or >= 300)
        {
            return new ResponseVerdict(false, "response.status", $"HTTP {status}");
        }

        if (truncated || bodyBytes > policy.MaxBodyBytes)
        {
            return new ResponseVerdict(false, "response.too-large", $"the body exceeds {policy.MaxBodyBytes} bytes; the rest was not read");
        }

        var type = mediaType?.ToLowerInvariant();
        if (type is null || !policy.AllowedContentTypes.Contains(type, StringComparer.Ordinal))
        {
            return new ResponseVerdict(false, "response.content-type",
                $"content type '{type ?? "(none)"}' is not allowed ({string.Join(", ", policy.AllowedContentTypes)})");
        }

        return new ResponseVerdict(true, "response.accepted", $"HTTP {status}, {type}, {bodyBytes} bytes");
    }
}
