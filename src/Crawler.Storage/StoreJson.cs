using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crawler.Storage;

/// <summary>Domain records are stored as JSON inside LiteDB documents, so the domain needs no storage attributes.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException("stored document is empty");
}
