using Crawler.Core.Audit;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>
/// Trails written by earlier versions must still verify: this pins the keyed hash of a fixed entry,
/// so a change to how entries are hashed cannot slip in unnoticed.
/// </summary>
public sealed class AuditHashStabilityTests
{
    [Test]
    public void The_keyed_hash_of_a_fixed_entry_does_not_change_between_versions()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var record = new AuditRecord("sanne", "collect", "https://ads.example.nl/ads/1.html", "fetched", "HTTP 200 — één", "allow.all-rules-passed",
            42, 3, "2026-MH-0042", "abc", new string('d', 64), 200, true);

        var hash = AuditChain.ComputeHash(key, 7, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), record, AuditChain.GenesisHash);

        Assert.That(hash, Is.EqualTo("0fb902c5657637854473d200824851b12b193f7dd84d08b5fddacf2caecf3ee1"));
    }
}
