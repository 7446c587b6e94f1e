using System.Security.Cryptography;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Urls;
using Crawler.Fetching;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stage 9, image digests, before the hit is recorded: up to three images of an ad about to be stored are fetched (under
/// the gate's image rules and the host's pace) only to compute their SHA-256 for linking; the images themselves are
/// never kept, and the digest is pseudonymised unless the mandate keeps images.
/// </summary>
internal sealed class ImageDigests(PageRequests requests, CrawlAudit audit, Pseudonymiser pseudonymiser, PolicySet policy)
{
    public const int MaxImagesPerAd = 3;

    public async Task<IReadOnlyList<ContactValue>> DigestAsync(PageFetcher fetcher, Uri page, PolicyDecision pageDecision, IReadOnlyList<Uri> images, int depth,
        Treatment treatment, CancellationToken ct)
    {
        var digests = new List<ContactValue>();
        var wanted = images.Take(MaxImagesPerAd).ToList();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (ct.IsCancellationRequested)
            {
                // The run is stopping: no new request; the ad is recorded with the digests it has.
                await audit.DiscardedAsync(page, "digests-incomplete", $"the run stopped: {wanted.Count - i} image(s) of this ad not digested", "image.digest",
                    pageDecision, null, null, CancellationToken.None);
                break;
            }

            if (!CanonicalUrl.TryCreate(wanted[i].ToString(), null, policy.Urls, out var url, out _))
            {
                continue;
            }

            if (await requests.FetchImageAsync(fetcher, url, depth, ct) is not var (result, decision))
            {
                continue;
            }

            if (result.Status != 200 || result.Truncated || result.MediaType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) != true)
            {
                await audit.DiscardedAsync(url, "not-an-image",
                    $"HTTP {result.Status}, {result.MediaType ?? "no content type"}{(result.Truncated ? ", larger than the body cap" : "")}: no digest", "image.digest",
                    decision, null, result.Status, ct);
                continue;
            }

            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.Body));
            await audit.CollectedAsync(url, "digested", $"image of the ad at {page}: only its digest is kept, the image is discarded", "image.digest",
                decision, digest[7..], result.Status, ct);
            digests.Add(treatment == Treatment.Keep
                ? new ContactValue(digest, digest, null)
                : new ContactValue("image-digest •••", null, pseudonymiser.Pseudonym("image-digest", digest)));
        }

        return digests;
    }
}
