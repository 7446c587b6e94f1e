using Crawler.Core.Policy;
using Crawler.Core.Retention;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Documents;

namespace Crawler.Service.Application;

/// <summary>Reads the policy set from a folder: the top-level *.yaml files and profiles/*.yaml (examples/ is not policy).</summary>
public static class PolicyDirectory
{
    public const string EnvironmentVariable = "CRAWLER_POLICIES";

    /// <summary>The folder given, else $CRAWLER_POLICIES (read through the entry point's <paramref name="variable"/>), else the policies/ that ships beside the program.</summary>
    public static string Resolve(string? given, Func<string, string?> variable)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var env = variable(EnvironmentVariable);
        return !string.IsNullOrWhiteSpace(env) ? env : Path.Combine(AppContext.BaseDirectory, "policies");
    }

    public static PolicySet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException(new InputProblem(directory, 0, 0, "(folder)", "policy folder not found"));
        }

        var files = Directory.GetFiles(directory, "*.yaml", SearchOption.TopDirectoryOnly)
            .Select(f => new PolicyFileText(Path.GetFileName(f), InputFiles.ReadDocument(f, "(file)")))
            .ToList();
        var profiles = Path.Combine(directory, "profiles");
        if (Directory.Exists(profiles))
        {
            files.AddRange(Directory.GetFiles(profiles, "*.yaml", SearchOption.TopDirectoryOnly)
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), InputFiles.ReadDocument(f, "(file)"))));
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

    /// <summary>policies/retention.yaml; it is part of the policy set's version like every top-level policy file.</summary>
    public static RetentionPolicy LoadRetention(string directory) => LoadFile(directory, RetentionPolicyReader.FileName, (file, text) =>
    {
        var retention = RetentionPolicyReader.Read(file);
        return Scheduling.CronSchedule.IsValid(retention.Schedule)
            ? retention
            : throw new InputException(new InputProblem(file.Name, YamlReader.LineOf(text, "schedule"), 0, "schedule",
                $"'{retention.Schedule}' is not a Quartz cron expression (seconds first, e.g. \"0 0 3 * * ?\")"));
    });

    /// <summary>policies/identity.yaml; like every top-level policy file it is part of the policy set's version.</summary>
    public static IdentityPolicy LoadIdentity(string directory) => LoadFile(directory, IdentityPolicyReader.FileName, (file, _) => IdentityPolicyReader.Read(file));

    private static T LoadFile<T>(string directory, string name, Func<PolicyFileText, string, T> read)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new InputException(new InputProblem(path, 0, 0, "(file)", "required policy file is missing"));
        }

        try
        {
            var text = InputFiles.ReadDocument(path, "(file)");
            return read(new PolicyFileText(name, text), text);
        }
        catch (InputException ex)
        {
            throw new InputException(ex.Problems.Select(p => p with { File = path }).ToList());
        }
    }
}
