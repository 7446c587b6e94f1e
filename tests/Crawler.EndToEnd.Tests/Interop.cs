using System.Diagnostics;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// The independent tools the evidence tests read exports with, installed by .ci/run into a temp folder
/// ($CRAWLER_INTEROP, default /tmp/crawler-interop): node, warcio.js and ReplayWeb.page's static files. A test that
/// needs one and does not find it fails saying what to install; it never skips.
/// </summary>
public static class Interop
{
    public static string Folder => Environment.GetEnvironmentVariable("CRAWLER_INTEROP") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetTempPath(), "crawler-interop");

    /// <summary>warcio's package folder, after checking that node runs and warcio is there.</summary>
    public static string Warcio()
    {
        var warcio = Path.Combine(Folder, "node_modules", "warcio");
        if (Run("node", ["--version"], Folder, out _) is not 0)
        {
            Assert.Fail("node is not installed: the interop tests read exports with warcio.js under node. Run .ci/run (it installs node, npm and warcio) or apt-get install nodejs npm.");
        }

        if (!File.Exists(Path.Combine(warcio, "dist", "cli.js")))
        {
            Assert.Fail($"warcio.js is not installed in {Folder}: run .ci/run, or npm install --prefix {Folder} warcio@2.4.11 (set $CRAWLER_INTEROP for another folder).");
        }

        return warcio;
    }

    /// <summary>Runs a program to its end (at most two minutes); returns its exit code and standard output.</summary>
    public static int? Run(string program, IReadOnlyList<string> arguments, string workingDirectory, out string output)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                output = "(timed out)";
                return null;
            }

            output = stdout.Result + stderr.Result;
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return null;
        }
    }
}
