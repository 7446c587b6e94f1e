using NUnit.Framework;
namespace Crawler.EndToEnd.Tests;

/// <summary>Bad input gets a clear error naming file, line and field, exit code 2, and changes nothing.</summary>
public sealed class CliInputTests
{
    private static async Task<(long Audit, int Targets)> CountsAsync(Lab lab)
    {
        using var ctx = lab.OpenContext();
        return await Task.FromResult((ctx.Store.Count(), ctx.Store.Targets().Count));
    }

    [TestCase("malformed.yaml", "name: x\nseeds: [\"http://a.example/\"\n", "malformed.yaml:", "(document)")]
    [TestCase("unknown.yaml", "name: shop\nseeds: [\"http://a.example/\"]\nscope:\n  maxDeph: 2\n", "unknown.yaml:4:", "scope.maxDeph")]
    [TestCase("noseeds.yaml", "name: shop\nscope:\n  maxDepth: 2\n", "noseeds.yaml:", "seeds")]
    [TestCase("badregex.yaml", "name: shop\nseeds: [\"http://a.example/\"]\nscope:\n  exclude: ['(']\n", "badregex.yaml:4:", "scope.exclude")]
    public async Task A_bad_target_file_is_refused_with_file_line_and_field_and_nothing_is_written(string file, string yaml, string where, string field)
    {
        using var lab = await Lab.CreateAsync();
        await lab.SignInAsync("sanne");
        var before = await CountsAsync(lab);

        var result = await lab.Run("target", "add", "--file", lab.WriteFile(file, yaml), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(where).And.Contain(field));
        Assert.That(await CountsAsync(lab), Is.EqualTo(before));
    }

    /// <summary>Every file of the data folder, by name and SHA-256: equal before and after means nothing was written.</summary>
    private static IReadOnlyDictionary<string, string> FolderDigest(Lab lab) =>
        Directory.GetFiles(lab.Dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(lab.Dir, f),
                f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    private static readonly byte[] NotUtf8 = [.. "name: shop\nseeds: [\"http://a.example/\"]\nscope:\n  include: ['^/caf"u8, 0xE9, .. "/']\n"u8];

    [TestCase("latin1.yaml", "latin1.yaml:4:19:", "not UTF-8")]
    [TestCase("deep.yaml", "deep.yaml:2:", "levels deep")]
    [TestCase("tab.yaml", "tab.yaml:5:1:", "a tab indents this line")]
    [TestCase("private.yaml", "private.yaml:2:", "private address")]
    [TestCase("huge.yaml", "huge.yaml", "may be at most 16 MiB")]
    public async Task A_hostile_or_broken_target_file_is_refused_where_it_is_wrong_and_the_data_folder_is_byte_identical(string file, string where, string message)
    {
        using var lab = await Lab.CreateAsync();
        await lab.SignInAsync("sanne");
        // Beside the data folder, not in it: the folder is compared byte for byte.
        var path = lab.Dir + "-" + file;
        switch (file)
        {
            case "latin1.yaml":
                await File.WriteAllBytesAsync(path, NotUtf8);
                break;
            case "deep.yaml":
                await File.WriteAllTextAsync(path, "name: shop\nseeds: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
                break;
            case "tab.yaml":
                await File.WriteAllTextAsync(path, "name: shop\nseeds: [\"http://a.example/\"]\nscope:\n  maxDepth: 2\n\tmaxPagesPerRun: 5\n");
                break;
            case "private.yaml":
                await File.WriteAllTextAsync(path, "name: shop\nseeds: [\"http://192.168.1.20/ads/\"]\n");
                break;
            default:
                // Sparse: the size is what is checked, before a byte is read.
                await using (var huge = File.Create(path))
                {
                    huge.SetLength(2L * 1024 * 1024 * 1024);
                }

                break;
        }

        var before = FolderDigest(lab);

        var result = await lab.Run("target", "add", "--file", path, "--as", "sanne");
        File.Delete(path);

        Assert.That(result.Code, Is.EqualTo(2), result.Out + result.Err);
        Assert.That(result.Err, Does.Contain(where).And.Contain(message));
        Assert.That(result.Err, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(FolderDigest(lab), Is.EqualTo(before), "nothing in the data folder changed");
    }

    [Test]
    public async Task A_mandate_with_a_window_longer_than_policy_allows_is_refused_naming_the_field()
    {
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        var before = await CountsAsync(lab);
        var now = lab.Time.GetUtcNow();

        var result = await lab.Run("mandate", "request", "--file", lab.WriteMandate(now, now.AddDays(120)), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("validUntil").And.Contain("at most 90"));
        Assert.That(await CountsAsync(lab), Is.EqualTo(before));
    }

    [Test]
    public async Task An_unknown_user_is_refused_and_only_the_failed_sign_in_is_recorded()
    {
        using var lab = await Lab.CreateAsync();
        var before = await CountsAsync(lab);

        var result = await lab.Run("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "mallory");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("refused (auth.failed)").And.Not.Contain("mallory"),
            "a failed sign-in does not tell whether the name exists");
        Assert.That(await CountsAsync(lab), Is.EqualTo((before.Audit + 1, before.Targets)));
        using var ctx = lab.OpenContext();
        var last = ctx.Store.Entries()[^1];
        Assert.That((last.Record.Operation, last.Record.Rule, last.Record.Subject), Is.EqualTo(("authenticate", "auth.unknown-user", "user:(unknown)")),
            "the name typed is not recorded: it may be a password typed in the wrong field");
    }

    [Test]
    public async Task An_unknown_role_is_refused_and_nothing_is_written()
    {
        using var lab = await Lab.CreateAsync();
        var before = await CountsAsync(lab);

        var result = await lab.Run("users", "add", "eve", "--role", "superuser", "--as", "admin");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--role").And.Contain("unknown role 'superuser'"));
        Assert.That(await CountsAsync(lab), Is.EqualTo(before));
        var users = await lab.Ok("users", "list", "--json", "--as", "admin");
        Assert.That(users.Out, Does.Not.Contain("eve"));
    }

    [Test]
    public async Task A_specialist_cannot_add_users()
    {
        using var lab = await Lab.CreateAsync();

        var result = await lab.Run("users", "add", "eve", "--role", "officer", "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("admin"));
    }

    [Test]
    public async Task Init_is_idempotent_and_keeps_the_keys()
    {
        using var lab = await Lab.CreateAsync();
        var key = await File.ReadAllTextAsync(Path.Combine(lab.Dir + ".keys", "audit.key"));

        var again = await lab.Run("init", "--lab", "--json");

        Assert.That(again.Code, Is.EqualTo(0));
        Assert.That(again.Json.GetProperty("created").GetBoolean(), Is.False);
        Assert.That(await File.ReadAllTextAsync(Path.Combine(lab.Dir + ".keys", "audit.key")), Is.EqualTo(key));
        var downgrade = await lab.Run("init");
        Assert.That(downgrade.Code, Is.EqualTo(2), "a lab folder cannot silently become a production one");
    }

    [Test]
    public async Task The_database_is_encrypted_and_no_key_lies_in_the_data_folder()
    {
        using var lab = await Lab.CreateAsync();
        await lab.TargetWithApprovedMandateAsync(new Uri("http://127.0.0.1:9/"));

        var raw = await File.ReadAllBytesAsync(Path.Combine(lab.Dir, "crawler.db"));
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(lab.Dir + ".keys", "database.key")), Is.True);
            Assert.That(Directory.GetFiles(lab.Dir, "*.key", SearchOption.AllDirectories), Is.Empty);
            Assert.That(System.Text.Encoding.UTF8.GetString(raw), Does.Not.Contain("sanne").And.Not.Contain("2026-MH"),
                "user names and case numbers must not be readable in the file");
        });
    }

    [Test]
    public async Task A_key_folder_inside_the_data_folder_is_refused_and_nothing_is_created()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crawler-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await Lab.RunIn(dir, "init", "--keys", Path.Combine(dir, "secrets"));

            Assert.That(result.Code, Is.Not.EqualTo(0));
            Assert.That(result.Err, Does.Contain("outside the data folder"));
            Assert.That(Directory.Exists(dir), Is.False, "nothing may be created on failure");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Test]
    public async Task The_database_key_can_come_from_the_environment_instead_of_a_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crawler-envkey-" + Guid.NewGuid().ToString("N"));
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        try
        {
            var env = new Dictionary<string, string> { ["CRAWLER_DB_KEY"] = key };
            Assert.That((await Lab.RunIn(dir, env, "init", "--lab")).Code, Is.EqualTo(0));
            Assert.That(File.Exists(Path.Combine(dir + ".keys", "database.key")), Is.False, "a key from the environment is not written to disk");

            var withKey = await Lab.RunIn(dir, env, "users", "add", "admin", "--role", "admin");
            var withoutKey = await Lab.RunIn(dir, "users", "list");

            Assert.That(withKey.Code, Is.EqualTo(0), withKey.Err);
            Assert.That(withoutKey.Code, Is.Not.EqualTo(0), "without the key the database cannot be opened");
        }
        finally
        {
            foreach (var d in new[] { dir, dir + ".keys" }.Where(Directory.Exists))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }
}
