using System.Security.Cryptography;
using System.Text;

namespace Crawler.Storage;

/// <summary>
/// Where the keys come from. <see cref="Directory"/>: the key folder (default: beside the data
/// folder, as <c>DATA.keys</c>; never inside it). <see cref="DatabaseKey"/>: the database key in
/// base64, e.g. from a secret store through an environment variable, instead of a key file.
/// </summary>
public sealed record KeySource(string? Directory = null, string? DatabaseKey = null);

/// <summary>
/// The data folder (the LiteDB file) and its key folder, kept apart: the audit key chains the
/// trail, the pseudonym key makes identifiers unlinkable without it, the database key encrypts
/// the database file at rest, and the evidence key signs exported evidence. Someone who copies the
/// data folder gets none of them.
/// </summary>
public sealed class DataFolder
{
    private const int KeyBytes = 32;
    private const string EvidenceKeyFile = "evidence.key";

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

    /// <summary>The evidence signing key's file: ECDSA P-256, PKCS#8 PEM.</summary>
    public string EvidenceKeyPath => Path.Combine(KeysDirectory, EvidenceKeyFile);

    /// <summary>The LiteDB password derived from <see cref="DatabaseKey"/>.</summary>
    public string DatabasePassword => Convert.ToBase64String(DatabaseKey);

    public static string DefaultKeysDirectory(string root) =>
        Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".keys";

    /// <summary>Whether the folder has its keys and, with <paramref name="withDatabase"/>, its LiteDB file (a PostgreSQL installation keeps only its keys here).</summary>
    public static bool IsInitialised(string root, KeySource? keys = null, bool withDatabase = true) =>
        (!withDatabase || File.Exists(Path.Combine(root, "crawler.db"))) && File.Exists(Path.Combine(KeysOf(root, keys), "audit.key"));

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
        var folder = new DataFolder(Path.GetFullPath(root), dir, EnsureKey(dir, "audit.key"), EnsureKey(dir, "pseudonym.key"), databaseKey);
        folder.EvidenceKeyPem();
        return folder;
    }

    /// <summary>
    /// The evidence signing key (ECDSA P-256) as PKCS#8 PEM. Installations from before signed evidence lack it, so
    /// it is made here when missing; the file is created only if it does not exist, so of two processes making
    /// it at once one wins and both sign with the winner's key.
    /// </summary>
    public string EvidenceKeyPem()
    {
        var path = EvidenceKeyPath;
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = key.ExportPkcs8PrivateKeyPem();
            try
            {
                using var f = new FileStream(path, NewKeyFile());
                f.Write(Encoding.ASCII.GetBytes(pem));
                return pem;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first; its key is the one.
            }
        }

        return ReadEvidenceKey(path);
    }

    public static DataFolder Open(string root, KeySource? keys = null, bool withDatabase = true)
    {
        var dir = KeysOf(root, keys);
        if (!IsInitialised(root, keys, withDatabase))
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
        using (var f = new FileStream(path, NewKeyFile()))
        using (var w = new StreamWriter(f))
        {
            w.Write(Convert.ToBase64String(key));
        }

        return key;
    }

    /// <summary>Created only if absent (O_EXCL), readable by the owner only.</summary>
    private static FileStreamOptions NewKeyFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Reads the key file. A process that lost the race to create it may find it still being written, so an
    /// incomplete PEM is read again for up to two seconds before it counts as damaged.
    /// </summary>
    private static string ReadEvidenceKey(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var pem = File.ReadAllText(path);
            if (pem.Contains("-----END PRIVATE KEY-----", StringComparison.Ordinal))
            {
                return pem;
            }

            if (attempt == 100)
            {
                throw new InvalidDataException($"{path}: not a PKCS#8 PEM private key; restore the evidence key from its backup");
            }

#pragma warning disable RS0030 // Another process is writing the key file now; this is a real file on the real clock, read at start before any clock is composed.
            Thread.Sleep(20);
#pragma warning restore RS0030
        }
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
