using Crawler.Core.Yaml;
using Crawler.Documents;

namespace Crawler.Service.Application;

/// <summary>
/// Files a person hands the crawler (targets, mandates, saved pages, policy files): their size is checked before a byte
/// is read, so a huge or endless file is refused instead of filling memory.
/// </summary>
public static class InputFiles
{
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The file's bytes, or an <see cref="InputException"/> on <paramref name="field"/> when it is missing or too large.</summary>
    public static byte[] ReadBytes(string path, string field)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new InputException(new InputProblem(path, 0, 0, field, "file not found"));
        }

        return info.Length > MaxBytes
            ? throw new InputException(new InputProblem(path, 0, 0, field,
                $"the file is {info.Length / (1024 * 1024)} MiB; input files may be at most {MaxBytes / (1024 * 1024)} MiB"))
            : File.ReadAllBytes(path);
    }

    /// <summary>A document the person wrote: bounded, and strictly UTF-8 (<see cref="InputText"/>).</summary>
    public static string ReadDocument(string path, string field) => InputText.Decode(ReadBytes(path, field), path);
}
