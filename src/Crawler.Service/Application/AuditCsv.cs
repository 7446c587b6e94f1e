using System.Globalization;
using Crawler.Core.Audit;

namespace Crawler.Service.Application;

/// <summary>The audit trail as CSV (RFC 4180), for auditors' spreadsheets and the data-protection authority.</summary>
public static class AuditCsv
{
    private static readonly string[] Header =
    [
        "sequence", "time", "actor", "operation", "subject", "outcome", "reason", "rule", "mandateId", "mandateVersion", "case",
        "policyVersion", "contentSha256", "httpStatus", "lab", "legalBasis", "dataSubject", "recipient", "previousHash", "hash",
    ];

    public static async Task WriteAsync(TextWriter output, IAsyncEnumerable<AuditEntry> entries, CancellationToken ct)
    {
        await output.WriteLineAsync(string.Join(',', Header));
        await foreach (var e in entries.WithCancellation(ct))
        {
            var r = e.Record;
            string?[] fields =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.ToString("O", CultureInfo.InvariantCulture), r.Actor, r.Operation, r.Subject,
                r.Outcome, r.Reason, r.Rule, r.MandateId?.ToString(CultureInfo.InvariantCulture), r.MandateVersion?.ToString(CultureInfo.InvariantCulture),
                r.Case, r.PolicyVersion, r.ContentSha256, r.HttpStatus?.ToString(CultureInfo.InvariantCulture), r.Lab?.ToString().ToLowerInvariant(),
                r.LegalBasis, r.DataSubject, r.Recipient, e.PreviousHash, e.Hash,
            ];
            await output.WriteLineAsync(string.Join(',', fields.Select(Quote)));
        }
    }

    private static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        // A leading =, +, - or @ would be run as a formula by a spreadsheet: quote and prefix it.
        var safe = field[0] is '=' or '+' or '-' or '@' ? "'" + field : field;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 || safe != field ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
