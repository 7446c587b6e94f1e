using LiteDB;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

public sealed class AuditCliTests
{
    [Test]
    public async Task A_checkpoint_proves_a_later_truncation_and_verify_exits_1_naming_the_entry()
    {
        using var lab = await Lab.CreateAsync();
        var file = Path.Combine(lab.Dir, "..", Path.GetFileName(lab.Dir) + ".checkpoint.json");
        var cp = await lab.Ok("audit", "checkpoint", "--out", file, "--as", "aaron", "--json");
        var head = cp.Json.GetProperty("sequence").GetInt64();

        var ok = await lab.Ok("audit", "verify", "--checkpoint", file);
        Assert.That(ok.Out, Does.Contain("checkpoint entry " + head));

        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(lab.Dir, "crawler.db"), Connection = ConnectionType.Shared }))
        {
            db.GetCollection("audit").Delete(head);
        }

        var plain = await lab.Run("audit", "verify");
        var proven = await lab.Run("audit", "verify", "--checkpoint", file);
        File.Delete(file);

        Assert.That(plain.Code, Is.EqualTo(0), "without the checkpoint the shorter chain looks whole");
        Assert.That(proven.Code, Is.EqualTo(1));
        Assert.That(proven.Out, Does.Contain($"FAILED at entry {head}"));
    }

    [Test]
    public async Task An_unreadable_checkpoint_is_bad_input()
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("cp.json", "{ not json");

        var result = await lab.Run("audit", "verify", "--checkpoint", file);

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("cp.json").And.Contain("--checkpoint"));
    }
}
