using Crawler.Core.Users;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class AccessPolicyTests
{
    private static IEnumerable<Permission> Permissions() => Enum.GetValues<Permission>();

    [TestCaseSource(nameof(Permissions))]
    public void Every_permission_is_held_by_some_role(Permission permission) =>
        Assert.That(AccessPolicy.RolesFor(permission), Is.Not.Empty);

    [TestCase(Permission.HitsRead)]
    [TestCase(Permission.HitsReadRestricted)]
    [TestCase(Permission.AuditRead)]
    [TestCase(Permission.MandatesDecide)]
    [TestCase(Permission.EvidenceExport)]
    [TestCase(Permission.HitsReveal)]
    public void An_admin_reads_neither_hits_nor_the_trail_and_decides_nothing(Permission permission) =>
        Assert.That(AccessPolicy.Allows(Role.Admin, permission), Is.False);

    [Test]
    public void An_auditor_reads_the_trail_and_never_hits()
    {
        Assert.That(AccessPolicy.Allows(Role.Auditor, Permission.AuditRead), Is.True);
        Assert.That(Permissions().Where(p => p.ToString().StartsWith("Hits", StringComparison.Ordinal)).Where(p => AccessPolicy.Allows(Role.Auditor, p)), Is.Empty);
    }

    [Test]
    public void Only_specialists_and_officers_read_hits_and_only_officers_and_auditors_the_trail()
    {
        Assert.That(AccessPolicy.RolesFor(Permission.HitsRead), Is.EquivalentTo(new[] { Role.Specialist, Role.Officer }));
        Assert.That(AccessPolicy.RolesFor(Permission.AuditRead), Is.EquivalentTo(new[] { Role.Auditor, Role.Officer }));
    }

    [Test]
    public void The_service_may_crawl_enforce_retention_and_link_and_nothing_else()
    {
        var service = Principal.Service;

        Assert.That(Permissions().Where(service.May), Is.EquivalentTo(new[] { Permission.CrawlRun, Permission.RetentionRun, Permission.HitsLink }));
    }

    [Test]
    public void A_person_may_what_their_role_may()
    {
        var officer = Principal.Of(TestData.Officer, secondFactor: false);

        Assert.That(officer.May(Permission.MandatesDecide), Is.True);
        Assert.That(officer.May(Permission.MandatesRequest), Is.False);
    }

    [Test]
    public void Officer_only_permissions_are_those_no_other_role_holds()
    {
        Assert.That(Permissions().Where(AccessPolicy.IsOfficerOnly),
            Is.EquivalentTo(new[] { Permission.MandatesDecide, Permission.HitsReadRestricted, Permission.HitsReveal, Permission.EvidenceExport }));
    }

    [TestCase(Permission.HitsReadRestricted, "hits-read-restricted")]
    [TestCase(Permission.UsersAdd, "users-add")]
    [TestCase(Permission.CrawlRun, "crawl-run")]
    public void Permission_names_are_kebab_case(Permission permission, string name) =>
        Assert.That(AccessPolicy.Name(permission), Is.EqualTo(name));
}
