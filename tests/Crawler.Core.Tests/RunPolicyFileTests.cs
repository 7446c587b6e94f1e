using Crawler.Core.Policy;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>The <c>runs</c> section of crawler.yaml: the run lease and its heartbeat, validated like every other section.</summary>
public sealed class RunPolicyFileTests
{
    private static List<PolicyFileText> WithCrawlerYaml(Func<string, string> edit)
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.CrawlerFile);
        files[i] = files[i] with { Text = edit(files[i].Text) };
        return files;
    }

    private static int LineOf(string text, string needle) =>
        text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(needle, StringComparison.Ordinal)).i + 1;

    [Test]
    public void The_shipped_policy_sets_the_lease_and_heartbeat()
    {
        var policy = PolicySetLoader.Load(TestData.TopLevelPolicyFiles());

        Assert.That(policy.Runs, Is.EqualTo(new RunPolicy(60, 15)));
        Assert.That(policy.Runs.Lease, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void Without_a_runs_section_the_defaults_hold()
    {
        var files = WithCrawlerYaml(t => t.Replace("runs:", "# runs:", StringComparison.Ordinal)
            .Replace("  leaseSeconds: 60", "", StringComparison.Ordinal).Replace("  heartbeatSeconds: 15", "", StringComparison.Ordinal));

        Assert.That(PolicySetLoader.Load(files).Runs, Is.EqualTo(RunPolicy.Default));
    }

    [Test]
    public void A_heartbeat_that_could_miss_the_lease_is_refused_with_file_line_and_field()
    {
        var files = WithCrawlerYaml(t => t.Replace("heartbeatSeconds: 15", "heartbeatSeconds: 40", StringComparison.Ordinal));
        var text = files.Single(f => f.Name == PolicySetLoader.CrawlerFile).Text;

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        var problem = ex.Problems.Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("crawler.yaml"));
            Assert.That(problem.Field, Is.EqualTo("runs.heartbeatSeconds"));
            Assert.That(problem.Line, Is.EqualTo(LineOf(text, "heartbeatSeconds: 40")));
            Assert.That(problem.Message, Does.Contain("half of runs.leaseSeconds"));
        });
    }

    [TestCase("leaseSeconds: 60", "leaseSeconds: 5", "runs.leaseSeconds")]
    [TestCase("heartbeatSeconds: 15", "heartbeatSeconds: 0", "runs.heartbeatSeconds")]
    [TestCase("heartbeatSeconds: 15", "heartbeatSeconds: soon", "runs.heartbeatSeconds")]
    [TestCase("leaseSeconds: 60", "leaseSecond: 60", "runs.leaseSecond")]
    public void A_bad_runs_field_is_refused_naming_it(string from, string to, string field)
    {
        var files = WithCrawlerYaml(t => t.Replace(from, to, StringComparison.Ordinal));

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        Assert.That(ex.Problems.Select(p => (p.File, p.Field)), Does.Contain(("crawler.yaml", field)));
        Assert.That(ex.Problems.Where(p => p.Field == field).Select(p => p.Line), Has.All.GreaterThan(0));
    }
}
