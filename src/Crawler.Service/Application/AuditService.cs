using Crawler.Core.Audit;

namespace Crawler.Service.Application;

public sealed class AuditService(CrawlerContext context)
{
    public IEnumerable<AuditEntry> List() => context.Store.Entries();

    public AuditVerification Verify() => AuditChain.Verify(context.Folder.AuditKey, context.Store.Entries());
}
