using System.Text;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>Input files a user can get wrong or a hostile file can abuse: each refused with where, never a crash.</summary>
public sealed class InputBoundsTests
{
    [Test]
    public void A_byte_that_is_not_utf8_is_refused_at_its_line_and_column()
    {
        var bytes = Encoding.UTF8.GetBytes("case: \"2026-MH-1\"\ncaseName: \"Onderzoek ").Concat(new byte[] { 0xE9 }).Concat("t\"\n"u8.ToArray()).ToArray();

        var problem = Assert.Throws<InputException>(() => InputText.Decode(bytes, "mandate.yaml"))!.Problems.Single();

        Assert.That((problem.File, problem.Line, problem.Column), Is.EqualTo(("mandate.yaml", 2, 22)));
        Assert.That(problem.Message, Does.Contain("0xE9").And.Contain("not UTF-8"));
    }

    [Test]
    public void Columns_count_characters_so_a_valid_accent_before_the_bad_byte_counts_once()
    {
        var bytes = Encoding.UTF8.GetBytes("name: café ").Concat(new byte[] { 0xFF }).ToArray();

        var problem = Assert.Throws<InputException>(() => InputText.Decode(bytes, "t.yaml"))!.Problems.Single();

        Assert.That((problem.Line, problem.Column), Is.EqualTo((1, 12)));
    }

    [Test]
    public void A_byte_order_mark_is_dropped_and_utf16_is_named()
    {
        Assert.That(InputText.Decode("\uFEFFname: x"u8, "t.yaml"), Is.EqualTo("name: x"));
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("name: x")).ToArray();

        Assert.That(Assert.Throws<InputException>(() => InputText.Decode(utf16, "t.yaml"))!.Message, Does.Contain("UTF-16"));
    }

    [TestCase(50_000)]
    [TestCase(YamlReader.MaxNesting + 1)]
    public void A_document_nested_deeper_than_the_cap_is_refused_without_overflowing_the_stack(int depth)
    {
        var text = "name: x\nseeds: " + new string('[', depth) + new string(']', depth) + "\n";

        var (reader, root) = YamlReader.Open("deep.yaml", text);

        Assert.That(root, Is.Null);
        var problem = reader.Problems.Single();
        Assert.That(problem.Message, Does.Contain($"more than {YamlReader.MaxNesting} levels"));
        Assert.That(problem.Line, Is.EqualTo(2));
    }

    [Test]
    public void A_document_at_the_nesting_cap_is_read()
    {
        var depth = YamlReader.MaxNesting - 1; // the top-level mapping is a level too
        var text = "name: x\nseeds: " + new string('[', depth) + new string(']', depth) + "\n";

        var (_, root) = YamlReader.Open("deep.yaml", text);

        Assert.That(root, Is.Not.Null);
    }

    [Test]
    public void A_tab_in_the_indentation_is_reported_on_the_tabs_own_line()
    {
        const string text = "name: demo\nscope:\n  hosts: [a.example]\n  maxDepth: 2\n\tmaxPagesPerRun: 5\n";

        var problem = Assert.Throws<InputException>(() => TargetFile.Parse("t.yaml", text, TestData.Policy, _ => true))!.Problems.Single();

        Assert.That((problem.Line, problem.Column), Is.EqualTo((5, 1)));
        Assert.That(problem.Message, Does.Contain("tab"));
    }

    [Test]
    public void A_tab_inside_a_value_is_not_mistaken_for_indentation()
    {
        const string text = "name: demo\nseeds: [\"https://a.example/\"]\nscope:\n  hosts: [a.example]\n  include: ['^/ads\t/']\n";

        var spec = TargetFile.Parse("t.yaml", text, TestData.Policy, _ => true);

        Assert.That(spec.Name, Is.EqualTo("demo"));
    }
}
