using Microsoft.Playwright;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Crawler.Browser.Tests;

/// <summary>
/// A base for tests that drive a real browser: Debian's headless chromium (<see cref="ExecutablePath"/>, installed by
/// .ci/run; Playwright never downloads a browser here), one browser per fixture and a fresh context and page per test.
/// When a test fails, the page's screenshot goes to TestResults/&lt;fixture&gt;.&lt;test&gt;.png in the repository.
/// </summary>
public abstract class BrowserFixture
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    /// <summary>The page of the running test.</summary>
    protected IPage Page { get; private set; } = null!;

    /// <summary>Where a failing test's screenshot goes: TestResults/ at the repository root, beside the TRX files.</summary>
    public static string ScreenshotFolder => Path.Combine(RepositoryRoot(), "TestResults");

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: the browser tests use Debian's chromium. Run .ci/run (it installs it) or apt-get install chromium.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Running as root (as CI does) needs --no-sandbox; the pages are the test's own, on loopback.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    [SetUp]
    public async Task OpenPageAsync()
    {
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        Page = await _context.NewPageAsync();
    }

    [TearDown]
    public async Task ClosePageAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed && _context is not null)
        {
            var file = Path.Combine(ScreenshotFolder, ScreenshotName(TestContext.CurrentContext.Test.FullName));
            await ScreenshotAsync(file);
            TestContext.Out.WriteLine($"screenshot of the failing page: {file}");
        }

        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A screenshot of the whole page to <paramref name="file"/>; a test may take one on success too.</summary>
    protected async Task ScreenshotAsync(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file);
    }

    /// <summary>A file name from a test's full name: letters, digits, dots, dashes and underscores only.</summary>
    public static string ScreenshotName(string fullName) =>
        string.Concat(fullName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')) + ".png";

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? TestContext.CurrentContext.WorkDirectory;
    }
}
