using System.Net;
using Crawler.Web;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// The console over HTTP, without a browser (a real Kestrel on loopback, a real data folder): every page for every role
/// and signed out against the CLI's access matrix, refusals as 403 with their audit entry, antiforgery on every form,
/// the security headers, and the check of the listening address.
/// </summary>
public sealed class ConsoleAccessTests
{
    private ConsoleServer _server = null!;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ConsoleServer.SharedAsync();

    [OneTimeTearDown]
    public void DisposeClients()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }
    }

    private async Task<HttpClient> ClientAsync(ConsolePerson person)
    {
        if (!_clients.TryGetValue(person.ToString(), out var client))
        {
            client = await _server.ClientAsync(person);
            _clients[person.ToString()] = client;
        }

        return client;
    }

    public static IEnumerable<TestCaseData> PagesAndPeople() =>
        from page in ConsolePage.All
        from person in ConsoleServer.People
        select new TestCaseData(page, person).SetName($"Page_{page.Name}_as_{person}");

    [TestCaseSource(nameof(PagesAndPeople))]
    public async Task A_page_opens_exactly_for_the_roles_the_access_matrix_allows(ConsolePage page, ConsolePerson person)
    {
        var client = await ClientAsync(person);
        using var response = await client.GetAsync(new Uri(page.Path(_server), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        if (page.Name == "signin" && person.Role is not null)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a signed-in person is sent on from the sign-in page");
        }
        else if (page.Opens(person))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        }
        else if (person.Role is null)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(new Uri(_server.BaseUrl, response.Headers.Location!).PathAndQuery, Does.StartWith("/signin?returnUrl="),
                "signed out: sent to sign in, then back");
        }
        else
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body, Does.Contain("access." + Core.Users.AccessPolicy.Name(page.Needs!.Value)), "the refusal page names the rule");
        }
    }

    [Test]
    public async Task A_refused_page_is_an_audit_entry_the_auditor_finds_in_the_trail()
    {
        var admin = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "admin"));
        using (var refused = await admin.GetAsync(new Uri("/hits", UriKind.Relative)))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        var auditor = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var trail = await auditor.GetStringAsync(new Uri("/audit?actor=admin&outcome=refused", UriKind.Relative));
        Assert.That(trail, Does.Contain("access.hits-read"));
        Assert.That(trail, Does.Contain("console:/hits"), "the subject is the page that was refused");
    }

    [Test]
    public async Task A_refusal_is_logged_by_rule_and_page_and_no_log_line_names_a_person_or_a_case()
    {
        var specialist = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        using (var refused = await specialist.GetAsync(new Uri("/audit?actor=pieter&case=TEST-001", UriKind.Relative)))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        var officer = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        (await officer.GetAsync(new Uri("/audit?actor=sanne&case=TEST-001", UriKind.Relative))).Dispose();

        var lines = _server.Logs.Lines;
        Assert.That(lines, Has.Some.Contains("refused access.audit-read on page /Audit/Index (GET)"));
        foreach (var secret in new[] { "sanne", "pieter", "aaron", "olga", "lotte", "TEST-001", "Test case", "actor=" })
        {
            Assert.That(lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)), Is.Empty, $"a log line holds '{secret}'");
        }
    }

    [Test]
    public async Task Reading_a_hit_in_the_console_is_a_consultation_in_the_trail_as_in_the_cli()
    {
        var hit = ConsoleServer.Id(_server.Hits[1]);
        var specialist = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        (await specialist.GetAsync(new Uri("/hits/" + hit, UriKind.Relative))).Dispose();

        var auditor = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var trail = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/audit?actor=sanne&operation=consult", UriKind.Relative)));
        Assert.That(trail, Does.Contain("hit:" + hit).And.Contain("hits.show"));
    }

    [TestCase("sanne")]
    [TestCase("pieter")]
    public async Task The_captured_page_is_served_without_a_cookie_by_its_ticket_under_its_own_policy_and_logged(string name)
    {
        var reader = await ClientAsync(ConsoleServer.People.Single(p => p.Name == name));
        var hit = ConsoleServer.Id(_server.HostileHit);
        var frame = await FrameAddressAsync(reader, hit);
        using var cookieless = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _server.BaseUrl };

        using var response = await cookieless.GetAsync(new Uri(frame, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(Web.Infrastructure.CapturedDocument.ContentSecurityPolicy));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("SAMEORIGIN"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("onerror").And.Not.Contain("http-equiv"));

        using var tampered = await cookieless.GetAsync(new Uri(frame[..^2] + (frame[^2] == 'A' ? "B" : "A") + frame[^1], UriKind.Relative));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a ticket that does not open is no way in");

        var auditor = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var trail = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri($"/audit?actor={name}&operation=consult", UriKind.Relative)));
        Assert.That(trail, Does.Contain("hits.capture").And.Contain(name == "pieter" ? "raw snapshot" : "minimised text"));
    }

    [Test]
    public async Task A_ticket_of_a_session_that_signed_out_shows_nothing()
    {
        using var reader = await _server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        var frame = await FrameAddressAsync(reader, ConsoleServer.Id(_server.Hits[0]));
        var token = await ConsoleServer.AntiforgeryTokenAsync(reader, "/signout");
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))
        using (var signedOut = await reader.PostAsync(new Uri("/signout", UriKind.Relative), form))
        {
            Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }

        using var cookieless = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _server.BaseUrl };
        using var response = await cookieless.GetAsync(new Uri(frame, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("06-"));
    }

    private static async Task<string> FrameAddressAsync(HttpClient reader, string hit)
    {
        var page = await reader.GetStringAsync(new Uri("/hits/" + hit, UriKind.Relative));
        var src = System.Text.RegularExpressions.Regex.Match(page, "<iframe class=\"capture\" src=\"([^\"]+)\"");
        Assert.That(src.Success, Is.True, "the hit page frames its capture");
        return WebUtility.HtmlDecode(src.Groups[1].Value);
    }

    [Test]
    public async Task An_officer_uploading_a_target_file_is_refused_with_403()
    {
        var officer = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var token = await ConsoleServer.AntiforgeryTokenAsync(officer, "/targets");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent("name: officer-target\nseeds: [\"http://127.0.0.1/\"]\n"u8.ToArray()), "file", "t.yaml" },
        };
        using var response = await officer.PostAsync(new Uri("/targets?handler=upload", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("access.targets-write"));
    }

    [Test]
    public async Task A_decision_the_service_refuses_is_shown_in_words_at_the_top_and_decides_nothing_twice()
    {
        var path = "/mandates/" + ConsoleServer.Id(_server.ContestedMandate);
        var officer = ConsoleServer.People.Single(p => p.Name == "pieter");
        using var first = await _server.ClientAsync(officer);
        using var second = await _server.ClientAsync(officer);
        var firstToken = await ConsoleServer.AntiforgeryTokenAsync(first, path);
        var secondToken = await ConsoleServer.AntiforgeryTokenAsync(second, path);

        using (var approved = await PostDecisionAsync(second, path, secondToken))
        {
            Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the first approval goes through");
        }

        using var stale = await PostDecisionAsync(first, path, firstToken);
        var page = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with the refusal");
        Assert.That(page, Does.Contain("class=\"error-summary\"").And.Contain("href=\"#approve-reason\""));
        Assert.That(page, Does.Contain(Web.Infrastructure.Text.Get("refusal.transition", ConsoleHosting.Cultures[0])));
    }

    private static async Task<HttpResponseMessage> PostDecisionAsync(HttpClient client, string path, string token)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["reason"] = "Noodzakelijk en proportioneel", ["__RequestVerificationToken"] = token,
        });
        return await client.PostAsync(new Uri(path + "?handler=approve", UriKind.Relative), form);
    }

    [Test]
    public async Task A_form_sent_without_its_antiforgery_token_is_refused_and_decides_nothing()
    {
        var officer = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var path = "/mandates/" + ConsoleServer.Id(_server.ServerMandate);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "Proportional and necessary" });
        using var response = await officer.PostAsync(new Uri(path + "?handler=approve", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await officer.GetStringAsync(new Uri(path, UriKind.Relative));
        Assert.That(page, Does.Contain(Web.Infrastructure.Text.Get("mandate.approve.heading", ConsoleHosting.Cultures[0])),
            "the mandate still awaits approval");
    }

    [Test]
    public async Task A_specialist_posting_an_approval_is_refused_with_403_even_with_a_valid_token()
    {
        var specialist = await ClientAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        var path = "/mandates/" + ConsoleServer.Id(_server.ServerMandate);
        var token = await ConsoleServer.AntiforgeryTokenAsync(specialist, path);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["reason"] = "I approve my own request", ["__RequestVerificationToken"] = token,
        });
        using var response = await specialist.PostAsync(new Uri(path + "?handler=approve", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("access.mandates-decide"));
    }

    [Test]
    public async Task Five_wrong_passwords_lock_the_account_and_the_page_says_so_in_words()
    {
        var client = await ClientAsync(ConsoleServer.People[0]);
        var failed = Web.Infrastructure.Text.Get("signin.failed", ConsoleHosting.Cultures[0]);
        var locked = Web.Infrastructure.Text.Get("signin.locked", ConsoleHosting.Cultures[0]);
        for (var i = 0; i < 5; i++)
        {
            var page = await PostSignInAsync(client, "lotte", "not the password " + i);
            Assert.That(page, Does.Contain(i < 4 ? failed : locked), $"attempt {i + 1}");
        }

        var right = await PostSignInAsync(client, "lotte", _server.PasswordOf("lotte"));
        Assert.That(right, Does.Contain(locked), "the right password does not open a locked account");
        Assert.That(right, Does.Contain("href=\"#password\""), "the error summary links to the field");
    }

    private static async Task<string> PostSignInAsync(HttpClient client, string name, string password)
    {
        var token = await ConsoleServer.AntiforgeryTokenAsync(client, "/signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = name, ["Password"] = password, ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a failed sign-in shows the form again");
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Every_response_carries_the_strict_security_headers()
    {
        var client = await ClientAsync(ConsoleServer.People[0]);
        foreach (var path in new[] { "/signin", "/accessibility", "/healthz", "/assets/console.css" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'"), path);
            Assert.That(csp, Does.Not.Contain("unsafe-inline"), path);
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
        }

        using var page = await client.GetAsync(new Uri("/signin", UriKind.Relative));
        Assert.That(page.Headers.CacheControl?.NoStore, Is.True, "pages hold police data: never cached");
    }

    [Test]
    public async Task The_session_and_antiforgery_cookies_are_http_only_and_same_site_strict()
    {
        using var client = await _server.ClientAsync(ConsoleServer.People[0]);
        var token = await ConsoleServer.AntiforgeryTokenAsync(client, "/signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "aaron", ["Password"] = _server.PasswordOf("aaron"), ["__RequestVerificationToken"] = token,
        });
        using var signIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
        var session = signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(ConsoleHosting.CookieName + "=", StringComparison.Ordinal)).ToList();

        Assert.That(session, Has.Count.EqualTo(1), "signing in sets the session cookie");
        Assert.That(session[0], Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        Assert.That(session[0], Does.Not.Contain("expires").IgnoreCase, "a session cookie: gone when the browser closes");
        using var fresh = await _server.ClientAsync(ConsoleServer.People[0]);
        using var page = await fresh.GetAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleHosting.AntiforgeryCookieName, StringComparison.Ordinal));
        Assert.That(antiforgery, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
    }

    [Test]
    public async Task Readiness_says_the_database_answers_and_needs_no_sign_in()
    {
        var client = await ClientAsync(ConsoleServer.People[0]);
        Assert.That(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)), Is.EqualTo("ok\n"));
        var ready = await client.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        Assert.That(ready, Does.Contain("database: ok"));
    }

    [TestCase("http://127.0.0.1:5080", true)]
    [TestCase("http://[::1]:5080;http://localhost:5081", true)]
    [TestCase("https://console.example.org:443", true)]
    [TestCase("http://0.0.0.0:5080", false)]
    [TestCase("http://10.1.2.3:80", false)]
    [TestCase("http://127.0.0.1:5080/console", false)]
    [TestCase("ftp://127.0.0.1", false)]
    [TestCase("", false)]
    public void The_listening_address_is_checked_at_start(string urls, bool accepted)
    {
        var problem = ConsoleOptions.ProblemWith(urls);
        Assert.That(problem is null, Is.EqualTo(accepted), problem);
        if (!accepted)
        {
            Assert.Throws<ArgumentException>(() => ConsoleHosting.Build(new ConsoleOptions("unused", "unused") { Urls = urls }));
        }
    }
}
