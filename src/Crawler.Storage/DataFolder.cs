using System.Security.Cryptography;

namespace Crawler.Storage;

/// <summary>
/// The data folder: the LiteDB file and, beside it (never inside it), the secret keys that chain
/// the audit trail and pseudonymise identifiers. Someone who copies only the database file gets
/// neither key.
/// </summary>
public sealed class DataFolder
{
    private const int KeyBytes = 32;

    private DataFolder(string root, byte[] auditKey, byte[] pseudonymKey)
    {
        Root = root;
        AuditKey = auditKey;
        PseudonymKey = pseudonymKey;
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "crawler.db");

    public byte[] AuditKey { get; }

    public byte[] PseudonymKey { get; }

    public static string KeysDirectory(string root) => Path.Combine(root, "keys");

    public static bool IsInitialised(string root) =>
        File.Exists(Path.Combine(root, "crawler.db")) && File.Exists(Path.Combine(KeysDirectory(root), "audit.key"));

    /// <summary>Creates what is missing and keeps what exists: running it twice changes nothing.</summary>
    public static DataFolder Create(string root)
    {
        Directory.CreateDirectory(root);
        var keys = KeysDirectory(root);
        if (!Directory.Exists(keys))
        {
            Directory.CreateDirectory(keys);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new DataFolder(Path.GetFullPath(root), EnsureKey(keys, "audit.key"), EnsureKey(keys, "pseudonym.key"));
    }

    public static DataFolder Open(string root)
    {
        if (!IsInitialised(root))
        {
            throw new DirectoryNotFoundException(
                $"'{Path.GetFullPath(root)}' is not an initialised data folder; run 'crawler init --data {root}' first");
        }

        var keys = KeysDirectory(root);
        return new DataFolder(Path.GetFullPath(root), ReadKey(keys, "audit.key"), ReadKey(keys, "pseudonym.key"));
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
        var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (key.Length < KeyBytes)
        {
            throw new InvalidDataException($"{path}: the key is shorter than {KeyBytes} bytes");
        }

        return key;
    }
}
