using System.Text;
using McpSsh.Ssh.Keys;

namespace McpSsh.Server.KeyServer;

/// <summary>
/// The authorized_keys file registrations go to. Each key is one line, <c>restrict TYPE BASE64 comment</c>
/// (no forwarding, no pty: the gateway is forced anyway), never twice. Writes are serialised and atomic
/// (the whole file rewritten to a temp file and renamed), so concurrent registrations neither tear the file
/// nor lose a line, and sshd never reads a half-written one.
/// </summary>
public sealed class AuthorizedKeysStore(string path)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = path;

    /// <returns>True when the key was added; false when it was already there.</returns>
    public async Task<bool> AddAsync(PublicKeyLine key, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            string existing = File.Exists(Path) ? await File.ReadAllTextAsync(Path, cancellation) : "";
            if (Contains(existing, key))
            {
                return false;
            }

            var content = new StringBuilder(existing);
            if (content.Length > 0 && content[^1] != '\n')
            {
                content.Append('\n');
            }

            content.Append("restrict ").Append(key.TypeAndKey);
            if (SafeComment(key.Comment) is { Length: > 0 } comment)
            {
                content.Append(' ').Append(comment);
            }

            content.Append('\n');
            AtomicFile.Write(Path, Encoding.UTF8.GetBytes(content.ToString()), AtomicFile.PrivateMode);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Same key data on any line, whatever its options or comment.</summary>
    private static bool Contains(string authorizedKeys, PublicKeyLine key)
    {
        string needle = key.TypeAndKey;
        foreach (string line in authorizedKeys.Split('\n'))
        {
            int at = line.IndexOf(needle, StringComparison.Ordinal);
            if (at >= 0 && (at + needle.Length == line.Length || char.IsWhiteSpace(line[at + needle.Length])) && (at == 0 || line[at - 1] == ' '))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Comments are kept for the administrator's benefit, reduced to a harmless character set.</summary>
    private static string SafeComment(string comment) =>
        new(comment.Where(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '-' or '_' or '+' or ':').Take(100).ToArray());
}
