using System.Security.Cryptography;

namespace Crawler.Storage;

/// <summary>
/// Where the keys come from. <see cref="Directory"/>: the key folder (default: beside the data
/// folder, as <c>DATA.keys</c>; never inside it). <see cref="DatabaseKey"/>: the database key in
/// base64, e.g. from a secret store through an environment variable, instead of a key file.
/// </summary>
public sealed record KeySource(string? Directory = null, string? DatabaseKey = null);

/// <summary>
/// The data folder (the LiteDB file) and its key folder, kept apart: the audit key chains the
/// trail, the pseudonym key makes identifiers unlinkable without it, and the database key encrypts
/// the database file at rest. Someone who copies the data folder gets none of them.
/// </summary>
public sealed class DataFolder
{
    private const int KeyBytes = 32;

    private DataFolder(string root, string keysDirectory, byte[] auditKey, byte[] pseudonymKey, byte[] databaseKey)
    {
        Root = root;
        KeysDirectory = keysDirectory;
        AuditKey = auditKey;
        PseudonymKey = pseudonymKey;
        DatabaseKey = databaseKey;
    }

    public string Root { get; }

    public string KeysDirectory { get; }

    public string DatabasePath => Path.Combine(Root, "crawler.db");

    public byte[] AuditKey { get; }

    public byte[] PseudonymKey { get; }

    /// <summary>The key the database file is encrypted with.</summary>
    public byte[] DatabaseKey { get; }

    /// <summary>The LiteDB password derived from <see cref="DatabaseKey"/>.</summary>
    public string DatabasePassword => Convert.ToBase64String(DatabaseKey);

    public static string DefaultKeysDirectory(string root) =>
        Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".keys";

    public static bool IsInitialised(string root, KeySource? keys = null) =>
        File.Exists(Path.Combine(root, "crawler.db")) && File.Exists(Path.Combine(KeysOf(root, keys), "audit.key"));

    /// <summary>Creates what is missing and keeps what exists: running it twice changes nothing.</summary>
    public static DataFolder Create(string root, KeySource? keys = null)
    {
        var dir = KeysOf(root, keys);
        Directory.CreateDirectory(root);
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var databaseKey = keys?.DatabaseKey is { } given ? Decode(given, "the database key") : EnsureKey(dir, "database.key");
        return new DataFolder(Path.GetFullPath(root), dir, EnsureKey(dir, "audit.key"), EnsureKey(dir, "pseudonym.key"), databaseKey);
    }

    public static DataFolder Open(string root, KeySource? keys = null)
    {
        var dir = KeysOf(root, keys);
        if (!IsInitialised(root, keys))
        {
            throw new DirectoryNotFoundException(
                $"'{Path.GetFullPath(root)}' is not an initialised data folder with its keys in '{dir}'; run 'crawler init --data {root}' first");
        }

        var databaseKey = keys?.DatabaseKey is { } given ? Decode(given, "the database key")
            : File.Exists(Path.Combine(dir, "database.key")) ? ReadKey(dir, "database.key")
            : throw new InvalidDataException($"{Path.Combine(dir, "database.key")}: missing; give the database key in CRAWLER_DB_KEY or restore the key file");
        return new DataFolder(Path.GetFullPath(root), dir, ReadKey(dir, "audit.key"), ReadKey(dir, "pseudonym.key"), databaseKey);
    }

    private static string KeysOf(string root, KeySource? keys)
    {
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var legacy = Path.Combine(full, "keys");
        if (Directory.Exists(legacy))
        {
            throw new InvalidDataException(
                $"{legacy}: keys inside the data folder are no longer used; move the folder to '{full}.keys' (or name it with --keys)");
        }

        var dir = Path.GetFullPath(keys?.Directory ?? DefaultKeysDirectory(root));
        if ((dir + Path.DirectorySeparatorChar).StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{dir}: the key folder must lie outside the data folder '{full}', or a copy of the data would carry its keys");
        }

        return dir;
    }

    private static byte[] EnsureKey(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        if (File.Exists(path))
        {
            return ReadKey(dir, name);
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var f = new FileStream(path, options))
        using (var w = new StreamWriter(f))
        {
            w.Write(Convert.ToBase64String(key));
        }

        return key;
    }

    private static byte[] ReadKey(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        return Decode(File.ReadAllText(path), path);
    }

    private static byte[] Decode(string base64, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{where}: not base64");
        }

        return key.Length < KeyBytes ? throw new InvalidDataException($"{where}: the key is shorter than {KeyBytes} bytes") : key;
    }
}
