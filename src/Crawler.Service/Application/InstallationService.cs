using Crawler.Core.Audit;
using Crawler.Core.Storage;
using Crawler.Core.Yaml;
using Crawler.Service.Audit;
using Crawler.Storage;

namespace Crawler.Service.Application;

/// <summary>Creating an installation: its kind (lab or production) is fixed once, and its creation is the trail's first entry.</summary>
public sealed class InstallationService(IInstallationStore installation, AuditTrail audit, DataFolder folder, TimeProvider time)
{
    /// <param name="wantLab">Whether the caller asked for a lab installation.</param>
    /// <param name="existed">Whether the folder was initialised before this call (then nothing is recorded again).</param>
    /// <param name="ct">Cancels the call.</param>
    public async Task<(string Root, bool Lab)> InitAsync(bool wantLab, bool existed, CancellationToken ct = default)
    {
        var isLab = await installation.EnsureAsync(wantLab, time.GetUtcNow(), ct);
        if (existed && isLab != wantLab)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--lab",
                $"'{folder.Root}' is already a {(isLab ? "lab" : "production")} installation; that cannot be changed"));
        }

        if (!existed)
        {
            await audit.AppendAsync(new AuditRecord("bootstrap (" + Environment.UserName + ")", AuditOperation.Configure, "installation", "ok",
                isLab ? "initialised a lab installation (loopback may be crawled)" : "initialised a production installation",
                "install.init", Lab: isLab), ct);
        }

        return (folder.Root, isLab);
    }
}
