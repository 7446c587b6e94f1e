using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>The Koops weighing over a table of draft mandates, each with its expected level and deciding factor.</summary>
public sealed class KoopsWeighingTests
{
    private static readonly KoopsPolicy Koops = TestData.Policy.Koops;

    private static MandateSpec Narrow() => TestData.MandateSpec() with
    {
        LegalBasis = "art3-politiewet",
        ValidUntil = TestData.ValidFrom.AddDays(14),
        Limits = new MandateLimits(200, 20),
    };

    private static readonly TargetSpec OneHost = TestData.TargetSpec();

    private static KoopsAssessment Assess(MandateSpec spec, params TargetSpec[] targets) =>
        KoopsWeighing.Assess(spec, targets.Length == 0 ? [OneHost] : targets, Koops, "policy-v", "0.1.0");

    private static Dictionary<string, string> Justify(params string[] factors) =>
        factors.ToDictionary(f => f, f => $"why {f} is necessary");

    public static IEnumerable<TestCaseData> Table()
    {
        yield return new TestCaseData(Narrow(), IntrusionLevel.Minor, "duration")
            .SetName("Short and narrow is minor");
        yield return new TestCaseData(
                Narrow() with
                {
                    LegalBasis = "art126g-sv",
                    ValidUntil = TestData.ValidFrom.AddDays(60),
                    TargetType = TargetType.Person,
                    TargetDescription = "the person behind one number",
                    Linking = true,
                    Justifications = Justify("duration", "targeting", "combination"),
                },
                IntrusionLevel.Systematic, "duration")
            .SetName("Long person-targeted with linking is systematic");
        yield return new TestCaseData(
                Narrow() with
                {
                    LegalBasis = "art126g-sv",
                    ValidUntil = TestData.ValidFrom.AddDays(180),
                    Linking = true,
                    DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Images] = Treatment.Keep },
                },
                IntrusionLevel.BeyondPolicy, "duration")
            .SetName("Images of people with linking for 180 days is beyond policy");
        yield return new TestCaseData(Narrow() with { RecrawlIntervalHours = 6, LegalBasis = "art126g-sv", Justifications = Justify("frequency") },
                IntrusionLevel.Systematic, "frequency")
            .SetName("Recrawling every 6 hours is systematic");
        yield return new TestCaseData(Narrow() with { Limits = new MandateLimits(50_000, 20) }, IntrusionLevel.BeyondPolicy, "amount")
            .SetName("Fifty thousand pages is beyond policy");
        yield return new TestCaseData(Narrow() with { TargetType = TargetType.Group, LegalBasis = "art126g-sv", Justifications = Justify("targeting") },
                IntrusionLevel.Systematic, "targeting")
            .SetName("A group target is systematic");
        yield return new TestCaseData(
                Narrow() with { DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Text] = Treatment.Keep }, LegalBasis = "art126g-sv", Justifications = Justify("third-parties") },
                IntrusionLevel.Systematic, "third-parties")
            .SetName("Keeping full text is systematic for third parties");
    }

    [TestCaseSource(nameof(Table))]
    public void Weighs_each_draft_to_its_level_and_deciding_factor(MandateSpec spec, IntrusionLevel level, string deciding)
    {
        var a = Assess(spec);

        Assert.Multiple(() =>
        {
            Assert.That(a.Level, Is.EqualTo(level));
            Assert.That(a.DecidingFactor, Is.EqualTo(deciding));
            Assert.That(a.Factors.Select(f => f.Factor), Is.EqualTo(KoopsFactor.All));
            Assert.That(a.Factors, Has.All.Matches<FactorAssessment>(f => f.Reason.Length > 0));
        });
    }

    [Test]
    public void A_minor_mandate_with_a_fitting_basis_is_acceptable_and_says_what_it_requires()
    {
        var a = Assess(Narrow());

        Assert.Multiple(() =>
        {
            Assert.That(a.Acceptable, Is.True, string.Join("; ", a.Problems.Select(p => p.Message)));
            Assert.That(a.RequiredLegalBases, Does.Contain("art3-politiewet"));
            Assert.That(a.RequiredApprover, Is.EqualTo(Users.Role.Officer));
            Assert.That(a.PolicyVersion, Is.EqualTo("policy-v"));
        });
    }

    [Test]
    public void A_systematic_mandate_on_article_3_Politiewet_is_refused_naming_the_legal_basis_and_the_deciding_factor()
    {
        var a = Assess(Narrow() with { Linking = true, Justifications = Justify("combination") });

        var problem = a.Problems.Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("legalBasis"));
            Assert.That(problem.Message, Does.Contain("art3-politiewet").And.Contain("combination").And.Contain("art126g-sv"));
        });
    }

    [Test]
    public void Every_factor_above_minor_needs_its_justification_named_exactly()
    {
        var a = Assess(Narrow() with { LegalBasis = "art126g-sv", Linking = true, TargetType = TargetType.Person, TargetDescription = "x" });

        Assert.That(a.Problems.Select(p => p.Field), Is.EquivalentTo(TestData.Seq("justifications.combination", "justifications.targeting")));
    }

    [Test]
    public void A_beyond_policy_mandate_is_refused_whatever_its_basis()
    {
        var a = Assess(Narrow() with { LegalBasis = "art126g-sv", ValidUntil = TestData.ValidFrom.AddDays(120), Justifications = Justify("duration") });

        Assert.Multiple(() =>
        {
            Assert.That(a.Level, Is.EqualTo(IntrusionLevel.BeyondPolicy));
            Assert.That(a.Acceptable, Is.False);
            Assert.That(a.Problems[0].Field, Is.EqualTo("validUntil"));
        });
    }

    [Test]
    public void Many_systematic_factors_together_are_beyond_policy()
    {
        var spec = Narrow() with
        {
            LegalBasis = "art126g-sv",
            ValidUntil = TestData.ValidFrom.AddDays(60),
            RecrawlIntervalHours = 6,
            Linking = true,
            TargetType = TargetType.Person,
            TargetDescription = "x",
            DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Images] = Treatment.Keep, [DataCategory.Text] = Treatment.Keep },
        };
        var wide = TestData.TargetSpec(hosts: ["*.example.nl"]);

        var a = Assess(spec, wide);

        Assert.Multiple(() =>
        {
            Assert.That(a.Level, Is.EqualTo(IntrusionLevel.BeyondPolicy));
            Assert.That(a.DecidingFactor, Does.StartWith("combination of"));
        });
    }

    [Test]
    public void A_wildcard_host_pattern_makes_place_systematic()
    {
        var a = Assess(Narrow(), TestData.TargetSpec(hosts: ["*.example.nl"]));

        Assert.That(a.Factors.Single(f => f.Factor == KoopsFactor.Place).Level, Is.EqualTo(IntrusionLevel.Systematic));
    }

    [Test]
    public void The_technical_aid_factor_records_the_crawler_version()
    {
        var a = Assess(Narrow());

        Assert.That(a.Factors.Single(f => f.Factor == KoopsFactor.TechnicalAid).Value, Is.EqualTo("crawler 0.1.0"));
    }
}
