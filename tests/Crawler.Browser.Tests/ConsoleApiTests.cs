using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Crawler.Core.Users;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>An endpoint of the JSON API as the matrix test calls it, with the permission it needs and the answer when it is granted.</summary>
public sealed record ApiEndpoint(string Method, string Path, Permission Needs, HttpStatusCode Granted, object? Body = null)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// The JSON API (<c>/api/v1/</c>) in process, over the shared console: every endpoint × every role × no token against
/// the CLI's access matrix (actions on ids that do not exist, so a granted action changes nothing); the session cookie
/// does not reach it; a refused action is an entry in the trail; the OpenAPI document describes it.
/// </summary>
public sealed class ConsoleApiTests
{
    private const long Missing = 424242;
    private ConsoleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ConsoleServer.SharedAsync();

    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        new("GET", "/api/v1/mandates", Permission.MandatesRead, HttpStatusCode.OK),
        new("GET", $"/api/v1/mandates/{Missing}", Permission.MandatesRead, HttpStatusCode.NotFound),
        new("POST", $"/api/v1/mandates/{Missing}/approve", Permission.MandatesDecide, HttpStatusCode.NotFound, new { reason = "api" }),
        new("POST", $"/api/v1/mandates/{Missing}/reject", Permission.MandatesDecide, HttpStatusCode.NotFound, new { reason = "api" }),
        new("POST", $"/api/v1/mandates/{Missing}/revoke", Permission.MandatesDecide, HttpStatusCode.NotFound, new { reason = "api" }),
        new("GET", "/api/v1/targets", Permission.TargetsRead, HttpStatusCode.OK),
        new("GET", $"/api/v1/targets/{Missing}", Permission.TargetsRead, HttpStatusCode.NotFound),
        new("GET", "/api/v1/runs", Permission.MandatesRead, HttpStatusCode.OK),
        new("GET", "/api/v1/runs/1", Permission.MandatesRead, HttpStatusCode.OK),
        new("POST", "/api/v1/runs", Permission.CrawlRun, HttpStatusCode.BadRequest, new { targetId = Missing }),
        new("GET", "/api/v1/hits", Permission.HitsRead, HttpStatusCode.OK),
        new("GET", $"/api/v1/hits/{Missing}", Permission.HitsRead, HttpStatusCode.NotFound),
        new("POST", $"/api/v1/hits/{Missing}/verdict", Permission.HitsReview, HttpStatusCode.NotFound, new { verdict = "relevant", note = "api" }),
        new("GET", "/api/v1/audit?take=5", Permission.AuditRead, HttpStatusCode.OK),
        new("POST", "/api/v1/audit/verify", Permission.AuditRead, HttpStatusCode.OK),
    ];

    public static IEnumerable<TestCaseData> EndpointsAndPeople() =>
        from endpoint in Endpoints
        from person in ConsoleServer.People
        select new TestCaseData(endpoint, person).SetName($"Api_{endpoint.Method}_{endpoint.Path.Replace('/', '_')}_as_{person}");

    [TestCaseSource(nameof(EndpointsAndPeople))]
    public async Task An_endpoint_answers_exactly_the_roles_the_access_matrix_allows(ApiEndpoint endpoint, ConsolePerson person)
    {
        using var client = await ClientAsync(person.Name);
        using var response = await SendAsync(client, endpoint);
        var body = await response.Content.ReadAsStringAsync();

        if (person.Role is not { } role)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), body);
            Assert.That(body, Does.Contain("auth.required"), "the reason, as JSON");
        }
        else if (AccessPolicy.Allows(role, endpoint.Needs))
        {
            Assert.That(response.StatusCode, Is.EqualTo(endpoint.Granted), body);
        }
        else
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
            Assert.That(body, Does.Contain("access." + AccessPolicy.Name(endpoint.Needs)), "the refusal names the rule");
        }

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), "JSON, never an HTML error page");
    }

    [Test]
    public async Task The_session_cookie_of_the_console_does_not_reach_the_api()
    {
        using var browser = await _server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        using var response = await browser.PostAsJsonAsync(new Uri($"/api/v1/mandates/{_server.PendingMandate}/approve", UriKind.Relative), new { reason = "csrf" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var officer = await ClientAsync("pieter");
        var mandate = await officer.GetStringAsync(new Uri($"/api/v1/mandates/{_server.PendingMandate}", UriKind.Relative));
        Assert.That(mandate, Does.Contain("\"status\":\"requested\""), "nothing was decided");
    }

    [Test]
    public async Task A_refused_action_is_an_entry_in_the_trail()
    {
        using var admin = await ClientAsync("admin");
        using (var refused = await admin.PostAsJsonAsync(new Uri("/api/v1/mandates/777777/approve", UriKind.Relative), new { reason = "x" }))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        using var auditor = await _server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var trail = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/audit?actor=admin&outcome=refused", UriKind.Relative)));
        Assert.That(trail, Does.Contain("mandate:777777").And.Contain("access.mandates-decide"));
    }

    [Test]
    public async Task A_wrong_token_is_refused_and_the_openapi_document_describes_the_endpoints()
    {
        using var stranger = new HttpClient { BaseAddress = _server.BaseUrl };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using (var response = await stranger.GetAsync(new Uri("/api/v1/mandates", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var document = await stranger.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        foreach (var endpoint in Endpoints)
        {
            var path = endpoint.Path.Split('?')[0].Replace(ConsoleServer.Id(Missing), "{id}", StringComparison.Ordinal).Replace("/runs/1", "/runs/{id}", StringComparison.Ordinal);
            Assert.That(document, Does.Contain($"\"{path}\""), $"{endpoint} is in the OpenAPI document");
        }
    }

    private async Task<HttpClient> ClientAsync(string? name)
    {
        var client = new HttpClient { BaseAddress = _server.BaseUrl };
        if (name is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _server.Lab.TokenAsync(name));
        }

        return client;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, ApiEndpoint endpoint) => endpoint.Method == "GET"
        ? client.GetAsync(new Uri(endpoint.Path, UriKind.Relative))
        : client.PostAsJsonAsync(new Uri(endpoint.Path, UriKind.Relative), endpoint.Body ?? new { });
}
