using System.Reflection;
using Crawler.Core.Policy;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>
/// The domain core decides; it does not parse documents, read pages or touch a database. Those packages belong to the
/// edges (Crawler.Documents, Crawler.Extraction, Crawler.Storage), and a reference from the core to one of them is the
/// first step of I/O leaking into the rules.
/// </summary>
public sealed class CoreBoundaryTests
{
    [Test]
    public void The_core_references_only_the_runtime()
    {
        var core = typeof(PolicySet).Assembly;
        var foreign = core.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => !(name is "System" or "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) ||
                             name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)))
            .ToList();

        Assert.That(foreign, Is.Empty, "Crawler.Core must not reference parser, storage or I/O packages");
    }

    [Test]
    public void The_core_calls_no_file_network_or_clock_api()
    {
        // The readers of policy files, targets and mandates take text; opening files, sockets and clocks is the edges' job.
        string[] banned = ["System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo",
            "System.Net.Http.HttpClient", "System.Net.Sockets.Socket", "System.Net.Dns", "System.Threading.Thread", "System.Diagnostics.Stopwatch"];
        var core = typeof(PolicySet).Assembly;
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in core.GetTypes().SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all))))
        {
            var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
            for (var i = 0; i + 4 < il.Length; i++)
            {
                // call, callvirt and newobj take a 4-byte method token; a misread byte resolves to nothing or to an unrelated member.
                if (il[i] is not (0x28 or 0x6F or 0x73)) continue;
                MethodBase? target;
                try { target = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), method.DeclaringType?.GetGenericArguments(), null); }
                catch (ArgumentException) { continue; }
                var owner = target?.DeclaringType?.FullName;
                if (owner is not null && banned.Contains(owner)) calls.Add($"{method.DeclaringType?.Name}.{method.Name} -> {owner}.{target!.Name}");
            }
        }

        Assert.That(calls, Is.Empty, "Crawler.Core calls file, network, thread or clock APIs");
    }
}
