using Crawler.Core.Users;

namespace Crawler.Browser.Tests;

/// <summary>Who may open a console page: anyone, anyone signed in, or a role the access matrix grants a permission.</summary>
public enum PageAccess
{
    Anyone,
    SignedIn,
    Permission,
}

/// <summary>A page of the console as the tests visit it, with what opening it needs.</summary>
public sealed record ConsolePage(string Name, Func<ConsoleServer, string> Path, PageAccess Access, Permission? Needs = null, bool VariesByRole = false)
{
    /// <summary>Every page of the console (the CSV download and the sign-out confirmation included).</summary>
    public static IReadOnlyList<ConsolePage> All { get; } =
    [
        new("home", _ => "/", PageAccess.SignedIn, VariesByRole: true),
        new("mandates", _ => "/mandates", PageAccess.Permission, Permission.MandatesRead),
        new("mandate", s => "/mandates/" + ConsoleServer.Id(s.PendingMandate), PageAccess.Permission, Permission.MandatesRead, VariesByRole: true),
        new("mandate-draft", _ => "/mandates/draft", PageAccess.Permission, Permission.MandatesAssess, VariesByRole: true),
        new("approved-mandate", s => "/mandates/" + ConsoleServer.Id(s.CrawledMandate), PageAccess.Permission, Permission.MandatesRead, VariesByRole: true),
        new("targets", _ => "/targets", PageAccess.Permission, Permission.TargetsRead, VariesByRole: true),
        new("target", _ => "/targets/1", PageAccess.Permission, Permission.TargetsRead, VariesByRole: true),
        new("policy-explain", _ => "/policy", PageAccess.Permission, Permission.PolicyExplain),
        new("hits", _ => "/hits", PageAccess.Permission, Permission.HitsRead),
        new("hit", s => "/hits/" + ConsoleServer.Id(s.Hits[0]), PageAccess.Permission, Permission.HitsRead, VariesByRole: true),
        new("audit", _ => "/audit", PageAccess.Permission, Permission.AuditRead),
        new("audit-csv", _ => "/audit?handler=csv", PageAccess.Permission, Permission.AuditRead),
        new("runs", _ => "/runs", PageAccess.Permission, Permission.MandatesRead, VariesByRole: true),
        new("run", _ => "/runs/1", PageAccess.Permission, Permission.MandatesRead),
        new("run-progress", _ => "/runs/1?handler=progress", PageAccess.Permission, Permission.MandatesRead),
        new("retention", _ => "/retention", PageAccess.Permission, Permission.RetentionPreview, VariesByRole: true),
        new("status", _ => "/status", PageAccess.Permission, Permission.StatusRead),
        new("signout", _ => "/signout", PageAccess.SignedIn),
        new("accessibility", _ => "/accessibility", PageAccess.Anyone),
        new("signin", _ => "/signin", PageAccess.Anyone),
        new("firstsignin", _ => "/firstsignin", PageAccess.Anyone),
    ];

    /// <summary>Whether <paramref name="person"/> may open the page.</summary>
    public bool Opens(ConsolePerson person) => Access switch
    {
        PageAccess.Anyone => true,
        PageAccess.SignedIn => person.Role is not null,
        _ => person.Role is { } role && AccessPolicy.Allows(role, Needs!.Value),
    };

    /// <summary>
    /// The pages whose rendering <paramref name="person"/> is the one to check in the browser: those whose forms differ by
    /// role, and every other page for the first person (signed out first) who opens it. Nothing of a page differs
    /// between roles except its forms and the links the navigation shows (the home page lists the role's tasks).
    /// </summary>
    public static IEnumerable<ConsolePage> RenderedFor(ConsolePerson person) =>
        All.Where(p => p.IsHtml && p.Opens(person) && !(p.Name == "signin" && person.Role is not null) &&
                       (p.VariesByRole || ConsoleServer.People.First(p.Opens) == person));

    /// <summary>A page <paramref name="person"/> is refused, when they are the first person refused one (its 403 page is checked once).</summary>
    public static ConsolePage? RefusedFor(ConsolePerson person) =>
        ConsoleServer.People.First(p => p.Role is not null && All.Any(page => !page.Opens(p))) == person
            ? All.First(page => page.IsHtml && !page.Opens(person)) : null;

    /// <summary>Pages that are HTML (axe and reflow look at these).</summary>
    public bool IsHtml => Name is not ("audit-csv" or "run-progress");

    public override string ToString() => Name;
}
