using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Crawler.Cli;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// <c>crawler demo --console</c> as a newcomer runs it: the demo case is seeded, the console answers on the address it
/// prints, and a demo person signs in with the name and password it prints; Ctrl+C (the command's cancellation) stops it.
/// </summary>
public sealed partial class DemoConsoleTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task The_demo_console_prints_its_address_answers_healthz_and_lets_a_demo_person_sign_in(CancellationToken testEnds)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(testEnds);
        var output = new StringBuilder();
        await using var stdout = TextWriter.Synchronized(new StringWriter(output));
        await using var stderr = new StringWriter();
        var env = new CliEnvironment(TimeProvider.System, _ => null, Interactive: false);
        var demo = CliApp.RunAsync(["demo", "--console", "--urls", "http://127.0.0.1:0", "--policies", Lab.PoliciesDir], stdout, stderr, env, stop.Token);

        try
        {
            await SignInAsync(demo, stdout, stderr, output, testEnds);
        }
        finally
        {
            // Stopping the demo is the command's cancellation, as Ctrl+C is.
            await stop.CancelAsync();
        }

        Assert.That(await demo, Is.EqualTo(CliApp.Ok), "stopping the demo ends it cleanly");
    }

    private static async Task SignInAsync(Task<int> demo, TextWriter stdout, TextWriter stderr, StringBuilder output, CancellationToken testEnds)
    {
        Match address;
        while (!(address = Address().Match(Text(stdout, output))).Success)
        {
            Assert.That(demo.IsCompleted, Is.False, $"the demo ended before serving: {Text(stdout, output)}{stderr}");
            await Task.Delay(200, testEnds);
        }

        var printed = Text(stdout, output);
        var password = Password().Match(printed);
        Assert.That(password.Success, Is.True, $"the specialist's sign-in is printed: {printed}");
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address.Groups[1].Value) };
        Assert.That((await client.GetStringAsync(new Uri("/healthz", UriKind.Relative), testEnds)).Trim(), Is.EqualTo("ok"));

        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative), testEnds);
        var token = WebUtility.HtmlDecode(Token().Match(form).Groups[1].Value);
        using var signIn = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "sanne", ["Password"] = password.Groups[1].Value, ["__RequestVerificationToken"] = token,
        });
        using (var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), signIn, testEnds))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sanne signs in with the printed password");
        }

        var hits = await client.GetStringAsync(new Uri("/hits", UriKind.Relative), testEnds);
        Assert.That(hits, Does.Contain("href=\"/hits/"), "the demo crawl's hits are in the review queue");
    }

    /// <summary>What the demo has printed so far: the synchronized writer locks itself while writing, so reading takes the same lock.</summary>
    private static string Text(TextWriter writer, StringBuilder output)
    {
        lock (writer)
        {
            return output.ToString();
        }
    }

    [GeneratedRegex(@"Web console: (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex Address();

    [GeneratedRegex(@"  sanne \(specialist\): (\S+)")]
    private static partial Regex Password();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
