
namespace Crawler.Documents;

/// <summary>Reads policies/identity.yaml, naming file, line and field for every problem.</summary>
public static class IdentityPolicyReader
{
    public const string FileName = "identity.yaml";

    /// <summary>Below this a PBKDF2-HMAC-SHA512 hash is cheap enough to guess at scale (ASP.NET Core Identity's own default is 100,000).</summary>
    public const int MinIterations = 100_000;

    public static IdentityPolicy Read(PolicyFileText file)
    {
        var (r, root) = YamlReader.Open(file.Name, file.Text);
        if (root is null)
        {
            r.ThrowIfProblems();
            throw new InputException(new InputProblem(file.Name, 0, 0, "(file)", "empty identity policy"));
        }

        r.RejectUnknown(root, "", "passwordMinLength", "passwordIterations", "lockoutAttempts", "lockoutMinutes", "tokenHours",
            "enrolmentDays", "officerSecondFactor");
        var d = IdentityPolicy.Default;
        var factorText = r.Text(root, "", "officerSecondFactor", required: false);
        var factor = d.OfficerSecondFactor;
        switch (factorText)
        {
            case null:
                break;
            case "optional":
                factor = SecondFactor.Optional;
                break;
            case "required":
                factor = SecondFactor.RequiredForOfficers;
                break;
            default:
                r.Problem(YamlReader.Child(root, "officerSecondFactor"), "officerSecondFactor", $"expected optional or required, got '{factorText}'");
                break;
        }

        var policy = new IdentityPolicy(
            r.Number(root, "", "passwordMinLength", 8, 1024) ?? d.PasswordMinLength,
            r.Number(root, "", "passwordIterations", MinIterations, 10_000_000) ?? d.PasswordIterations,
            r.Number(root, "", "lockoutAttempts", 1, 100) ?? d.LockoutAttempts,
            r.Number(root, "", "lockoutMinutes", 1, 24 * 60) ?? d.LockoutMinutes,
            r.Number(root, "", "tokenHours", 1, 24 * 31) ?? d.TokenHours,
            r.Number(root, "", "enrolmentDays", 1, 90) ?? d.EnrolmentDays,
            factor);
        r.ThrowIfProblems();
        return policy;
    }
}
