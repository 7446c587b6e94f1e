using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>
/// Query predicates with their values as parameters. LiteDB's <c>Query.EQ</c> and its kin write the value into the
/// expression's text, and LiteDB parses, compiles and caches each distinct text for the life of the process: a new
/// compiled query for every URL or key, and memory that grows with the crawl. A parameterised text is compiled once.
/// </summary>
internal static class Filters
{
    public static BsonExpression Equal(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);

    public static BsonExpression Above(string field, BsonValue value) => BsonExpression.Create($"$.{field} > @0", value);

    public static BsonExpression AtMost(string field, BsonValue value) => BsonExpression.Create($"$.{field} <= @0", value);

    public static BsonExpression Below(string field, BsonValue value) => BsonExpression.Create($"$.{field} < @0", value);
}
