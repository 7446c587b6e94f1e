using System.Globalization;
using Crawler.Core.Mandates;
using Crawler.Web.Infrastructure;

namespace Crawler.Web.Pages.Mandates;

/// <summary>One field of a mandate's order as a person reads it.</summary>
public sealed record OrderField(string Key, string Label, string Value);

/// <summary>A field that differs between a version and the version it would replace.</summary>
public sealed record FieldChange(string Label, string Before, string After);

/// <summary>Mandates in words, in the page's language: states, levels, the order's fields and what changed between versions.</summary>
public static class MandateText
{
    public static string State(Text t, Mandate m, DateTimeOffset now)
    {
        var state = m.StateAt(now);
        var text = t["state." + Kebab(state.ToString())];
        return state == MandateState.Active && m.Approval is { Urgent: true, ConfirmedAt: null, ConfirmBy: { } by }
            ? t.Format("state.urgent-unconfirmed-by", text, Display.When(by))
            : text;
    }

    public static string Level(Text t, IntrusionLevel level) => t["level." + KoopsWeighing.Name(level)];

    public static string Treatment(Text t, Treatment treatment) => t["treatment." + Kebab(treatment.ToString())];

    /// <summary>What a treatment means for the data of a category: the minimisation it causes.</summary>
    public static string Meaning(Text t, Treatment treatment) => t["treatment." + Kebab(treatment.ToString()) + ".meaning"];

    public static string Category(Text t, DataCategory category) => t["category." + Kebab(category.ToString())];

    /// <summary>Every field of the order, in the order a prosecutor reads it.</summary>
    public static IReadOnlyList<OrderField> Fields(Text t, MandateSpec s)
    {
        string YesNo(bool? b) => b == true ? t["common.yes"] : t["common.no"];
        string Num(int? n) => n is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) : t["common.none"];
        var fields = new List<(string Key, string Value)>
        {
            ("case", s.Case),
            ("caseName", s.CaseName),
            ("legalBasis", s.LegalBasis),
            ("wpgPurpose", t["wpg." + s.WpgPurpose.ToString().ToLowerInvariant()]),
            ("purpose", s.Purpose),
            ("offence", s.Offence),
            ("suspect", s.Suspect),
            ("factsAndCircumstances", s.FactsAndCircumstances),
            ("targetType", t["target-type." + Kebab(s.EffectiveTargetType.ToString())]),
            ("targetDescription", s.TargetDescription ?? t["common.none"]),
            ("targets", string.Join(", ", s.Targets)),
            ("validFrom", Display.When(s.ValidFrom)),
            ("validUntil", Display.When(s.ValidUntil)),
            ("limits.maxPages", Num(s.Limits.MaxPages)),
            ("limits.maxHits", Num(s.Limits.MaxHits)),
            ("limits.maxContacts", Num(s.Limits.MaxContacts)),
            ("keywords", s.Keywords is { Count: > 0 } k ? string.Join(", ", k) : t["common.none"]),
            ("linking", YesNo(s.Linking)),
            ("snapshots", YesNo(s.Snapshots)),
            ("recrawlIntervalHours", Num(s.RecrawlIntervalHours)),
            ("robotsOverride", s.RobotsOverride ?? t["common.none"]),
        };
        foreach (var c in Enum.GetValues<DataCategory>())
        {
            fields.Add(("dataCategories." + Kebab(c.ToString()), Treatment(t, s.TreatmentOf(c))));
        }

        foreach (var factor in KoopsFactor.All)
        {
            fields.Add(("justifications." + factor, s.Justifications?.GetValueOrDefault(factor) ?? t["common.none"]));
        }

        return fields.Select(f => new OrderField(f.Key, Label(t, f.Key), f.Value)).ToList();
    }

    /// <summary>The fields whose value differs between <paramref name="before"/> (the version in force) and <paramref name="after"/>.</summary>
    public static IReadOnlyList<FieldChange> Diff(Text t, MandateSpec before, MandateSpec after)
    {
        var old = Fields(t, before).ToDictionary(f => f.Key, StringComparer.Ordinal);
        return Fields(t, after).Where(f => !string.Equals(old[f.Key].Value, f.Value, StringComparison.Ordinal))
            .Select(f => new FieldChange(f.Label, old[f.Key].Value, f.Value)).ToList();
    }

    private static string Label(Text t, string key) =>
        key.StartsWith("dataCategories.", StringComparison.Ordinal) ? t.Format("field.dataCategory", t["category." + key["dataCategories.".Length..]])
        : key.StartsWith("justifications.", StringComparison.Ordinal) ? t.Format("field.justification", t["factor." + key["justifications.".Length..]])
        : t["field." + key];

    /// <summary>"AwaitingApproval" as "awaiting-approval", the form of the resource keys.</summary>
    public static string Kebab(string name) => Core.Users.AccessPolicy.Kebab(name);
}
