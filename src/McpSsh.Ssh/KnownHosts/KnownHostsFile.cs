using McpSsh.Ssh.Keys;

namespace McpSsh.Ssh.KnownHosts;

/// <summary>
/// An OpenSSH known_hosts file, read once. Unparseable lines are skipped (as OpenSSH does) and counted.
/// </summary>
public sealed class KnownHostsFile
{
    private KnownHostsFile(string path, IReadOnlyList<KnownHostsEntry> entries, int skippedLines)
    {
        Path = path;
        Entries = entries;
        SkippedLines = skippedLines;
    }

    public string Path { get; }

    public IReadOnlyList<KnownHostsEntry> Entries { get; }

    public int SkippedLines { get; }

    /// <summary>Loads the file; a missing file is an empty one (every host is unknown).</summary>
    public static KnownHostsFile Load(string path) =>
        File.Exists(path) ? Parse(path, File.ReadAllLines(path)) : new KnownHostsFile(path, [], 0);

    public static KnownHostsFile Parse(string path, IEnumerable<string> lines)
    {
        var entries = new List<KnownHostsEntry>();
        int lineNumber = 0, skipped = 0;
        foreach (string line in lines)
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            if (TryParseLine(path, lineNumber, text) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                skipped++;
            }
        }

        return new KnownHostsFile(path, entries, skipped);
    }

    /// <summary>This file's entries followed by <paramref name="other"/>'s (read-only files: more UserKnownHostsFile, GlobalKnownHostsFile); appends still go to <see cref="Path"/>.</summary>
    public KnownHostsFile With(KnownHostsFile other) =>
        new(Path, [.. Entries, .. other.Entries], SkippedLines + other.SkippedLines);

    /// <summary>
    /// Judges the key <paramref name="blob"/> offered by <paramref name="hostName"/> (in <c>[host]:port</c> form), as
    /// OpenSSH does: a host known by any key (plain lines; <c>@revoked</c> and <c>@cert-authority</c> lines name no
    /// host key) that offers a key matching none of them has CHANGED, whatever the offered key's type. Taking a key
    /// of another type for an unknown host would let an impostor with, say, only an ECDSA key be added by
    /// --accept-new or a key-server pin where the real ed25519 key is known.
    /// </summary>
    public HostKeyCheck Check(string hostName, byte[] blob)
    {
        List<KnownHostsEntry> forHost = Entries.Where(e => e.MatchesHost(hostName)).ToList();

        List<KnownHostsEntry> revoked = forHost.Where(e => e.Marker == KnownHostsMarker.Revoked && e.HasKey(blob)).ToList();
        if (revoked.Count > 0)
        {
            return new HostKeyCheck(HostKeyVerdict.Revoked, revoked);
        }

        List<KnownHostsEntry> plain = forHost.Where(e => e.Marker == KnownHostsMarker.None).ToList();
        if (plain.FirstOrDefault(e => e.HasKey(blob)) is { } known)
        {
            return new HostKeyCheck(HostKeyVerdict.Known, [known]);
        }

        return plain.Count > 0
            ? new HostKeyCheck(HostKeyVerdict.Changed, plain)
            : new HostKeyCheck(HostKeyVerdict.Unknown, []);
    }

    /// <summary>The key types this file already trusts for the host, in file order (to order host-key algorithms).</summary>
    public IReadOnlyList<string> KnownKeyTypes(string hostName) =>
        Entries.Where(e => e.Marker == KnownHostsMarker.None && e.MatchesHost(hostName))
            .Select(e => e.KeyType)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>True when an <c>@cert-authority</c> line covers the host (only then are certificate host keys useful).</summary>
    public bool HasCertAuthorityFor(string hostName) =>
        Entries.Any(e => e.Marker == KnownHostsMarker.CertAuthority && e.MatchesHost(hostName));

    /// <summary>How long an append waits for another process's append (the lock is held for one read and one write).</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Appends one line: through a symlink to its target (the link stays), under <c>TARGET.lock</c> so that clients
    /// adding at once lose nothing (the file is read again under the lock), atomically (temp file + rename),
    /// keeping the file's mode or creating it 0644. A line already present is not written twice. Returns whether
    /// the line was added.
    /// </summary>
    public static bool Append(string path, string line) => Append(path, line, DefaultLockTimeout);

    /// <inheritdoc cref="Append(string, string)"/>
    public static bool Append(string path, string line, TimeSpan lockTimeout) =>
        AppendUnlessPresent(path, lockTimeout, existing => HasLine(existing, line), () => line);

    /// <summary>
    /// Records <paramref name="blob"/> for <paramref name="hostName"/> as <see cref="Append(string, string)"/> does,
    /// unless the file (read again under the lock) already trusts it, hashed or not: two clients trusting the same
    /// host at once add one line, also when HashKnownHosts makes every line different.
    /// </summary>
    public static bool AppendHostKey(string path, string hostName, byte[] blob, bool hashHostName) =>
        AppendUnlessPresent(path, DefaultLockTimeout,
            existing => Parse(path, System.Text.Encoding.UTF8.GetString(existing).Split('\n')).Check(hostName, blob).Verdict == HostKeyVerdict.Known,
            () => SshKeyFormat.KnownHostsLine(
                hashHostName ? HostPatternMatcher.Hash(hostName, System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)) : hostName, blob));

    private static bool AppendUnlessPresent(string path, TimeSpan lockTimeout, Func<byte[], bool> present, Func<string> makeLine)
    {
        string target = AtomicFile.ResolveSymlinks(path);
        AtomicFile.EnsureDirectory(System.IO.Path.GetDirectoryName(target)!);
        using FileLock held = FileLock.Acquire(target + ".lock", lockTimeout);

        byte[] existing = File.Exists(target) ? File.ReadAllBytes(target) : [];
        if (present(existing))
        {
            return false;
        }

        string line = makeLine();
        using var content = new MemoryStream(existing.Length + line.Length + 2);
        content.Write(existing);
        if (existing.Length > 0 && existing[^1] != (byte)'\n')
        {
            content.WriteByte((byte)'\n');
        }

        content.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        AtomicFile.Write(target, content.ToArray(), AtomicFile.PublicMode, keepExistingMode: true);
        return true;
    }

    private static bool HasLine(byte[] content, string line) =>
        System.Text.Encoding.UTF8.GetString(content).Split('\n').Any(l => l.TrimEnd('\r').Trim() == line);

    private static KnownHostsEntry? TryParseLine(string path, int lineNumber, string text)
    {
        string[] fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int next = 0;
        var marker = KnownHostsMarker.None;
        if (fields[0].StartsWith('@'))
        {
            marker = fields[0] switch
            {
                "@cert-authority" => KnownHostsMarker.CertAuthority,
                "@revoked" => KnownHostsMarker.Revoked,
                _ => (KnownHostsMarker)(-1),
            };
            if (!Enum.IsDefined(marker))
            {
                return null;
            }

            next = 1;
        }

        if (fields.Length < next + 3)
        {
            return null;
        }

        try
        {
            byte[] blob = Convert.FromBase64String(fields[next + 2]);
            return new KnownHostsEntry(path, lineNumber, marker, fields[next], fields[next + 1], blob);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
