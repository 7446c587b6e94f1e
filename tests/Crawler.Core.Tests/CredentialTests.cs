using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class CredentialTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly IdentityPolicy Policy = new(LockoutAttempts: 3, LockoutMinutes: 15);

    [Test]
    public void Failures_are_counted_until_the_account_locks_for_the_policy_minutes()
    {
        var c = Credential.None.Failed(Now, Policy).Failed(Now, Policy);
        Assert.That((c.FailedAttempts, c.IsLockedAt(Now)), Is.EqualTo((2, false)));

        var locked = c.Failed(Now, Policy);

        Assert.That(locked.IsLockedAt(Now), Is.True);
        Assert.That(locked.IsLockedAt(Now.AddMinutes(14)), Is.True);
        Assert.That(locked.IsLockedAt(Now.AddMinutes(15)), Is.False, "locked for a while, not for ever");
        Assert.That(locked.FailedAttempts, Is.Zero, "after the lock the count starts again");
    }

    [Test]
    public void A_success_clears_failures_and_a_lock()
    {
        var c = Credential.None.Failed(Now, Policy).Failed(Now, Policy).Failed(Now, Policy);

        Assert.That(c.Succeeded(), Is.EqualTo(Credential.None));
    }

    [Test]
    public void The_second_factor_is_asked_only_once_confirmed()
    {
        Assert.That(new Credential(TotpSecret: "JBSWY3DPEHPK3PXP").RequiresTotp, Is.False);
        Assert.That(new Credential(TotpSecret: "JBSWY3DPEHPK3PXP", TotpConfirmed: true).RequiresTotp, Is.True);
    }

    [Test]
    public void A_token_works_from_its_issue_until_it_expires_unless_revoked()
    {
        var token = new AccessToken("ab", "sanne", Now, Now.AddHours(8));

        Assert.That(token.ValidAt(Now.AddHours(7.9)), Is.True);
        Assert.That(token.ValidAt(Now.AddHours(8)), Is.False);
        Assert.That(token.ValidAt(Now.AddHours(-1)), Is.False, "not before it was issued (beyond clock skew)");
        Assert.That((token with { RevokedAt = Now.AddHours(1) }).ValidAt(Now.AddHours(2)), Is.False);
    }

    [Test]
    public void The_shipped_identity_policy_loads()
    {
        var policy = IdentityPolicyReader.Read(new PolicyFileText(IdentityPolicyReader.FileName,
            File.ReadAllText(Path.Combine(TestData.PoliciesDir, IdentityPolicyReader.FileName))));

        Assert.That(policy, Is.EqualTo(IdentityPolicy.Default));
    }

    [TestCase("passwordIterations: 1000\n", 1, "passwordIterations", "between 100000")]
    [TestCase("lockoutAttempts: 5\npasswordMinLenght: 14\n", 2, "passwordMinLenght", "unknown")]
    [TestCase("officerSecondFactor: sometimes\n", 1, "officerSecondFactor", "optional or required")]
    public void A_bad_identity_policy_names_line_and_field(string yaml, int line, string field, string message)
    {
        var ex = Assert.Throws<InputException>(() => IdentityPolicyReader.Read(new PolicyFileText("identity.yaml", yaml)));

        var problem = ex!.Problems.Single();
        Assert.That((problem.Line, problem.Field), Is.EqualTo((line, field)));
        Assert.That(problem.Message, Does.Contain(message));
    }

    [Test]
    public void Required_second_factor_is_read()
    {
        var policy = IdentityPolicyReader.Read(new PolicyFileText("identity.yaml", "officerSecondFactor: required\n"));

        Assert.That(policy.OfficerSecondFactor, Is.EqualTo(SecondFactor.RequiredForOfficers));
    }
}
