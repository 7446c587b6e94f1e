using Crawler.Core.Policy;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>policies/profiles/*.yaml: every file loads, and a bad one is refused naming file, line and field.</summary>
public sealed class ProfileFileTests
{
    private static List<PolicyFileText> WithProfile(string name, string yaml)
    {
        var files = TestPolicy.Files();
        files.RemoveAll(f => f.Name == "profiles/" + name);
        files.Add(new PolicyFileText("profiles/" + name, yaml));
        return files;
    }

    private static InputProblem SingleProblem(List<PolicyFileText> files)
    {
        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));
        Assert.That(ex.Problems, Has.Count.EqualTo(1), ex.Message);
        return ex.Problems[0];
    }

    [Test]
    public void Every_profile_file_loads_and_the_policy_lists_their_names()
    {
        var names = Directory.GetFiles(Path.Combine(TestPolicy.PoliciesDir, "profiles"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(TestPolicy.Policy.Profiles, Is.EqualTo(names));
            Assert.That(TestPolicy.Policy.Profiles, Does.Contain("generic"));
            Assert.That(TestPolicy.Policy.Profiles.Get("classic").AdRegion, Is.EqualTo(new[] { "main > article.ad", "main" }));
            Assert.That(TestPolicy.Policy.Profiles.Get("cards").AdId, Is.EqualTo(new AdIdSource("#profile", "data-profile-id", null)));
            Assert.That(TestPolicy.Policy.Profiles.Find("nope"), Is.Null);
        });
    }

    [Test]
    public void Each_fixture_layout_has_a_profile_of_its_name()
    {
        var layouts = Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures")).Select(Path.GetFileName);

        Assert.That(TestPolicy.Policy.Profiles, Is.SupersetOf(layouts));
    }

    [Test]
    public void The_generic_profile_is_the_heuristic_one()
    {
        var generic = TestPolicy.Policy.Profiles.Get("generic");

        Assert.Multiple(() =>
        {
            Assert.That(generic.AdRegion, Is.Empty);
            Assert.That(generic.Drop, Is.Empty);
            Assert.That(generic.Body, Is.Null);
            Assert.That(generic.DropCommonThirdParty, Is.True);
        });
    }

    [Test]
    public void An_unknown_field_is_refused_with_file_line_and_field()
    {
        var problem = SingleProblem(WithProfile("site.yaml", "description: a site\ntitel: h1\n"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("profiles/site.yaml"));
            Assert.That(problem.Line, Is.EqualTo(2));
            Assert.That(problem.Field, Is.EqualTo("titel"));
            Assert.That(problem.Message, Does.Contain("unknown field").And.Contain("title"));
        });
    }

    [TestCase("drop: [footer, \"div[\"]", "drop[1]", 1)]
    [TestCase("drop:\n  - footer\n  - \"a:nth-child(\"", "drop[1]", 3)]
    [TestCase("adRegion: \"..ad\"", "adRegion", 1)]
    [TestCase("title: \"   \"", "title", 1)]
    [TestCase("fields: [\"dl >\"]", "fields[0]", 1)]
    [TestCase("adId:\n  selector: \"#1abc\"", "adId.selector", 2)]
    public void A_selector_AngleSharp_cannot_parse_is_refused_naming_the_field(string yaml, string field, int line)
    {
        var problem = SingleProblem(WithProfile("site.yaml", yaml + "\ndescription: a site\n"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("profiles/site.yaml"));
            Assert.That(problem.Field, Is.EqualTo(field));
            Assert.That(problem.Line, Is.EqualTo(line));
            Assert.That(problem.Message, Does.Contain("not a valid CSS selector"));
        });
    }

    [TestCase("adId:\n  urlPattern: '/ads/(\\d+'", "not a regular expression")]
    [TestCase("adId:\n  urlPattern: '/ads/\\d+'", "needs a group")]
    [TestCase("adId:\n  attribute: data-id", "needs a selector")]
    public void A_bad_ad_id_source_is_refused(string yaml, string message)
    {
        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(WithProfile("site.yaml", "description: a site\n" + yaml + "\n")));

        Assert.That(ex.Problems.Select(p => p.File + " " + p.Field + ": " + p.Message), Has.Some.Contains("profiles/site.yaml adId").And.Some.Contains(message));
    }

    [Test]
    public void Malformed_yaml_is_refused_with_its_position()
    {
        var problem = SingleProblem(WithProfile("site.yaml", "description: a site\ndrop: [footer\n"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("profiles/site.yaml"));
            Assert.That(problem.Line, Is.GreaterThan(0));
            Assert.That(problem.Message, Does.StartWith("malformed YAML"));
        });
    }

    [Test]
    public void A_profile_name_must_be_usable_in_a_target_file()
    {
        var problem = SingleProblem(WithProfile("My_Site.yaml", "description: a site\n"));

        Assert.That(problem.Message, Does.Contain("profile name 'My_Site'"));
    }

    [Test]
    public void The_generic_profile_is_required()
    {
        var files = TestPolicy.Files().Where(f => f.Name != "profiles/generic.yaml").ToList();

        var problem = SingleProblem(files);

        Assert.That((problem.File, problem.Message), Is.EqualTo(("profiles/generic.yaml", "required policy file is missing")));
    }

    [Test]
    public void The_old_list_of_profile_names_in_crawler_yaml_is_refused_with_a_pointer_to_the_files()
    {
        var files = TestPolicy.Files();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.CrawlerFile);
        files[i] = files[i] with { Text = files[i].Text + "\nextraction:\n  profiles: [generic]\n" };

        var problem = SingleProblem(files);

        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("crawler.yaml"));
            Assert.That(problem.Field, Is.EqualTo("extraction"));
            Assert.That(problem.Message, Does.Contain("profiles/"));
        });
    }

    [Test]
    public void Problems_in_several_profiles_are_all_reported_at_once()
    {
        var files = WithProfile("one.yaml", "description: x\ntitle: \"h1[\"\n");
        files.Add(new PolicyFileText("profiles/two.yaml", "description: y\nbody: main\nextra: 1\n"));

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        Assert.That(ex.Problems.Select(p => $"{p.File}:{p.Line}: {p.Field}"), Is.EquivalentTo(new[] { "profiles/one.yaml:2: title", "profiles/two.yaml:3: extra" }));
    }

    [Test]
    public void A_profile_changes_the_policy_version()
    {
        var files = WithProfile("site.yaml", "description: a site\n");

        Assert.That(PolicySetLoader.Load(files).Version, Is.Not.EqualTo(TestPolicy.Policy.Version));
    }

    [Test]
    public void Files_beside_the_profiles_folder_are_not_profiles()
    {
        var files = TestPolicy.Files();
        files.Add(new PolicyFileText("profiles/old/site.yaml", "not: a profile\n"));
        files.Add(new PolicyFileText("profiles/readme.txt", "notes"));

        Assert.That(PolicySetLoader.Load(files).Profiles, Is.EqualTo(TestPolicy.Policy.Profiles));
    }
}
