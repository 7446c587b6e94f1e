using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>
/// An approval binds the SHA-256 of the mandate's canonical form. If that form changes (a new
/// optional field serialised as null, a renamed property), every approval given before the
/// upgrade becomes void. This pins the hash of a fixed mandate, so such a change cannot slip in.
/// </summary>
public sealed class ApprovalHashStabilityTests
{
    [Test]
    public void The_canonical_hash_of_a_fixed_mandate_does_not_change_between_versions()
    {
        Assert.That(TestData.MandateSpec().ContentSha256(), Is.EqualTo("5babb787584700e09b5d3434b130d5be9d20888cf381e6880661aafd4ec897fa"));
    }

    [Test]
    public void An_optional_field_left_empty_does_not_change_the_hash()
    {
        var spec = TestData.MandateSpec();

        Assert.That((spec with { RobotsOverride = null }).ContentSha256(), Is.EqualTo(spec.ContentSha256()));
        Assert.That((spec with { RobotsOverride = "a justification of enough length" }).ContentSha256(), Is.Not.EqualTo(spec.ContentSha256()));
    }
}
