using Crawler.Core.Policy;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>What one page may cost before it is parsed: its size and nesting counted over its tags, and the budget in crawler.yaml.</summary>
public sealed class PageBudgetTests
{
    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("<div>", depth)) + "ad" + string.Concat(Enumerable.Repeat("</div>", depth));

    [Test]
    public void Nested_elements_are_counted_with_their_depth()
    {
        Assert.That(PageShape.Measure(Nested(300)), Is.EqualTo((300, 300, 2)));
        Assert.That(PageShape.Measure("<html><body><main><article><p>Hi</p></article></main></body></html>"), Is.EqualTo((5, 2, 2)));
    }

    [TestCase("<ul>" + "<li>one<li>two<li>three<li>four" + "</ul>", 5, 1)]
    [TestCase("<p>a<p>b<p>c<p>d<p>e", 5, 0)]
    [TestCase("<table><tr><td>a<td>b<tr><td>c</table>", 6, 1)]
    [TestCase("<div><br><img src=x><input><hr></div>", 5, 1)]
    [TestCase("<div><span/><span/></div>", 3, 1)]
    public void Void_elements_and_those_closed_by_their_next_sibling_do_not_deepen_a_page(string html, int elements, int depth)
    {
        var (e, d, _) = PageShape.Measure(html);

        Assert.That((e, d), Is.EqualTo((elements, depth)));
    }

    [Test]
    public void Comments_and_the_text_of_scripts_and_styles_are_not_elements()
    {
        var html = "<div><!-- <div><div><div> --><script>var t = '<div><div><div>'; if (a<b) {}</script><style>a<b{}</style>ok</div>";

        Assert.That(PageShape.Measure(html), Is.EqualTo((3, 1, 2)), "only 'ok' is text");
    }

    [TestCase("price < 80 euro <3 and 1<2")]
    [TestCase("<!DOCTYPE html><?xml version='1.0'?>")]
    [TestCase("</div></div></div>")]
    public void Text_that_only_looks_like_tags_counts_for_nothing(string html)
    {
        var (elements, depth, _) = PageShape.Measure(html);

        Assert.That((elements, depth), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Text_is_counted_between_tags_and_a_page_with_too_much_is_refused_by_its_rule()
    {
        var page = "<html><body><p>" + new string('x', 2_000) + "</p>< not a tag</body></html>";
        var budget = new PageBudget(MaxElements: 1_000, MaxNesting: 64, MaxLinks: 10, MaxTextChars: 1_500);

        Assert.That(PageShape.Measure(page).Text, Is.EqualTo(2_000 + "< not a tag".Length));
        Assert.That(budget.Check(page)!.Value.Rule, Is.EqualTo(PageBudget.TextRule));
        Assert.That(budget.Check(page)!.Value.Reason, Does.Contain("2011 characters").And.Contain("1500"));
        Assert.That(budget with { MaxTextChars = 3_000 }, Has.Property(nameof(PageBudget.MaxTextChars)).EqualTo(3_000));
        Assert.That((budget with { MaxTextChars = 3_000 }).Check(page), Is.Null);
    }

    [Test]
    public void A_page_over_the_budget_is_refused_by_the_rule_it_breaks()
    {
        var budget = new PageBudget(MaxElements: 1_000, MaxNesting: 64, MaxLinks: 10);

        Assert.Multiple(() =>
        {
            Assert.That(budget.Check(Nested(60)), Is.Null);
            Assert.That(budget.Check(Nested(65))!.Value.Rule, Is.EqualTo(PageBudget.NestingRule));
            Assert.That(budget.Check(Nested(65))!.Value.Reason, Does.Contain("65 deep").And.Contain("64"));
            Assert.That(budget.Check(string.Concat(Enumerable.Repeat("<p>x</p>", 1_001)))!.Value.Rule, Is.EqualTo(PageBudget.ElementsRule));
        });
    }

    [Test]
    public void A_hostile_page_is_measured_in_one_pass()
    {
        // 190,000 nested elements (under a 2 MiB body cap) once stalled a crawl for minutes; counting them is one scan.
        var (elements, depth, _) = PageShape.Measure(Nested(190_000));

        Assert.That((elements, depth), Is.EqualTo((190_000, 190_000)));
        Assert.That(PageBudget.Default.Check(Nested(190_000))!.Value.Rule, Is.EqualTo(PageBudget.ElementsRule));
    }

    [Test]
    public void The_shipped_policy_sets_the_budget_and_a_bad_value_is_refused_with_its_field()
    {
        Assert.That(PolicySetLoader.Load(TestData.TopLevelPolicyFiles()).Fetch.Budget, Is.EqualTo(new PageBudget(50_000, 512, 2_000, 500_000)));

        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.CrawlerFile);
        files[i] = files[i] with { Text = files[i].Text.Replace("maxNesting: 512", "maxNesting: 5", StringComparison.Ordinal) };

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));
        Assert.That(ex!.Problems.Single().Field, Is.EqualTo("fetch.maxNesting"));
    }
}
