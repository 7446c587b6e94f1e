using Crawler.Core.Policy;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

/// <summary>Reads the policy set from a folder: the top-level *.yaml files and profiles/*.yaml (examples/ is not policy).</summary>
public static class PolicyDirectory
{
    public const string EnvironmentVariable = "CRAWLER_POLICIES";

    /// <summary>The folder given, else $CRAWLER_POLICIES, else the policies/ that ships beside the program.</summary>
    public static string Resolve(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return !string.IsNullOrWhiteSpace(env) ? env : Path.Combine(AppContext.BaseDirectory, "policies");
    }

    public static PolicySet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException(new InputProblem(directory, 0, 0, "(folder)", "policy folder not found"));
        }

        var files = Directory.GetFiles(directory, "*.yaml", SearchOption.TopDirectoryOnly)
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        var profiles = Path.Combine(directory, "profiles");
        if (Directory.Exists(profiles))
        {
            files.AddRange(Directory.GetFiles(profiles, "*.yaml", SearchOption.TopDirectoryOnly)
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))));
        }

        try
        {
            return PolicySetLoader.Load(files);
        }
        catch (InputException ex)
        {
            // Name the file by its full path, so the message points at the file to fix.
            throw new InputException(ex.Problems.Select(p => p with { File = Path.Combine(directory, p.File) }).ToList());
        }
    }
}
